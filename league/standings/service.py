"""Round points, awards and the season table, kept up to date incrementally.

While a round is being reviewed its RoundPoints rows are provisional and recomputed (that
round only) whenever a review changes. At results they become final: each row's total is
added once to the member's SeasonStanding and the round's awards are ranked. A later
change to a final round (an author marking a review helpful) adds only the difference and
ranks that round's awards again. So a season's standings and awards always equal what
`rebuild_season` recomputes from scratch (used by tests and for repairs).

The facts each round is scored from are gathered in `facts`; the pages read the results
through `tables`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from tortoise.transactions import in_transaction

from league.seasons.models import Round, RoundState
from league.standings.facts import gather_round_facts
from league.standings.models import Award, RoundPoints, SeasonStanding
from league.standings.points import PointsWeights, RoundFacts, rank_awards, score_points

PointsListener = Callable[[int, int], Awaitable[None]]  # (team id, round id)
POINTS_LISTENERS: list[PointsListener] = []


def on_points_changed(listener: PointsListener) -> PointsListener:
    """Register `listener(team_id, round_id)`, called after a round's points change."""
    POINTS_LISTENERS.append(listener)
    return listener


async def notify_points_changed(team_id: int, round_id: int) -> None:
    for listener in POINTS_LISTENERS:
        await listener(team_id, round_id)


async def update_round_points(
    round_id: int, weights: PointsWeights, finalise: bool = False
) -> list[RoundPoints]:
    """Recompute one round's points; with `finalise`, make them count in the season.

    A final round's awards are ranked again with its points, so a "helpful" mark that
    arrives after results counts toward best reviewer as it does toward the points.
    """
    round_ = await Round.get(id=round_id)
    facts = await gather_round_facts(round_)
    async with in_transaction():
        # One query each for the round's rows and the season's standings, not one per member.
        saved = {
            row.member_id: row  # type: ignore[attr-defined]
            for row in await RoundPoints.filter(round_id=round_.id)
        }
        standings = {
            standing.member_id: standing  # type: ignore[attr-defined]
            for standing in await SeasonStanding.filter(
                season_id=round_.season_id  # type: ignore[attr-defined]
            )
        }
        rows = [
            await save_points(round_, item, weights, finalise, saved, standings) for item in facts
        ]
        if finalise or any(row.is_final for row in rows):
            await rank_season(round_.season_id)  # type: ignore[attr-defined]
            await replace_awards(round_, facts, weights)
    await notify_points_changed(round_.team_id, round_.id)  # type: ignore[attr-defined]
    return rows


async def finalise_round(round_id: int, weights: PointsWeights) -> None:
    """At results: final points into the season table, and the round's awards."""
    await update_round_points(round_id, weights, finalise=True)


async def save_points(
    round_: Round,
    facts: RoundFacts,
    weights: PointsWeights,
    finalise: bool,
    saved: dict[int, RoundPoints],
    standings: dict[int, SeasonStanding],
) -> RoundPoints:
    """Save one member's points; `saved` and `standings` are the round's rows and the
    season's standings by member id, loaded once for the whole round."""
    row = saved.get(facts.member_id)
    if row is None:
        row = RoundPoints(
            team_id=round_.team_id,  # type: ignore[attr-defined]
            season_id=round_.season_id,  # type: ignore[attr-defined]
            round_id=round_.id,
            member_id=facts.member_id,
        )
    was_final = bool(row.is_final)
    old_total = float(row.total or 0) if was_final else 0.0
    fill_points(row, facts, weights)
    row.is_final = was_final or finalise
    row.is_provisional = not row.is_final or facts.has_provisional_score
    await row.save()
    if row.is_final:
        standing = standings.get(facts.member_id) or SeasonStanding(
            team_id=row.team_id,  # type: ignore[attr-defined]
            season_id=row.season_id,  # type: ignore[attr-defined]
            member_id=row.member_id,  # type: ignore[attr-defined]
        )
        await add_to_standing(standing, row, old_total, newly_final=not was_final)
    return row


def fill_points(row: RoundPoints, facts: RoundFacts, weights: PointsWeights) -> None:
    line = score_points(facts, weights)
    row.showing_up = line.showing_up
    row.quality = line.quality
    row.improvement = line.improvement
    row.reviewing = line.reviewing
    row.helpful = line.helpful
    row.streak = line.streak
    row.total = line.total
    row.round_score = facts.round_score
    row.baseline = facts.baseline
    row.improvement_delta = facts.improvement
    row.reviews_on_time = facts.reviews_on_time
    row.helpful_count = facts.helpful_count
    row.streak_length = facts.streak_length
    row.first_submitted_at = facts.first_submitted_at


async def add_to_standing(
    standing: SeasonStanding, row: RoundPoints, old_total: float, newly_final: bool
) -> None:
    standing.points = round(float(standing.points) + float(row.total) - old_total, 1)
    if newly_final:
        standing.rounds_played += 1 if row.showing_up > 0 else 0
        standing.current_streak = row.streak_length
        if row.round_score is not None:
            standing.best_score = max(standing.best_score or 0.0, row.round_score)
    await standing.save()


async def rank_season(season_id: int) -> None:
    """Ranks 1..n with the documented tie rule: points, best score, rounds played, name."""
    standings = await SeasonStanding.filter(season_id=season_id).select_related("member__user")
    standings.sort(
        key=lambda row: (
            -row.points,
            -(row.best_score or 0.0),
            -row.rounds_played,
            row.member.user.name.casefold(),
            row.member_id,  # type: ignore[attr-defined]
        )
    )
    for place, standing in enumerate(standings, start=1):
        if standing.rank != place:
            standing.rank = place
            await standing.save(update_fields=["rank", "updated_at"])


async def replace_awards(
    round_: Round, facts: Sequence[RoundFacts], weights: PointsWeights
) -> list[Award]:
    """Replace the round's awards with the current top places (safe to run again)."""
    await Award.filter(round_id=round_.id).delete()
    return [
        await Award.create(
            team_id=round_.team_id,  # type: ignore[attr-defined]
            round_id=round_.id,
            member_id=place.member_id,
            category=place.category.value,
            rank=place.rank,
            value=place.value,
        )
        for place in rank_awards(facts, weights)
    ]


async def rebuild_season(season_id: int, weights: PointsWeights) -> None:
    """Recompute every round of a season from the reviews, oldest round first."""
    async with in_transaction():
        await SeasonStanding.filter(season_id=season_id).delete()
        await RoundPoints.filter(season_id=season_id).delete()
    for round_ in await Round.filter(season_id=season_id).order_by("number"):
        if round_.state == RoundState.RESULTS:
            await finalise_round(round_.id, weights)
        elif round_.state in (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED):
            await update_round_points(round_.id, weights)
