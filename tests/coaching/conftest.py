"""Coaching fixtures: a team of three reps with known names and emails."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from league.accounts.models import Membership, Role, Team
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.playbook.rubric import DEFAULT_RUBRIC
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.seasons.models import RoundState, Season
from tests.factories import make_drill, make_entry, make_member, make_round, make_season


@pytest.fixture
async def reps(team: Team) -> list[Membership]:
    return [
        await make_member(team, Role.REP, name="Priya Shah", email="priya@example.com"),
        await make_member(team, Role.REP, name="Jonas Berg", email="jonas@example.com"),
        await make_member(team, Role.REP, name="Amara Nwosu", email="amara@example.com"),
    ]


# Per rep, per round: (overall score, {criterion: score}). Priya is strong on clarity, has
# room on concision and dropped on key points in round 3; Jonas is steady.
SCORES = {
    "Priya Shah": [
        (3.6, {"clarity": 4.0, "concision": 2.0, "key_points": 4.0}),
        (3.8, {"clarity": 4.0, "concision": 2.0, "key_points": 4.0}),
        (2.6, {"clarity": 4.0, "concision": 2.0, "key_points": 2.0}),
    ],
    "Jonas Berg": [
        (3.3, {"clarity": 3.0, "concision": 4.0, "key_points": 3.0}),
        (3.3, {"clarity": 3.0, "concision": 4.0, "key_points": 3.0}),
        (3.3, {"clarity": 3.0, "concision": 4.0, "key_points": 3.0}),
    ],
}


@pytest.fixture
async def drill(team: Team) -> Drill:
    return await make_drill(team, "Why us, not them", rubric=copy.deepcopy(DEFAULT_RUBRIC))


@pytest.fixture
async def scored_season(
    team: Team, reps: list[Membership], drill: Drill, clock: FrozenClock
) -> Season:
    """Three finished rounds before the clock, and round 4 open now (nobody has entered yet)."""
    season = await make_season(team, starts_on=date(2026, 2, 9))
    by_name = {rep.user.name: rep for rep in reps}
    start = clock.now() - timedelta(weeks=3)
    for number in (1, 2, 3):
        round_ = await make_round(
            season,
            [drill],
            start + timedelta(weeks=number - 1),
            number=number,
            state=RoundState.RESULTS,
        )
        for name, rounds in SCORES.items():
            score, per_criterion = rounds[number - 1]
            entry = await make_entry(round_, by_name[name], round_.opens_at + timedelta(hours=1))
            await EntryScore.create(
                entry=entry,
                team=team,
                round=round_,
                score=score,
                per_criterion=per_criterion,
                review_count=1,
                is_provisional=False,
            )
            reviewer = reps[2]
            await Review.create(
                team=team,
                round=round_,
                entry=entry,
                reviewer=reviewer,
                status=ReviewStatus.SUBMITTED,
                kudos=f"Round {number}: strong opening, {name}",
                next_rep="Land the question at the end",
                scores={"clarity": 4},
            )
    await make_round(season, [drill], clock.now(), number=4, state=RoundState.OPEN)
    return season
