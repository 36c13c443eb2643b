"""The round in play as a race: who is in, reviews done, streaks alive, last round's points.

A read model for the live table on Standings, the office screen and the Team tab while a
round is open or being reviewed. It reads a handful of compact columns (one query per
table) and never scores anything: points stay with `service`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.playbook.models import Drill
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import Round, RoundState
from league.standings.models import RoundPoints, SeasonStanding

IN_PLAY = (RoundState.OPEN, RoundState.REVIEWING, RoundState.REVIEWS_CLOSED)


class RaceStatus(StrEnum):
    """Where a member is in the round, as the Team tab and the race table show it."""

    DONE = "done"  # every drill in, every review sent
    REVIEWING = "reviewing"  # entries in (or closed), reviews still to send
    SUBMITTED = "submitted"  # some or all entries in, round still taking them
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return {
            RaceStatus.DONE: "all done",
            RaceStatus.REVIEWING: "reviewing",
            RaceStatus.SUBMITTED: "submitted",
            RaceStatus.NOT_YET: "not yet",
        }[self]


@dataclass(frozen=True)
class RaceRow:
    member_id: int
    name: str
    entries: int  # drills of this round with a standing entry
    drills: int
    reviews_done: int  # peer reviews only: a manager's judgement is not a review
    reviews_assigned: int
    streak: int  # rounds in a row with an entry, counting this one once entered
    streak_alive: bool  # False: had a streak and has not entered this round yet
    season_points: float
    round_points: float  # this round's provisional points (0 while submissions are open)
    last_round_points: float | None
    rank: int = 0
    gap_to_next: float | None = None
    state: RoundState = RoundState.OPEN

    @property
    def initials(self) -> str:
        parts = self.name.split()
        return "".join(part[0] for part in parts[:2]).upper() if parts else "?"

    @property
    def has_entry(self) -> bool:
        return self.entries > 0

    @property
    def points(self) -> float:
        return round(self.season_points + self.round_points, 1)

    @property
    def status(self) -> RaceStatus:
        reviews_left = self.reviews_assigned - self.reviews_done
        if self.state == RoundState.OPEN:
            return RaceStatus.SUBMITTED if self.has_entry else RaceStatus.NOT_YET
        if reviews_left > 0:
            return RaceStatus.REVIEWING
        return RaceStatus.DONE if self.has_entry or self.reviews_done else RaceStatus.NOT_YET


@dataclass(frozen=True)
class Field:
    """Who races and what they bring into the round: it moves with entries, members and
    results, never with a review, so a review's race reuses it."""

    names: dict[int, str]  # active reps and anyone with an entry
    entries: Counter[int]  # standing entries per member
    standings: dict[int, tuple[float, int]]  # season points, streak carried in
    last_round_number: int | None
    last_round_points: dict[int, float]
    drills: int

    @property
    def entered(self) -> set[int]:
        return {member_id for member_id, count in self.entries.items() if count}


@dataclass(frozen=True)
class Race:
    round_number: int
    state: RoundState
    drills: int
    rows: list[RaceRow]
    last_round_number: int | None
    field: Field | None = dataclass_field(default=None, compare=False, repr=False)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def entered(self) -> int:
        return sum(1 for row in self.rows if row.has_entry)

    @property
    def reviews_done(self) -> int:
        return sum(row.reviews_done for row in self.rows)

    @property
    def reviews_assigned(self) -> int:
        return sum(row.reviews_assigned for row in self.rows)

    @property
    def last_podium(self) -> list[RaceRow]:
        """Last round's top three by points (nobody on it with nothing to show)."""
        scored = [row for row in self.rows if row.last_round_points]
        scored.sort(key=lambda row: (-(row.last_round_points or 0.0), row.name.casefold()))
        return scored[:3]

    @property
    def anyone_scored(self) -> bool:
        """Places mean something once someone has points; until then nobody has one."""
        return any(row.points for row in self.rows)

    def row_for(self, member_id: int | None) -> RaceRow | None:
        return next((row for row in self.rows if row.member_id == member_id), None)


