"""At most once, whatever happens: two workers on one database file, and a restart mid-batch."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from tortoise import connections

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.jobs.models import Job, JobStatus
from league.jobs.service import CLAIM_SECONDS, run_due_jobs
from league.push import jobs as push_jobs
from league.push.delivery import CHUNKS_IN_FLIGHT
from league.push.models import Notification, NotificationStatus, ReminderKind
from league.seasons.models import Round, RoundState
from league.settings import Settings
from tests import factories
from tests.push.conftest import (
    enter_state,
    job_context,
    open_round,
    run_jobs,
    subscribe,
    with_concurrency,
)
from tests.push.push_service import LocalPushService, Subscriber

# These tests count the jobs they run.
pytestmark = pytest.mark.usefixtures("without_housekeeping")

TEAM_SIZE = 8
SLOW_ANSWER_SECONDS = 6.0
RESTART_TEAM_SIZE = 16  # more chunks than are ever in flight at once


async def subscribed_reps(team: Team, local: LocalPushService) -> list[Subscriber]:
    return [await subscribe(await factories.make_member(team), local) for _ in range(TEAM_SIZE)]


def counts(local: LocalPushService, phones: list[Subscriber]) -> list[int]:
    return [len(local.payloads_for(phone)) for phone in phones]


async def test_two_workers_racing_send_each_reminder_once(
    app: Starlette,
    push_service: LocalPushService,
    team: Team,
    round_: Round,
) -> None:
    phones = await subscribed_reps(team, push_service)
    await enter_state(app, round_, RoundState.OPEN)

    await asyncio.gather(run_due_jobs(job_context(app)), run_due_jobs(job_context(app)))

    assert counts(push_service, phones) == [1] * TEAM_SIZE


async def test_two_fanouts_of_the_same_event_still_send_once(
    app: Starlette,
    push_service: LocalPushService,
    team: Team,
    round_: Round,
    clock: FrozenClock,
) -> None:
    # Even without the job claim (say, the same reminder scheduled under two keys), the
    # notification log's unique key and claim keep it to one message per member.
    phones = await subscribed_reps(team, push_service)
    await Round.filter(id=round_.id).update(state=RoundState.OPEN)
    round_.state = RoundState.OPEN
    services = app.state.services

    await asyncio.gather(
        push_jobs.send_round_reminder(round_, ReminderKind.ROUND_OPEN, clock.now(), services),
        push_jobs.send_round_reminder(round_, ReminderKind.ROUND_OPEN, clock.now(), services),
    )

    assert counts(push_service, phones) == [1] * TEAM_SIZE


async def test_two_processes_on_one_database_send_each_reminder_once(
    app: Starlette,
    settings: Settings,
    push_service: LocalPushService,
    team: Team,
    round_: Round,
    clock: FrozenClock,
) -> None:
    phones = await subscribed_reps(team, push_service)
    push_service.delay_seconds = 0.02  # long enough for the two processes to overlap
    await enter_state(app, round_, RoundState.OPEN)
    clock.set(round_.submit_closes_at - timedelta(hours=2))
    await Job.filter(kind=push_jobs.FANOUT_JOB).update(run_at=clock.now())

    other = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.push.worker_process",
        settings.database_url,
        str(settings.data_dir),
        clock.now().isoformat(),
        cwd=os.getcwd(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert other.stdin is not None and other.stdout is not None
    assert await other.stdout.readline() == b"ready\n"
    other.stdin.write(b"go\n")
    ours = await run_jobs(app)
    output, errors = await other.communicate()

    assert other.returncode == 0, errors.decode()
    theirs = int(output.decode().strip())
    assert ours + theirs == 3  # every due job ran exactly once, in one process or the other
    # Round open, streak (nobody has one) and deadline: each member told twice in all.
    assert counts(push_service, phones) == [2] * TEAM_SIZE
    assert await Job.filter(status=JobStatus.DONE, kind=push_jobs.FANOUT_JOB).count() == 3


async def test_a_restart_mid_batch_sends_the_rest_and_nothing_twice(
    app: Starlette,
    push_service: LocalPushService,
    team: Team,
    round_: Round,
    clock: FrozenClock,
) -> None:
    with_concurrency(app, 2)
    members = [await factories.make_member(team) for _ in range(RESTART_TEAM_SIZE)]
    phones = [await subscribe(member, push_service) for member in members]
    push_service.delay_seconds = 0.2
    await enter_state(app, round_, RoundState.OPEN)

    # The process dies while the second chunk of two is on the wire.
    worker = asyncio.create_task(run_jobs(app))
    while len(push_service.received) < 3:
        await asyncio.sleep(0.01)
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)
    # The process's database connection dies with it, and with it any transaction it had
    # open. (Cancelling a task inside Tortoise's SQLite transaction start can leave that
    # connection's lock taken: in-process, only a new connection stands in for a new
    # process.)
    await connections.close_all(discard=True)
    sending = set(
        await Notification.filter(status=NotificationStatus.SENDING).values_list(
            "member_id", flat=True
        )
    )
    # At most the chunks in flight were claimed; the rest still wait.
    assert 0 < len(sending) <= CHUNKS_IN_FLIGHT * 2
    assert await Notification.filter(status=NotificationStatus.PENDING).count() >= (
        RESTART_TEAM_SIZE - (CHUNKS_IN_FLIGHT + 1) * 2
    )

    # A new process starts; the crashed job's claim runs out and it runs again.
    push_service.delay_seconds = 0
    clock.advance(timedelta(seconds=CLAIM_SECONDS + 1))
    await run_jobs(app)

    for member, got in zip(members, counts(push_service, phones), strict=True):
        # Nothing twice; everyone not caught mid-send gets the reminder.
        assert got <= 1 and (got == 1 or member.id in sending)
    assert await Notification.filter(status=NotificationStatus.SENT).count() == (
        RESTART_TEAM_SIZE - len(sending)
    )
    # Those in flight at the crash stay "sending": never sent twice.
    assert await Notification.filter(status=NotificationStatus.SENDING).count() == len(sending)


async def test_a_slow_phone_does_not_hold_back_the_others(
    app: Starlette,
    push_service: LocalPushService,
    team: Team,
    round_: Round,
) -> None:
    with_concurrency(app, 2)
    phones = await subscribed_reps(team, push_service)
    push_service.slow_tokens[phones[0].token] = SLOW_ANSWER_SECONDS
    await enter_state(app, round_, RoundState.OPEN)

    worker = asyncio.create_task(run_jobs(app))
    # Every other phone gets its reminder while the slow one's answer is still awaited.
    async with asyncio.timeout(SLOW_ANSWER_SECONDS - 1):
        while len(push_service.received) < TEAM_SIZE:
            await asyncio.sleep(0.01)
    assert not worker.done()
    await worker

    assert counts(push_service, phones) == [1] * TEAM_SIZE
    assert await Notification.filter(status=NotificationStatus.SENT).count() == TEAM_SIZE


async def test_it_leaves_other_members_alone(
    app: Starlette,
    push_service: LocalPushService,
    round_: Round,
    outsider: Membership,
) -> None:
    phone = await subscribe(outsider, push_service)
    await open_round(app, round_)
    assert push_service.payloads_for(phone) == []
