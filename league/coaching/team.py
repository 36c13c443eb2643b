"""The team view: who has not practised or reviewed this round, where the team is weakest,
and participation round by round.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.coaching.skills import CRITERION, SkillData, load_skill_data
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import Round, RoundState, Season


@dataclass(frozen=True)
class RepRow:
    member: Membership
    entries: int
    reviews_done: int
    reviews_assigned: int

    @property
    def has_practised(self) -> bool:
        return self.entries > 0

    @property
    def has_reviewed(self) -> bool:
        return self.reviews_assigned == 0 or self.reviews_done >= self.reviews_assigned


@dataclass(frozen=True)
class Participation:
    round_number: int
    practised: int  # reps with an entry
    reps: int
    reviews_done: int
    reviews_assigned: int

    @property
    def practised_share(self) -> float:
        return self.practised / self.reps if self.reps else 0.0

    @property
    def reviewed_share(self) -> float:
        return self.reviews_done / self.reviews_assigned if self.reviews_assigned else 0.0


@dataclass
class TeamView:
    round: Round | None
    rows: list[RepRow] = field(default_factory=list)
    weakest: list[tuple[str, float]] = field(default_factory=list)
    participation: list[Participation] = field(default_factory=list)


async def list_team_reps(team_id: int) -> list[Membership]:
    return (
        await Membership.filter(team_id=team_id, role=Role.REP, is_active=True)
        .select_related("user")
        .order_by("user__name")
    )


async def count_by_member(round_id: int) -> tuple[dict[int, int], dict[int, list[Any]]]:
    entries: dict[int, int] = defaultdict(int)
    for member_id in await Entry.filter(round_id=round_id, withdrawn_at=None).values_list(
        "member_id", flat=True
    ):
        entries[int(str(member_id))] += 1
    reviews: dict[int, list[Any]] = defaultdict(list)
    rows: list[Any] = await Review.filter(round_id=round_id, is_judgement=False).values_list(
        "reviewer_id", "status"
    )
    for reviewer_id, status in rows:
        reviews[int(reviewer_id)].append(status)
    return entries, reviews


async def build_team_view(team_id: int, season: Season | None, round_: Round | None) -> TeamView:
    view = TeamView(round=round_)
    reps = await list_team_reps(team_id)
    if round_ is not None:
        entries, reviews = await count_by_member(round_.id)
        view.rows = [
            RepRow(
                rep,
                entries.get(rep.id, 0),
                sum(1 for s in reviews.get(rep.id, []) if s == ReviewStatus.SUBMITTED),
                len(reviews.get(rep.id, [])),
            )
            for rep in reps
        ]
    else:
        view.rows = [RepRow(rep, 0, 0, 0) for rep in reps]
    if season is not None:
        view.weakest = weakest_skills(await load_skill_data(season.id))
        view.participation = await list_participation(season, {rep.id for rep in reps})
    return view


def weakest_skills(data: SkillData) -> list[tuple[str, float]]:
    """Each criterion's team mean over the season, weakest first."""
    means = [
        (name, fmean(value for _, value in data.values(CRITERION, key)))
        for key, name in data.criterion_names.items()
        if any(True for _ in data.values(CRITERION, key))
    ]
    return sorted(means, key=lambda pair: pair[1])


async def list_participation(season: Season, rep_ids: set[int]) -> list[Participation]:
    rounds = await Round.filter(season_id=season.id, state__not=RoundState.PLANNED).order_by(
        "number"
    )
    result = []
    for round_ in rounds:
        entries, reviews = await count_by_member(round_.id)
        statuses = [
            status for member, got in reviews.items() if member in rep_ids for status in got
        ]
        result.append(
            Participation(
                round_.number,
                len(rep_ids & set(entries)),
                len(rep_ids),
                sum(1 for s in statuses if s == ReviewStatus.SUBMITTED),
                len(statuses),
            )
        )
    return result
