"""End to end: the app's real Web Push requests, checked and decrypted by a local push service."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.jobs.models import Job, JobStatus
from league.push import delivery, service
from league.push.models import Notification, NotificationStatus, PushSubscription, ReminderKind
from league.push.sender import MAX_PAYLOAD_BYTES, Message
from league.push.service import Reminder
from league.push.vapid import PushConfig
from league.seasons.models import Round
from tests import factories
from tests.push.conftest import run_jobs, subscribe, with_concurrency
from tests.push.push_service import LocalPushService, Subscriber

# These tests count the jobs they run.
pytestmark = pytest.mark.usefixtures("without_housekeeping")


async def remind(
    member: Membership,
    clock: FrozenClock,
    round_: Round,
    kind: ReminderKind = ReminderKind.DEADLINE,
) -> Notification:
    reminder = Reminder(
        member,
        "Round 1 closes at 18:00",
        "Two hours to go.",
        "/",
        round_.submit_closes_at,
        "Europe/London",
    )
    await service.record_reminders(kind, str(round_.id), round_.id, [reminder], clock.now())
    return await Notification.get(member_id=member.id, kind=kind)


@pytest.fixture
async def phone(rep: Membership, push_service: LocalPushService) -> Subscriber:
    return await subscribe(rep, push_service)


@pytest.fixture
async def notification(rep: Membership, clock: FrozenClock, round_: Round) -> Notification:
    """A deadline reminder for the rep, recorded and waiting to be delivered."""
    return await remind(rep, clock, round_)


async def test_it_pushes_an_encrypted_signed_message_the_push_service_accepts(
    push_config: PushConfig,
    push_service: LocalPushService,
    round_: Round,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
) -> None:
    report = await delivery.deliver(push_config, [notification.id], clock.now())

    assert push_service.problems == []
    assert report.delivered == 1
    [received] = push_service.received
    assert received.payload == {
        "title": "Round 1 closes at 18:00",
        "body": "Two hours to go.",
        "url": "/",
        "tag": f"r{round_.id}-practice",
    }
    assert received.claims["sub"] == push_config.contact
    assert received.claims["aud"] == push_service.origin
    assert received.urgency == "high"
    assert received.topic == f"r{round_.id}-practice"
    assert received.ttl == 2 * 3600  # capped by the kind's limit, well before the deadline
    assert received.size < 4096
    saved = await Notification.get(id=notification.id)
    assert saved.status == NotificationStatus.SENT and saved.devices_sent == 1
    assert push_service.payloads_for(phone)


async def test_it_sends_to_every_device_of_the_member(
    app: Starlette,
    push_config: PushConfig,
    push_service: LocalPushService,
    rep: Membership,
    round_: Round,
    clock: FrozenClock,
) -> None:
    phone, laptop = await subscribe(rep, push_service), await subscribe(rep, push_service)
    notification = await remind(rep, clock, round_)

    await delivery.deliver(push_config, [notification.id], clock.now())

    assert len(push_service.payloads_for(phone)) == 1
    assert len(push_service.payloads_for(laptop)) == 1
    assert (await Notification.get(id=notification.id)).devices_sent == 2


@pytest.mark.parametrize("status", [404, 410])
async def test_it_deletes_a_subscription_the_push_service_says_is_gone(
    push_config: PushConfig,
    push_service: LocalPushService,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
    status: int,
) -> None:
    push_service.answer(phone, status)

    report = await delivery.deliver(push_config, [notification.id], clock.now())

    assert report.gone == 1
    assert not await PushSubscription.exists(endpoint=phone.endpoint)
    assert not await Job.exists(kind=delivery.RETRY_JOB)
    saved = await Notification.get(id=notification.id)
    assert saved.status == NotificationStatus.SENT and saved.devices_sent == 0


async def test_it_retries_after_a_429_honouring_retry_after(
    app: Starlette,
    push_config: PushConfig,
    push_service: LocalPushService,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
) -> None:
    push_service.answer(phone, 429, {"Retry-After": "600"})

    report = await delivery.deliver(push_config, [notification.id], clock.now())

    assert report.retrying == 1
    job = await Job.get(kind=delivery.RETRY_JOB)
    assert job.run_at == clock.now() + timedelta(seconds=600)
    clock.advance(timedelta(seconds=599))
    assert await run_jobs(app) == 0
    clock.advance(timedelta(seconds=1))
    assert await run_jobs(app) == 1
    assert len(push_service.payloads_for(phone)) == 1
    assert (await Notification.get(id=notification.id)).devices_sent == 1


async def test_it_backs_off_after_server_errors_and_gives_up_in_the_end(
    app: Starlette,
    push_config: PushConfig,
    push_service: LocalPushService,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
) -> None:
    for _ in range(delivery.MAX_SEND_ATTEMPTS):
        push_service.answer(phone, 500)

    await delivery.deliver(push_config, [notification.id], clock.now())
    delays = []
    while job := await Job.filter(kind=delivery.RETRY_JOB, status=JobStatus.PENDING).first():
        delays.append(int((job.run_at - clock.now()).total_seconds()))
        clock.set(job.run_at)
        await run_jobs(app)

    assert delays == [60, 120, 240, 480]  # doubling, until the attempts run out
    assert [item.status for item in push_service.received] == [500] * delivery.MAX_SEND_ATTEMPTS
    assert await PushSubscription.exists(endpoint=phone.endpoint)


async def test_it_caps_retry_after_and_never_retries_past_the_deadline(
    push_config: PushConfig,
    push_service: LocalPushService,
    rep: Membership,
    round_: Round,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
) -> None:
    push_service.answer(phone, 503, {"Retry-After": str(30 * 24 * 3600)})

    await delivery.deliver(push_config, [notification.id], clock.now())

    job = await Job.get(kind=delivery.RETRY_JOB)
    assert job.run_at == clock.now() + timedelta(seconds=delivery.MAX_RETRY_DELAY_SECONDS)

    clock.set(round_.submit_closes_at - timedelta(minutes=30))
    late = await remind(rep, clock, round_, ReminderKind.STREAK)
    push_service.answer(phone, 429, {"Retry-After": "3600"})
    await delivery.deliver(push_config, [late.id], clock.now())
    assert await Job.filter(kind=delivery.RETRY_JOB).count() == 1


@pytest.mark.parametrize("status", [400, 403, 413])
async def test_it_logs_a_refusal_with_the_endpoint_and_stops(
    push_config: PushConfig,
    push_service: LocalPushService,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    push_service.answer(phone, status)

    with caplog.at_level(logging.ERROR, logger="league.push"):
        report = await delivery.deliver(push_config, [notification.id], clock.now())

    assert report.rejected == 1
    assert phone.endpoint in caplog.text
    assert not await Job.exists(kind=delivery.RETRY_JOB)
    subscription = await PushSubscription.get(endpoint=phone.endpoint)
    assert str(status) in subscription.last_error


async def test_it_keeps_the_number_of_sends_in_flight_bounded(
    app: Starlette,
    push_service: LocalPushService,
    team: Team,
    round_: Round,
    clock: FrozenClock,
) -> None:
    with_concurrency(app, 3)
    config: PushConfig = app.state.services["push"]
    members = [await factories.make_member(team) for _ in range(10)]
    for member in members:
        await subscribe(member, push_service)
    push_service.delay_seconds = 0.05
    ids = [(await remind(member, clock, round_)).id for member in members]

    report = await delivery.deliver(config, ids, clock.now())

    assert report.delivered == 10
    assert push_service.max_in_flight == 3


async def test_it_sends_a_notification_once_when_two_workers_deliver_it_at_once(
    push_config: PushConfig,
    push_service: LocalPushService,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
) -> None:
    await asyncio.gather(
        delivery.deliver(push_config, [notification.id], clock.now()),
        delivery.deliver(push_config, [notification.id], clock.now()),
    )

    assert len(push_service.payloads_for(phone)) == 1


def test_it_refuses_a_payload_over_the_push_limit() -> None:
    message = Message("t", "x" * 5000, "/", 60, "normal", "topic")
    with pytest.raises(ValueError, match="limit"):
        message.payload()
    assert MAX_PAYLOAD_BYTES < 4096
