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

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from league.reactions import Reactions
from league.seasons.models import Round, RoundState
from league.standings.facts import gather_round_facts
from league.standings.models import Award, RoundPoints, SeasonStanding
from league.standings.points import PointsWeights, RoundFacts, rank_awards, score_points
from league.web.locks import ROUND_POINTS_NAMESPACE, KeyedLocks
from league.web.tasks import SLICE_ROWS, map_in_slices, values_in_chunks

ROUND_POINTS = KeyedLocks(ROUND_POINTS_NAMESPACE)


async def notify_points_changed(reactions: Reactions, team_id: int, round_id: int) -> None:
    """Call the app's points listeners, `listener(reactions, team_id, round_id)`."""
    for listener in reactions.points_listeners:
        await listener(reactions, team_id, round_id)


async def update_round_points(
    round_id: int,
    weights: PointsWeights,
    reactions: Reactions,
    finalise: bool = False,
    member_ids: Collection[int] | None = None,
    round_: Round | None = None,
) -> list[RoundPoints]:
    """Recompute one round's points (only `member_ids`' rows, when given, while the round
    is not final); with `finalise`, make them count in the season. `round_`: the round,
    when the caller has it loaded.

    A final round's awards are ranked again with its points, so a "helpful" mark that
    arrives after results counts toward best reviewer as it does toward the points.
    Writes are one statement per table, whatever the team size.
    """
    # One recompute of a round at a time (see league.web.locks).
    async with ROUND_POINTS.hold(round_id):
        return await write_round_points(round_id, weights, reactions, finalise, member_ids, round_)


async def write_round_points(
    round_id: int,
    weights: PointsWeights,
    reactions: Reactions,
    finalise: bool,
    member_ids: Collection[int] | None,
    round_: Round | None,
) -> list[RoundPoints]:
    round_ = round_ or await Round.get(id=round_id)
    if finalise or round_.state == RoundState.RESULTS:
        member_ids = None  # the season table and awards need every member's row
    facts = await gather_round_facts(round_, member_ids)
    async with in_transaction():
        saved = await load_saved_totals(round_.id, [item.member_id for item in facts])
        rows = await map_in_slices(
            lambda item: fill_row(round_, item, weights, finalise, saved), facts
        )
        if rows:
            await RoundPoints.bulk_create(
                [row for row, _ in rows],
                batch_size=SLICE_ROWS,
                on_conflict=("round_id", "member_id"),
                update_fields=POINTS_FIELDS,
            )
        final = [(row, old) for row, old in rows if row.is_final]
        if final:
            await add_to_standings(round_, final)
            await rank_season(round_.season_id)  # type: ignore[attr-defined]
            await replace_awards(round_, facts, weights)
    await notify_points_changed(reactions, round_.team_id, round_.id)  # type: ignore[attr-defined]
    return [row for row, _ in rows]


async def load_saved_totals(round_id: int, member_ids: list[int]) -> dict[int, float | None]:
    """Member id -> the total their row already added to the season table (None: their
    row is not final yet)."""
    rows = await values_in_chunks(
        RoundPoints.filter(round_id=round_id, member_id__in=member_ids),
        "member_id",
        "is_final",
        "total",
    )
    return {int(member): float(total) if final else None for member, final, total in rows}


async def finalise_round(round_id: int, weights: PointsWeights, reactions: Reactions) -> None:
    """At results: final points into the season table, and the round's awards."""
    await update_round_points(round_id, weights, reactions, finalise=True)


POINTS_FIELDS = (
    "showing_up",
    "quality",
    "improvement",
    "reviewing",
    "helpful",
    "streak",
    "total",
    "round_score",
    "baseline",
    "improvement_delta",
    "reviews_on_time",
    "helpful_count",
    "streak_length",
    "first_submitted_at",
    "is_final",
    "is_provisional",
    "updated_at",
)
STANDING_FIELDS = ("points", "rounds_played", "current_streak", "best_score", "updated_at")


def fill_row(
    round_: Round,
    facts: RoundFacts,
    weights: PointsWeights,
    finalise: bool,
    saved: dict[int, float | None],
) -> tuple[RoundPoints, float | None]:
    """One member's points row, filled in memory, and the total it already added to the
    season table (None if it was not final). `saved`: from `load_saved_totals`."""
    row = RoundPoints(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        season_id=round_.season_id,  # type: ignore[attr-defined]
        round_id=round_.id,
        member_id=facts.member_id,
    )
    was_final = saved.get(facts.member_id) is not None
    fill_points(row, facts, weights)
    row.is_final = was_final or finalise
    row.is_provisional = not row.is_final or facts.has_provisional_score
    row.updated_at = datetime.now(UTC)
    return row, saved.get(facts.member_id)


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


