"""Round points, awards and the season table, kept up to date incrementally.

While a round is being reviewed its RoundPoints rows are provisional and recomputed (that
round only) whenever a review changes. At results they become final: each row's total is
added once to the member's SeasonStanding and the round's awards are ranked. A later
change to a final round (an author marking a review helpful) adds only the difference and
ranks that round's awards again. So a season's standings and awards always equal what
`rebuild_season` recomputes from scratch (used by tests and for repairs).

Public read functions for the standings pages: `season_table`, `round_table`,
`member_season_card`, `round_awards`, `celebrations_for`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.reviews.flags import is_short_text
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.seasons.models import Round, RoundState
from league.standings.models import Award, AwardCategory, RoundPoints, SeasonStanding
from league.standings.points import (
    PointsLine,
    PointsWeights,
    RoundFacts,
    extend_streak,
    find_baseline,
    rank_awards,
    score_points,
    tie_break_key,
)

logger = logging.getLogger(__name__)

PointsListener = Callable[[int, int], Awaitable[None]]  # (team id, round id)
POINTS_LISTENERS: list[PointsListener] = []


def on_points_changed(listener: PointsListener) -> PointsListener:
    """Register `listener(team_id, round_id)`, called after a round's points change."""
    POINTS_LISTENERS.append(listener)
    return listener


async def notify_points_changed(team_id: int, round_id: int) -> None:
    for listener in POINTS_LISTENERS:
        await listener(team_id, round_id)


# --- Writing --------------------------------------------------------------------------


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
        rows = [await save_points(round_, item, weights, finalise) for item in facts]
        if finalise or any(row.is_final for row in rows):
            await rank_season(round_.season_id)  # type: ignore[attr-defined]
            await replace_awards(round_, facts, weights)
    await notify_points_changed(round_.team_id, round_.id)  # type: ignore[attr-defined]
    return rows


async def finalise_round(round_id: int, weights: PointsWeights) -> None:
    """At results: final points into the season table, and the round's awards."""
    await update_round_points(round_id, weights, finalise=True)


async def save_points(
    round_: Round, facts: RoundFacts, weights: PointsWeights, finalise: bool
) -> RoundPoints:
    row = await RoundPoints.get_or_none(round_id=round_.id, member_id=facts.member_id)
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
        await add_to_standing(row, old_total, newly_final=not was_final)
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


async def add_to_standing(row: RoundPoints, old_total: float, newly_final: bool) -> None:
    standing, _ = await SeasonStanding.get_or_create(
        season_id=row.season_id,  # type: ignore[attr-defined]
        member_id=row.member_id,  # type: ignore[attr-defined]
        defaults={"team_id": row.team_id},  # type: ignore[attr-defined]
    )
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


# --- Facts ----------------------------------------------------------------------------


async def gather_round_facts(round_: Round) -> list[RoundFacts]:
    entries = await Entry.filter(round_id=round_.id, withdrawn_at=None).order_by("id")
    reviews = await Review.filter(
        round_id=round_.id, is_judgement=False, status=ReviewStatus.SUBMITTED
    )
    members = await list_round_members(round_, entries, reviews)
    scores = {
        score.entry_id: score  # type: ignore[attr-defined]
        for score in await EntryScore.filter(entry_id__in=[entry.id for entry in entries])
    }
    history = await load_history(round_, [member.id for member in members])
    return [
        build_facts(round_, member, entries, reviews, scores, history.get(member.id, []))
        for member in members
    ]


async def list_round_members(
    round_: Round, entries: Sequence[Entry], reviews: Sequence[Review]
) -> list[Membership]:
    """Active reps, plus anyone who took part this round (a manager's entry, a leaver)."""
    ids = {entry.member_id for entry in entries}  # type: ignore[attr-defined]
    ids |= {review.reviewer_id for review in reviews}  # type: ignore[attr-defined]
    ids |= set(await RoundPoints.filter(round_id=round_.id).values_list("member_id", flat=True))
    members = await Membership.filter(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        role=Role.REP,
        is_active=True,
    ).select_related("user")
    known = {member.id for member in members}
    extra = await Membership.filter(id__in=ids - known).select_related("user")
    return sorted([*members, *extra], key=lambda member: member.id)


