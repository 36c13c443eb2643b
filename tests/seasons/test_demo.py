"""The demo season: round 1 is open the moment it loads, whatever the day and hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from league.accounts.models import Team
from league.jobs.models import Job, JobStatus
from league.jobs.service import JobContext, run_due_jobs
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons.demo import load_demo_season
from league.seasons.models import Round, RoundState

Seen = list[tuple[int, RoundState]]


@pytest.fixture
def seen(reactions: Reactions) -> Seen:
    calls: Seen = []

    async def record(round_: Round, state: RoundState, context: JobContext) -> None:
        calls.append((round_.number, state))

    reactions.round_hooks = [record]  # this test's app only
    return calls


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 3, 2, 0, 0, tzinfo=UTC),  # Monday, first minute (London = UTC)
        datetime(2026, 3, 4, 23, 59, tzinfo=UTC),  # Wednesday, last minute
        datetime(2026, 3, 8, 23, 59, tzinfo=UTC),  # Sunday night
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # the hour London's clocks go forward
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 00:30 BST, the day clocks go back
    ],
)
async def test_it_opens_round_one_at_load(
    team: Team, drills: list[Drill], now: datetime, seen: Seen
) -> None:
    season = await load_demo_season(team, drills, now)
    assert season is not None
    rounds = await Round.filter(season_id=season.id).order_by("number")
    assert len(rounds) == 6
    first = rounds[0]
    assert first.state == RoundState.OPEN
    assert first.opens_at <= now < first.submit_closes_at
    assert first.submit_closes_at - now > timedelta(days=1, hours=18)
    assert all(round_.state == RoundState.PLANNED for round_ in rounds[1:])
    assert all(now < round_.opens_at for round_ in rounds[1:])
    assert [len(await round_.drills.all()) for round_ in rounds] == [2] * 6


async def test_it_leaves_the_hooks_to_the_servers_worker_once(
    app: Starlette, team: Team, drills: list[Drill], seen: Seen
) -> None:
    now = datetime(2026, 3, 4, 12, tzinfo=UTC)
    season = await load_demo_season(team, drills, now)
    assert season is not None
    first = await Round.get(season_id=season.id, number=1)
    assert seen == []  # the loader runs outside the app, without its services
    context = JobContext(now=now, services=app.state.services)
    await run_due_jobs(context)
    await run_due_jobs(context)
    assert seen == [(1, RoundState.OPEN)]
    job = await Job.get(key=f"round:{first.id}:open")
    assert job.status == JobStatus.DONE
    assert (await Round.get(id=first.id)).state == RoundState.OPEN


async def test_it_waits_for_drills(team: Team) -> None:
    now = datetime(2026, 3, 4, 12, tzinfo=UTC)
    assert await load_demo_season(team, [], now) is None
