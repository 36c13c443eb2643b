"""A whole season driven by the clock: rounds open and close exactly on time, once each."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from httpx import AsyncClient, Response
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clips.models import Entry
from league.clock import FrozenClock
from league.jobs.models import Job, JobStatus
from league.jobs.service import CLAIM_SECONDS, JobContext, claim, run_due_jobs
from league.jobs.worker import Worker
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons.jobs import advance_round
from league.seasons.models import Round, RoundState
from tests.clips import media
from tests.conftest import ClientFactory
from tests.seasons.conftest import make_season

Seen = list[tuple[int, RoundState]]
ONE_SECOND = timedelta(seconds=1)

# These tests count the jobs they run.
pytestmark = pytest.mark.usefixtures("without_housekeeping")


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def seen(reactions: Reactions) -> Seen:
    """Every (round number, state) the hooks are told about, in order.

    Only this recorder is registered while the test runs: other features' hooks are
    tested by those features, and their own jobs would muddle the counts here.
    """
    calls: Seen = []

    async def record(round_: Round, state: RoundState, context: JobContext) -> None:
        assert round_.state == state, "hooks run after the new state is saved"
        calls.append((round_.number, state))

    reactions.round_hooks = [record]  # this test's app only
    return calls


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
    app: Starlette,
    team: Team,
    drills: list[Drill],
    clock: FrozenClock,
    seen: Seen,
    reactions: Reactions,
) -> None:
    failures = [RuntimeError("database is locked")]

    async def flaky(round_: Round, state: RoundState, context: JobContext) -> None:
        if failures:
            raise failures.pop()

    reactions.round_hooks = [flaky, *reactions.round_hooks]
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
    jobs = {job.key: job.run_at for job in await Job.filter(key__startswith="round:")}
    assert jobs == {
        f"round:{round_.id}:open": LONDON_ROUNDS[1][0],
        f"round:{round_.id}:submissions_closed": LONDON_ROUNDS[1][1],
        f"round:{round_.id}:reviews_closed": LONDON_ROUNDS[1][2],
        f"round:{round_.id}:results": LONDON_ROUNDS[1][3],
    }


# A New York season from Monday 19 October 2026; clocks go back on Sunday 1 November, so
# round 3's instants are an hour later in UTC while the wall clock still says the same.
NEW_YORK_ROUNDS = {
    1: [utc(2026, 10, 19, 12), utc(2026, 10, 21, 22), utc(2026, 10, 23, 16), utc(2026, 10, 23, 20)],
    2: [utc(2026, 10, 26, 12), utc(2026, 10, 28, 22), utc(2026, 10, 30, 16), utc(2026, 10, 30, 20)],
    3: [utc(2026, 11, 2, 13), utc(2026, 11, 4, 23), utc(2026, 11, 6, 17), utc(2026, 11, 6, 21)],
}
NEW_YORK_OPENINGS = {1: "Mon 19 Oct 08:00", 2: "Mon 26 Oct 08:00", 3: "Mon 2 Nov 08:00"}
NEW_YORK_DEADLINES = {1: "Wed 21 Oct 18:00", 2: "Wed 28 Oct 18:00", 3: "Wed 4 Nov 18:00"}
HTMX = {"HX-Request": "true"}


async def record_take(client: AsyncClient, drill: Drill) -> int:
    response = await client.post(
        f"/drills/{drill.id}/takes",
        content=media.webm_opus(),
        headers={"Content-Type": "audio/webm"},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["take_id"])


async def submit(client: AsyncClient, take_id: int) -> Response:
    return await client.post(f"/takes/{take_id}/submit", headers=HTMX)


async def test_a_rep_enters_each_round_on_time_across_new_yorks_autumn_change(
    app: Starlette,
    team: Team,
    drills: list[Drill],
    rep: Membership,
    make_client: ClientFactory,
    clock: FrozenClock,
) -> None:
    season = await make_season(
        team, clock, starts_on=date(2026, 10, 19), round_count=3, time_zone="America/New_York"
    )
    clock.set(NEW_YORK_ROUNDS[1][0] - timedelta(days=1))
    client = await make_client(rep)  # signed in now: a session lasts 30 days
    for number, (opens, closes, reviews_close, results) in NEW_YORK_ROUNDS.items():
        round_ = await Round.get(season_id=season.id, number=number)
        (drill,) = await round_.drills.all()

        # Practice before the round opens is fine; entering it is not yet.
        clock.set(opens - ONE_SECOND)
        await run_jobs(app, clock)
        today = (await client.get("/")).text
        assert NEW_YORK_OPENINGS[number] in today
        take_id = await record_take(client, drill)
        early = await submit(client, take_id)
        assert early.status_code == 409
        assert "isn&#39;t in an open round" in early.text

        clock.set(opens)
        assert await run_jobs(app, clock) >= 1
        assert (await Round.get(id=round_.id)).state == RoundState.OPEN
        today = (await client.get("/")).text
        assert f"Round {number}" in today and drill.title in today
        assert "Closes Wed 18:00" in today

        # Submitting works up to the deadline's last second, then stops, even before the
        # worker has closed the round, and the refusal shows the deadline in team time.
        clock.set(closes)
        entered = await submit(client, take_id)
        assert entered.status_code == 200 and 'data-entry-state="submitted"' in entered.text
        clock.set(closes + ONE_SECOND)
        late = await submit(client, take_id)
        assert late.status_code == 409
        assert f"closed at {NEW_YORK_DEADLINES[number]} (America/New_York)" in late.text

        await run_jobs(app, clock)
        assert (await Round.get(id=round_.id)).state == RoundState.REVIEWING
        assert "Submissions closed" in (await client.get("/")).text
        later = ((reviews_close, RoundState.REVIEWS_CLOSED), (results, RoundState.RESULTS))
        for moment, state in later:
            clock.set(moment - ONE_SECOND)
            await run_jobs(app, clock)
            assert (await Round.get(id=round_.id)).state != state
            clock.set(moment)
            await run_jobs(app, clock)
            assert (await Round.get(id=round_.id)).state == state
        assert f"Round {number} results are out" in (await client.get("/")).text
    assert await Entry.filter(member_id=rep.id, withdrawn_at=None).count() == 3


async def test_a_hook_that_fails_during_a_late_catch_up_is_retried_before_later_states(
    app: Starlette,
    team: Team,
    drills: list[Drill],
    clock: FrozenClock,
    seen: Seen,
    reactions: Reactions,
) -> None:
    failures = [RuntimeError("push service timed out")]

    async def fails_once_on_reviewing(round_: Round, state: RoundState, _: JobContext) -> None:
        if state == RoundState.REVIEWING and failures:
            raise failures.pop()

    reactions.round_hooks = [fails_once_on_reviewing, *reactions.round_hooks]
    await make_season(team, clock, starts_on=date(2026, 3, 23), round_count=1)
    # The server was down all week: every job of round 1 is due at once.
    clock.set(utc(2026, 3, 28, 9))
    await run_jobs(app, clock)
    round_ = await Round.get(number=1)
    assert round_.state == RoundState.RESULTS
    # REVIEWING's hooks failed once, ran again before REVIEWS_CLOSED's, and were not lost.
    assert seen == [(1, state) for state in STATES]
    jobs = await Job.filter(key__startswith=f"round:{round_.id}:").values_list("status", flat=True)
    assert set(jobs) == {JobStatus.DONE}