async def add_to_standings(
    round_: Round, final: Sequence[tuple[RoundPoints, float | None]]
) -> None:
    """Add each final row's total (or its change since last time) to the season table."""
    known = {
        int(member_id): dict(zip(STANDING_FIELDS[:-1], values, strict=True))
        for member_id, *values in await values_in_chunks(
            SeasonStanding.filter(
                season_id=round_.season_id,  # type: ignore[attr-defined]
                member_id__in=[row.member_id for row, _ in final],  # type: ignore[attr-defined]
            ),
            "member_id",
            *STANDING_FIELDS[:-1],
        )
    }

    def added(item: tuple[RoundPoints, float | None]) -> SeasonStanding:
        row, old_total = item
        standing = SeasonStanding(
            team_id=row.team_id,  # type: ignore[attr-defined]
            season_id=row.season_id,  # type: ignore[attr-defined]
            member_id=row.member_id,  # type: ignore[attr-defined]
            **known.get(row.member_id, {}),  # type: ignore[attr-defined]
        )
        add_to_standing(standing, row, old_total)
        return standing

    await SeasonStanding.bulk_create(
        await map_in_slices(added, final),
        batch_size=SLICE_ROWS,
        on_conflict=("season_id", "member_id"),
        update_fields=STANDING_FIELDS,
    )


def add_to_standing(standing: SeasonStanding, row: RoundPoints, old_total: float | None) -> None:
    """`old_total`: what this row already added to the table (None: newly final)."""
    standing.points = round(float(standing.points) + float(row.total) - (old_total or 0.0), 1)
    if old_total is None:
        standing.rounds_played += 1 if row.showing_up > 0 else 0
        standing.current_streak = row.streak_length
        if row.round_score is not None:
            standing.best_score = max(standing.best_score or 0.0, row.round_score)
    standing.updated_at = datetime.now(UTC)


async def rank_season(season_id: int) -> None:
    """Ranks 1..n with the documented tie rule: points, best score, rounds played, name."""
    rows = await values_in_chunks(
        SeasonStanding.filter(season_id=season_id),
        "id",
        "points",
        "best_score",
        "rounds_played",
        "member__user__name",
        "member_id",
        "rank",
    )
    rows.sort(key=lambda row: (-row[1], -(row[2] or 0.0), -row[3], str(row[4]).casefold(), row[5]))
    now = datetime.now(UTC)
    moved = await map_in_slices(
        lambda item: SeasonStanding(id=item[1][0], rank=item[0], updated_at=now),
        [(place, row) for place, row in enumerate(rows, start=1) if row[6] != place],
    )
    # One statement per slice, each awaited: bulk_update builds every batch's query first.
    for start in range(0, len(moved), SLICE_ROWS):
        await SeasonStanding.bulk_update(moved[start : start + SLICE_ROWS], ("rank", "updated_at"))


async def replace_awards(
    round_: Round, facts: Sequence[RoundFacts], weights: PointsWeights
) -> None:
    """Replace the round's awards with the current top places (safe to run again)."""
    await Award.filter(round_id=round_.id).delete()
    await Award.bulk_create(
        [
            Award(
                team_id=round_.team_id,  # type: ignore[attr-defined]
                round_id=round_.id,
                member_id=place.member_id,
                category=place.category.value,
                rank=place.rank,
                value=place.value,
            )
            for place in rank_awards(facts, weights)
        ]
    )


async def rebuild_season(season_id: int, weights: PointsWeights, reactions: Reactions) -> None:
    """Recompute every round of a season from the reviews, oldest round first."""
    async with in_transaction():
        await SeasonStanding.filter(season_id=season_id).delete()
        await RoundPoints.filter(season_id=season_id).delete()
    for round_ in await Round.filter(season_id=season_id).order_by("number"):
        if round_.state == RoundState.RESULTS:
            await finalise_round(round_.id, weights, reactions)
        elif round_.state in (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED):
            await update_round_points(round_.id, weights, reactions)
