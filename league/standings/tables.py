"""Read models for the standings pages: the season table, a round's table and awards,
a member's season card and the cheers on their own screen
after results.

Nothing here writes: `service` keeps the points, standings and awards up to date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from league.accounts.models import Membership
from league.standings.models import Award, AwardCategory, RoundPoints, SeasonStanding
from league.standings.points import PointsLine, RoundFacts, tie_break_key


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
    is_final: bool = False  # results are out for this round


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
    standings = await SeasonStanding.filter(season_id=season_id).values_list(
        "rank",
        "member_id",
        "member__user__name",
        "points",
        "rounds_played",
        "best_score",
        "current_streak",
    )
    live = await provisional_totals(season_id)
    rows = [
        StandingRow(
            rank=rank,
            member_id=member_id,
            name=name,
            points=points,
            live_points=live.pop(member_id, 0.0),
            rounds_played=rounds_played,
            best_score=best_score,
            current_streak=current_streak,
        )
        for rank, member_id, name, points, rounds_played, best_score, current_streak in standings
    ]
    rows.extend(await newcomer_rows(live))
    return sorted(rows, key=lambda row: (row.rank == 0, row.rank, row.name.casefold()))


async def provisional_totals(season_id: int) -> dict[int, float]:
    rows = await RoundPoints.filter(season_id=season_id, is_final=False).values_list(
        "member_id", "total"
    )
    totals: dict[int, float] = defaultdict(float)
    for member_id, total in rows:
        totals[int(member_id)] += total
    return dict(totals)


async def newcomer_rows(live: dict[int, float]) -> list[StandingRow]:
    members = await Membership.filter(id__in=list(live)).values_list("id", "user__name")
    return [
        StandingRow(0, int(member_id), str(name), 0.0, live[int(member_id)], 0, None, 0)
        for member_id, name in members
    ]


async def round_table(round_id: int) -> list[RoundRow]:
    """One round's points, best first (ties: the documented rule in points.py)."""
    return rank_round_rows(await RoundPoints.filter(round_id=round_id).values(*ROUND_ROW_FIELDS))


async def round_sheet(round_id: int) -> tuple[list[RoundRow], list[RoundFacts]]:
    """One round's table and the facts its points came from, in one read: the facts rank
    the race's categories without gathering the round again (current after every write)."""
    rows = await RoundPoints.filter(round_id=round_id).values(*ROUND_ROW_FIELDS, *FACT_FIELDS)
    facts = [to_round_facts(row) for row in sorted(rows, key=lambda row: row["member_id"])]
    return rank_round_rows(rows), facts


def rank_round_rows(rows: list[dict[str, Any]]) -> list[RoundRow]:
    rows.sort(
        key=lambda row: (
            -row["total"],
            *tie_break_key(
                row["round_score"],
                row["reviews_on_time"],
                row["first_submitted_at"],
                row["member__user__name"],
                row["member_id"],
            ),
        )
    )
    return [to_round_row(place, row) for place, row in enumerate(rows, start=1)]


ROUND_ROW_FIELDS = (
    "member_id",
    "member__user__name",
    "showing_up",
    "quality",
    "improvement",
    "reviewing",
    "helpful",
    "streak",
    "total",
    "round_score",
    "reviews_on_time",
    "first_submitted_at",
    "is_provisional",
    "is_final",
)


def to_round_row(place: int, row: dict[str, Any]) -> RoundRow:
    """`row`: a points row's ROUND_ROW_FIELDS values."""
    return RoundRow(
        rank=place,
        member_id=row["member_id"],
        name=row["member__user__name"],
        showing_up=row["showing_up"],
        quality=row["quality"],
        improvement=row["improvement"],
        reviewing=row["reviewing"],
        helpful=row["helpful"],
        streak=row["streak"],
        round_score=row["round_score"],
        is_provisional=row["is_provisional"],
        submitted=row["showing_up"] > 0,
        is_final=row["is_final"],
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
        .order_by("round__number")
        .values(*ROUND_ROW_FIELDS, "round_id", "round__number")
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
        round_numbers={row["round_id"]: row["round__number"] for row in points},
    )


async def celebrations_for(member_id: int, round_id: int) -> list[str]:
    """Cheers for the member's own screen after results, e.g. "Personal best!"."""
    row = await RoundPoints.get_or_none(
        round_id=round_id, member_id=member_id, is_final=True
    ).select_related("round")
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
        round__opens_at__lt=row.round.opens_at,
    ).values_list("round_score", flat=True)
    return bool(earlier) and row.round_score is not None and row.round_score > max(earlier)


FACT_FIELDS = ("baseline", "helpful_count", "streak_length")


def to_round_facts(row: dict[str, Any]) -> RoundFacts:
    """`row`: a points row's ROUND_ROW_FIELDS and FACT_FIELDS values."""
    return RoundFacts(
        member_id=int(row["member_id"]),
        name=str(row["member__user__name"]),
        submitted=row["showing_up"] > 0,
        round_score=row["round_score"],
        baseline=row["baseline"],
        reviews_on_time=int(row["reviews_on_time"]),
        helpful_count=int(row["helpful_count"]),
        streak_length=int(row["streak_length"]),
        first_submitted_at=row["first_submitted_at"],
        has_provisional_score=bool(row["is_provisional"]),
    )
