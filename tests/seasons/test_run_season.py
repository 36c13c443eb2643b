"""A whole season driven by the clock: rounds open and close exactly on time, once each."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from starlette.applications import Starlette

from league.accounts.models import Team
from league.clock import FrozenClock
from league.jobs.models import Job, JobStatus
from league.jobs.service import CLAIM_SECONDS, JobContext, claim, run_due_jobs
from league.jobs.worker import Worker
from league.playbook.models import Drill
from league.seasons.hooks import ROUND_HOOKS
from league.seasons.jobs import advance_round
from league.seasons.models import Round, RoundState
from tests.seasons.conftest import make_season

Seen = list[tuple[int, RoundState]]
ONE_SECOND = timedelta(seconds=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def seen() -> Iterator[Seen]:
    """Every (round number, state) the hooks are told about, in order.

    Only this recorder is registered while the test runs: other features' hooks are
    tested by those features, and their own jobs would muddle the counts here.
    """
    calls: Seen = []

    async def record(round_: Round, state: RoundState, context: JobContext) -> None:
        assert round_.state == state, "hooks run after the new state is saved"
        calls.append((round_.number, state))

    registered = list(ROUND_HOOKS)
    ROUND_HOOKS[:] = [record]
    yield calls
    ROUND_HOOKS[:] = registered


async def run_jobs(app: Starlette, clock: FrozenClock) -> int:
    return await run_due_jobs(JobContext(now=clock.now(), services=app.state.services))


async def state_of(number: int) -> RoundState:
    return (await Round.get(number=number)).state


# Round times of a London season from Monday 23 March 2026; clocks go forward on the 29th.
LONDON_ROUNDS = {
    1: [utc(2026, 3, 23, 8), utc(2026, 3, 25, 18), utc(2026, 3, 27, 12), utc(2026, 3, 27, 16)],
    2: [utc(2026, 3, 30, 7), utc(2026, 4, 1, 17), utc(2026, 4, 3, 11), utc(2026, 4, 3, 15)],
    3: [utc(2026, 4, 6, 7), utc(2026, 4, 8, 17), utc(2026, 4, 10, 11), utc(2026, 4, 10, 15)],
}
STATES = [RoundState.OPEN, RoundState.REVIEWING, RoundState.REVIEWS_CLOSED, RoundState.RESULTS]


async def test_it_runs_a_season_on_time_across_a_clock_change(
    app: Starlette, team: Team, drills: list[Drill], clock: FrozenClock, seen: Seen
) -> None:
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=3)
    expected: Seen = []
    for number, moments in LONDON_ROUNDS.items():
        for moment, state in zip(moments, STATES, strict=True):
            clock.set(moment - ONE_SECOND)
            await run_jobs(app, clock)
            assert await state_of(number) != state, f"round {number} moved early"
            clock.set(moment)
            assert await run_jobs(app, clock) == 1
            assert await state_of(number) == state
            expected.append((number, state))
            assert seen == expected


async def test_it_never_repeats_a_transition_when_jobs_run_again(
    app: Starlette, team: Team, drills: list[Drill], clock: FrozenClock, seen: Seen
) -> None:
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=1)
    clock.set(utc(2026, 3, 24, 12))
    await run_jobs(app, clock)
    # A restart mid-week: the same jobs table, run again and by a brand-new worker.
    assert await run_jobs(app, clock) == 0
    worker = Worker(app.state.make_job_context, interval_seconds=0.01)
    worker.start()
    await asyncio.sleep(0.1)
    await worker.stop()
    assert seen == [(1, RoundState.OPEN)]


async def test_it_runs_a_job_claimed_by_a_worker_that_died_once(
    app: Starlette, team: Team, drills: list[Drill], clock: FrozenClock, seen: Seen
) -> None:
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=1)
    clock.set(utc(2026, 3, 23, 8))
    job = await Job.get(key=f"round:{(await Round.get(number=1)).id}:open")
    assert await claim(job.id, clock.now())  # claimed, then the process died
    assert await run_jobs(app, clock) == 0
    clock.advance(timedelta(seconds=CLAIM_SECONDS + 1))
    assert await run_jobs(app, clock) == 1
    assert await run_jobs(app, clock) == 0
    assert seen == [(1, RoundState.OPEN)]


async def test_it_runs_each_transition_once_when_two_workers_race(
    app: Starlette, team: Team, drills: list[Drill], clock: FrozenClock, seen: Seen
) -> None:
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=2)
    clock.set(utc(2026, 4, 1, 12))  # round 1 is over, round 2 is open
    ran = await asyncio.gather(*(run_jobs(app, clock) for _ in range(3)))
    assert sum(ran) == 5
    # Each state entered once; within a round, in order (rounds may interleave).
    assert [state for number, state in seen if number == 1] == STATES
    assert [state for number, state in seen if number == 2] == [RoundState.OPEN]


async def test_it_catches_up_on_every_missed_state_in_order(
    app: Starlette, team: Team, drills: list[Drill], clock: FrozenClock, seen: Seen
) -> None:
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=1)
    round_ = await Round.get(number=1)
    # The server was down from before the opening until after submissions closed, and
    # the closing job happens to be handed out first.
    clock.set(utc(2026, 3, 26, 9))
    context = JobContext(now=clock.now(), services=app.state.services)
    await advance_round(round_.id, RoundState.REVIEWING, context)
    assert seen == [(1, RoundState.OPEN), (1, RoundState.REVIEWING)]
    await run_jobs(app, clock)
    assert seen == [(1, RoundState.OPEN), (1, RoundState.REVIEWING)]


async def test_it_retries_hooks_that_failed_without_repeating_the_state_change(
    app: Starlette, team: Team, drills: list[Drill], clock: FrozenClock, seen: Seen
) -> None:
    failures = [RuntimeError("database is locked")]

    async def flaky(round_: Round, state: RoundState, context: JobContext) -> None:
        if failures:
            raise failures.pop()

    ROUND_HOOKS.insert(0, flaky)
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=1)
    clock.set(utc(2026, 3, 23, 8))
    await run_jobs(app, clock)
    round_ = await Round.get(number=1)
    job = await Job.get(key=f"round:{round_.id}:open")
    assert (round_.state, job.status) == (RoundState.OPEN, JobStatus.PENDING)
    clock.set(job.run_at)
    await run_jobs(app, clock)
    job = await Job.get(key=f"round:{round_.id}:open")
    assert job.status == JobStatus.DONE
    assert seen == [(1, RoundState.OPEN)]


async def test_it_schedules_four_keyed_jobs_per_round(
    app: Starlette, team: Team, drills: list[Drill], clock: FrozenClock
) -> None:
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=1)
    round_ = await Round.get(number=1)
    jobs = {job.key: job.run_at for job in await Job.all()}
    assert jobs == {
        f"round:{round_.id}:open": LONDON_ROUNDS[1][0],
        f"round:{round_.id}:submissions_closed": LONDON_ROUNDS[1][1],
        f"round:{round_.id}:reviews_closed": LONDON_ROUNDS[1][2],
        f"round:{round_.id}:results": LONDON_ROUNDS[1][3],
    }