async def load_history(round_: Round, member_ids: list[int]) -> dict[int, list[RoundPoints]]:
    """Each member's points rows from the team's earlier rounds, oldest first."""
    rows = (
        await RoundPoints.filter(
            member_id__in=member_ids,
            team_id=round_.team_id,  # type: ignore[attr-defined]
            round__opens_at__lt=round_.opens_at,
        )
        .select_related("round")
        .order_by("round__opens_at", "round_id")
    )
    history: dict[int, list[RoundPoints]] = defaultdict(list)
    for row in rows:
        history[row.member_id].append(row)  # type: ignore[attr-defined]
    return history


def build_facts(
    round_: Round,
    member: Membership,
    entries: Sequence[Entry],
    reviews: Sequence[Review],
    scores: dict[int, EntryScore],
    history: Sequence[RoundPoints],
) -> RoundFacts:
    own = [entry for entry in entries if entry.member_id == member.id]  # type: ignore[attr-defined]
    entry_scores = [scores[entry.id].score for entry in own if entry.id in scores]
    known = [score for score in entry_scores if score is not None]
    given = [review for review in reviews if review.reviewer_id == member.id]  # type: ignore[attr-defined]
    previous = [row for row in history if row.round.season_id == round_.season_id]  # type: ignore[attr-defined]
    last = previous[-1] if previous else None
    follows_on = last is not None and last.round.number == round_.number - 1
    return RoundFacts(
        member_id=member.id,
        name=member.user.name,
        submitted=bool(own),
        round_score=round(sum(known) / len(known), 4) if known else None,
        baseline=find_baseline([row.round_score for row in history if row.round_score is not None]),
        reviews_on_time=sum(1 for review in given if is_on_time(review, round_)),
        helpful_count=sum(1 for review in given if review.helpful),
        streak_length=extend_streak(last.streak_length if last and follows_on else 0, bool(own)),
        first_submitted_at=min((entry.submitted_at for entry in own), default=None),
        has_provisional_score=any(
            entry.id not in scores or scores[entry.id].is_provisional for entry in own
        ),
    )


def is_on_time(review: Review, round_: Round) -> bool:
    """Counts for points: sent by the review deadline, with a real kudos."""
    return (
        review.submitted_at is not None
        and review.submitted_at <= round_.review_closes_at
        and not is_short_text(review.kudos)
    )


# --- Reading (for the standings pages) --------------------------------------------------


@dataclass(frozen=True)
class StandingRow:
    rank: int
    member_id: int
    name: str
    points: float  # final rounds only
    live_points: float  # the round being reviewed, provisional (0 when none)
    rounds_played: int
    best_score: float | None
    current_streak: int


@dataclass(frozen=True)
class RoundRow(PointsLine):
    """A member's line in a round's table: points by category, and `total`, their sum."""

    rank: int
    member_id: int
    name: str
    round_score: float | None
    is_provisional: bool
    submitted: bool


@dataclass(frozen=True)
class AwardRow:
    category: AwardCategory
    rank: int
    member_id: int
    name: str
    value: float

    @property
    def label(self) -> str:
        return self.category.label


@dataclass
class MemberCard:
    member_id: int
    name: str
    rank: int | None
    points: float
    rounds_played: int
    best_score: float | None
    current_streak: int
    rounds: list[RoundRow] = field(default_factory=list)
    awards: list[AwardRow] = field(default_factory=list)
    round_numbers: dict[int, int] = field(default_factory=dict)  # round id -> number


async def season_table(season_id: int) -> list[StandingRow]:
    """The season table, best first, with this round's provisional points alongside.

    Members with no final round yet (newcomers) come last with rank 0: pages show their
    points without a place rather than a low one.
    """
    standings = await SeasonStanding.filter(season_id=season_id).select_related("member__user")
    live = await provisional_totals(season_id)
    rows = [
        StandingRow(
            rank=standing.rank,
            member_id=standing.member_id,  # type: ignore[attr-defined]
            name=standing.member.user.name,
            points=standing.points,
            live_points=live.pop(standing.member_id, 0.0),  # type: ignore[attr-defined]
            rounds_played=standing.rounds_played,
            best_score=standing.best_score,
            current_streak=standing.current_streak,
        )
        for standing in standings
    ]
    rows.extend(await newcomer_rows(live))
    return sorted(rows, key=lambda row: (row.rank == 0, row.rank, row.name.casefold()))


async def provisional_totals(season_id: int) -> dict[int, float]:
    rows = await RoundPoints.filter(season_id=season_id, is_final=False)
    totals: dict[int, float] = defaultdict(float)
    for row in rows:
        totals[row.member_id] += row.total  # type: ignore[attr-defined]
    return dict(totals)