async def load_race(round_: Round | None, field: Field | None = None) -> Race | None:
    """The race of a round in play; None before it opens and once results are out.

    `field`: the round's field as read for an earlier race, when only reviews and points
    changed since."""
    if round_ is None or round_.state not in IN_PLAY:
        return None
    field = field or await load_field(round_)
    done, assigned = await count_reviews(round_.id)
    live = await load_round_points(round_.id)
    names, entries, standings = field.names, field.entries, field.standings
    season = {m: standings.get(m, (0.0, 0))[0] for m in names}
    points = {m: round(season[m] + live.get(m, 0.0), 1) for m in names}
    # Best first by points (season plus this round's provisional), then who has done the
    # most this round, then name.
    order = sorted(
        names,
        key=lambda m: (-points[m], -entries[m], -done[m], names[m].casefold(), m),
    )
    last = field.last_round_number
    rows = [
        RaceRow(
            member_id=member_id,
            name=names[member_id],
            entries=entries[member_id],
            drills=field.drills,
            reviews_done=done[member_id],
            reviews_assigned=assigned[member_id],
            streak=streak_now(standings.get(member_id), entries[member_id] > 0),
            streak_alive=entries[member_id] > 0 or not standings.get(member_id, (0, 0))[1],
            season_points=season[member_id],
            round_points=live.get(member_id, 0.0),
            last_round_points=field.last_round_points.get(member_id) if last else None,
            rank=rank,
            gap_to_next=gap,
            state=round_.state,
        )
        for member_id, (rank, gap) in zip(order, places([points[m] for m in order]), strict=True)
    ]
    return Race(round_.number, round_.state, field.drills, rows, last, field)


async def load_field(round_: Round) -> Field:
    season_id: int = round_.season_id  # type: ignore[attr-defined]
    last_number, last_points = await load_last_round_points(season_id, round_.number)
    return Field(
        names=await load_competitors(round_),
        entries=await count_entries(round_.id),
        standings=await load_standings(season_id),
        last_round_number=last_number,
        last_round_points=last_points,
        drills=await Drill.filter(rounds__id=round_.id).count(),
    )


def streak_now(standing: tuple[float, int] | None, entered: bool) -> int:
    previous = standing[1] if standing else 0
    return previous + 1 if entered else previous


def places(points: list[float]) -> list[tuple[int, float | None]]:
    """(place, gap to the next place up) for points sorted best first: equal points share
    a place and its gap."""
    ranked: list[tuple[int, float | None]] = []
    for index, value in enumerate(points):
        if index and points[index - 1] == value:
            ranked.append(ranked[-1])
        else:
            gap = round(points[index - 1] - value, 1) if index else None
            ranked.append((index + 1, gap))
    return ranked


async def load_competitors(round_: Round) -> dict[int, str]:
    """Active reps, plus anyone with an entry this round (a manager may take part)."""
    team_id: int = round_.team_id  # type: ignore[attr-defined]
    reps = await Membership.filter(team_id=team_id, role=Role.REP, is_active=True).values_list(
        "id", "user__name"
    )
    entrants = await Entry.filter(round_id=round_.id, withdrawn_at=None).values_list(
        "member_id", "member__user__name"
    )
    return {int(member_id): str(name) for member_id, name in [*reps, *entrants]}


async def count_entries(round_id: int) -> Counter[int]:
    rows: list[Any] = await Entry.filter(round_id=round_id, withdrawn_at=None).values_list(
        "member_id", flat=True
    )
    return Counter(int(member_id) for member_id in rows)


async def count_reviews(round_id: int) -> tuple[Counter[int], Counter[int]]:
    """Peer reviews sent and assigned per reviewer (judgements are not counted), counted
    by the database: a big team's round has thousands of reviews."""
    reviews = Review.filter(round_id=round_id, is_judgement=False, entry__withdrawn_at=None)
    assigned = await per_reviewer(reviews)
    done = await per_reviewer(reviews.filter(status=ReviewStatus.SUBMITTED))
    return Counter(done), Counter(assigned)


async def per_reviewer(reviews: QuerySet[Review]) -> dict[int, int]:
    counted = reviews.annotate(count=Count("id")).group_by("reviewer_id")
    rows = await counted.values_list("reviewer_id", "count")
    return {int(reviewer_id): int(count) for reviewer_id, count in rows}


async def load_standings(season_id: int) -> dict[int, tuple[float, int]]:
    """Season points and the streak carried into this round, per member."""
    rows = await SeasonStanding.filter(season_id=season_id).values_list(
        "member_id", "points", "current_streak"
    )
    return {int(member_id): (float(points), int(streak)) for member_id, points, streak in rows}


async def load_round_points(round_id: int) -> dict[int, float]:
    rows = await RoundPoints.filter(round_id=round_id, is_final=False).values_list(
        "member_id", "total"
    )
    return {int(member_id): float(total) for member_id, total in rows}


async def load_last_round_points(
    season_id: int, before_number: int
) -> tuple[int | None, dict[int, float]]:
    """The latest round of the season with final points before this one, and its points."""
    last = await (
        RoundPoints.filter(season_id=season_id, is_final=True, round__number__lt=before_number)
        .order_by("-round__number")
        .first()
        .values_list("round_id", "round__number")
    )
    if last is None:
        return None, {}
    round_id, number = last
    rows = await RoundPoints.filter(round_id=round_id, is_final=True).values_list(
        "member_id", "total"
    )
    return int(number), {int(member_id): float(total) for member_id, total in rows}