async def newcomer_rows(live: dict[int, float]) -> list[StandingRow]:
    members = await Membership.filter(id__in=list(live)).select_related("user")
    return [
        StandingRow(0, member.id, member.user.name, 0.0, live[member.id], 0, None, 0)
        for member in members
    ]


async def round_table(round_id: int) -> list[RoundRow]:
    """One round's points, best first (ties: the documented rule in points.py)."""
    rows = await RoundPoints.filter(round_id=round_id).select_related("member__user")
    rows.sort(
        key=lambda row: (
            -row.total,
            *tie_break_key(
                row.round_score,
                row.reviews_on_time,
                row.first_submitted_at,
                row.member.user.name,
                row.member_id,  # type: ignore[attr-defined]
            ),
        )
    )
    return [to_round_row(place, row) for place, row in enumerate(rows, start=1)]


def to_round_row(place: int, row: RoundPoints) -> RoundRow:
    return RoundRow(
        rank=place,
        member_id=row.member_id,  # type: ignore[attr-defined]
        name=row.member.user.name,
        showing_up=row.showing_up,
        quality=row.quality,
        improvement=row.improvement,
        reviewing=row.reviewing,
        helpful=row.helpful,
        streak=row.streak,
        round_score=row.round_score,
        is_provisional=row.is_provisional,
        submitted=row.showing_up > 0,
    )


async def round_awards(round_id: int) -> list[AwardRow]:
    awards = await Award.filter(round_id=round_id).select_related("member__user")
    rows = [
        AwardRow(
            AwardCategory(award.category),
            award.rank,
            award.member_id,  # type: ignore[attr-defined]
            award.member.user.name,
            award.value,
        )
        for award in awards
    ]
    order = list(AwardCategory)
    return sorted(rows, key=lambda row: (order.index(row.category), row.rank))


async def member_season_card(season_id: int, member_id: int) -> MemberCard | None:
    member = await Membership.get_or_none(id=member_id).select_related("user")
    if member is None:
        return None
    standing = await SeasonStanding.get_or_none(season_id=season_id, member_id=member_id)
    points = (
        await RoundPoints.filter(season_id=season_id, member_id=member_id)
        .select_related("round", "member__user")
        .order_by("round__number")
    )
    awards = await Award.filter(member_id=member_id, round__season_id=season_id).select_related(
        "member__user"
    )
    return MemberCard(
        member_id=member_id,
        name=member.user.name,
        rank=standing.rank if standing else None,
        points=standing.points if standing else 0.0,
        rounds_played=standing.rounds_played if standing else 0,
        best_score=standing.best_score if standing else None,
        current_streak=standing.current_streak if standing else 0,
        rounds=[to_round_row(0, row) for row in points],
        awards=[
            AwardRow(AwardCategory(a.category), a.rank, member_id, member.user.name, a.value)
            for a in awards
        ],
        round_numbers={row.round_id: row.round.number for row in points},  # type: ignore[attr-defined]
    )


async def celebrations_for(member_id: int, round_id: int) -> list[str]:
    """Cheers for the member's own screen after results, e.g. "Personal best!"."""
    row = await RoundPoints.get_or_none(round_id=round_id, member_id=member_id, is_final=True)
    if row is None:
        return []
    cheers = []
    if row.round_score is not None and await is_personal_best(row):
        cheers.append("Personal best!")
    labels = {
        AwardCategory.TOP_SCORE: "Top score of the round",
        AwardCategory.MOST_IMPROVED: "Most improved this round",
        AwardCategory.BEST_REVIEWER: "Best reviewer this round",
        AwardCategory.STREAK: f"{row.streak_length} rounds in a row",
    }
    for award in await Award.filter(round_id=round_id, member_id=member_id, rank=1):
        cheers.append(labels[AwardCategory(award.category)])
    return cheers


async def is_personal_best(row: RoundPoints) -> bool:
    earlier: list[Any] = await RoundPoints.filter(
        member_id=row.member_id,  # type: ignore[attr-defined]
        round_score__isnull=False,
        round__opens_at__lt=(await Round.get(id=row.round_id)).opens_at,  # type: ignore[attr-defined]
    ).values_list("round_score", flat=True)
    return bool(earlier) and row.round_score is not None and row.round_score > max(earlier)
