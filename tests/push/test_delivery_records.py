"""Each device's answer is recorded per notification, one bad device never stops a batch,
the member reads the last outcome of each device in plain words, and old records go."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pytest import MonkeyPatch
from starlette.applications import Starlette

from league.accounts.models import Membership, Role, Team
from league.clock import FrozenClock
from league.jobs.models import Job
from league.push import delivery, sender
from league.push.models import DeliveryOutcome, Notification, PushDelivery, PushSubscription
from league.push.outcomes import DELIVERY_RECORD_DAYS
from league.push.vapid import PushConfig
from league.seasons.models import Round
from tests import factories
from tests.conftest import ClientFactory
from tests.push.conftest import run_jobs, subscribe
from tests.push.push_service import LocalPushService, Subscriber
from tests.push.test_send_push import remind
from tests.scale.services import free_port


async def subscribe_unreachable(member: Membership, local: LocalPushService) -> Subscriber:
    """A device whose push service is down: nothing listens on its port."""
    phone = local.new_subscriber()
    phone = replace(phone, endpoint=f"http://127.0.0.1:{free_port()}/push/{phone.token}")
    return await subscribe(member, local, phone, "Laptop · Firefox")


async def outcomes_by_endpoint(endpoints: dict[str, int]) -> dict[str, tuple[str, int | None]]:
    rows = await PushDelivery.all().values_list("subscription_id", "outcome", "status")
    by_id = {sid: (str(outcome), status) for sid, outcome, status in rows}
    return {endpoint: by_id[sid] for endpoint, sid in endpoints.items()}


async def test_bad_devices_never_stop_a_batch_and_each_outcome_is_recorded(
    push_config: PushConfig,
    push_service: LocalPushService,
    team: Team,
    round_: Round,
    clock: FrozenClock,
) -> None:
    members = [await factories.make_member(team, Role.REP) for _ in range(5)]
    gone, busy, refused, healthy = [await subscribe(m, push_service) for m in members[:4]]
    down = await subscribe_unreachable(members[4], push_service)
    also_healthy = await subscribe(members[4], push_service)
    push_service.answer(gone, 410)
    push_service.answer(busy, 500)
    push_service.answer(refused, 403)
    phones = [gone, busy, refused, healthy, down, also_healthy]
    ids = {
        phone.endpoint: await PushSubscription.get(endpoint=phone.endpoint).values_list(
            "id", flat=True
        )
        for phone in phones
    }
    notifications = [await remind(member, clock, round_) for member in members]

    report = await delivery.deliver(push_config, [n.id for n in notifications], clock.now())

    assert len(push_service.payloads_for(healthy)) == 1
    assert len(push_service.payloads_for(also_healthy)) == 1
    assert (report.delivered, report.gone, report.retrying, report.rejected) == (2, 1, 2, 1)
    recorded = await outcomes_by_endpoint(ids)  # type: ignore[arg-type]
    assert recorded == {
        gone.endpoint: (DeliveryOutcome.GONE, 410),
        busy.endpoint: (DeliveryOutcome.FAILED, 500),
        refused.endpoint: (DeliveryOutcome.REFUSED, 403),
        healthy.endpoint: (DeliveryOutcome.SENT, 201),
        down.endpoint: (DeliveryOutcome.FAILED, None),
        also_healthy.endpoint: (DeliveryOutcome.SENT, 201),
    }
    unreachable = await PushDelivery.get(subscription_id=ids[down.endpoint])
    assert "connect" in unreachable.error.lower()
    assert unreachable.notification_id == notifications[4].id  # type: ignore[attr-defined]
    assert not await PushSubscription.exists(endpoint=gone.endpoint)
    assert await Job.filter(kind=delivery.RETRY_JOB).count() == 2  # the 500 and the one down
    counts = [
        n.devices_sent
        for n in await Notification.filter(id__in=[n.id for n in notifications]).order_by("id")
    ]
    assert counts == [0, 0, 0, 1, 1]


async def test_a_retry_adds_its_own_record(
    app: Starlette,
    push_config: PushConfig,
    push_service: LocalPushService,
    rep: Membership,
    round_: Round,
    clock: FrozenClock,
) -> None:
    phone = await subscribe(rep, push_service)
    push_service.answer(phone, 503, {"Retry-After": "60"})
    notification = await remind(rep, clock, round_)
    await delivery.deliver(push_config, [notification.id], clock.now())
    clock.advance(timedelta(seconds=61))
    await run_jobs(app)
    rows = await PushDelivery.filter(notification_id=notification.id).order_by("id")
    assert [(row.outcome, row.status, row.attempt) for row in rows] == [
        (DeliveryOutcome.FAILED, 503, 1),
        (DeliveryOutcome.SENT, 201, 2),
    ]


async def test_a_reminder_whose_answer_never_comes_is_not_sent_again(
    app: Starlette,
    push_config: PushConfig,
    push_service: LocalPushService,
    rep: Membership,
    round_: Round,
    clock: FrozenClock,
    monkeypatch: MonkeyPatch,
) -> None:
    # The push service takes the message, then answers after the sender stopped waiting:
    # the phone has the reminder, so a retry would show it twice.
    monkeypatch.setattr(sender, "SEND_TIMEOUT_SECONDS", 0.3)
    phone = await subscribe(rep, push_service)
    push_service.slow_tokens[phone.token] = 1.0
    notification = await remind(rep, clock, round_)

    report = await delivery.deliver(push_config, [notification.id], clock.now())
    clock.advance(timedelta(hours=1))
    await run_jobs(app)

    assert len(push_service.payloads_for(phone)) == 1
    assert report.retrying == 0
    assert not await Job.exists(kind=delivery.RETRY_JOB)
    record = await PushDelivery.get(notification_id=notification.id)
    assert record.outcome == DeliveryOutcome.FAILED
    assert record.error.startswith("no answer")


async def test_the_member_reads_each_devices_last_outcome_in_plain_words(
    push_config: PushConfig,
    push_service: LocalPushService,
    rep: Membership,
    round_: Round,
    clock: FrozenClock,
    make_client: ClientFactory,
) -> None:
    await subscribe(rep, push_service)  # this phone takes it
    old_browser = await subscribe(rep, push_service)
    await PushSubscription.filter(endpoint=old_browser.endpoint).update(device="Mac · Safari")
    push_service.answer(old_browser, 410)
    notification = await remind(rep, clock, round_)
    await delivery.deliver(push_config, [notification.id], clock.now())
    clock.advance(timedelta(minutes=2))

    page = (await (await make_client(rep)).get("/me/reminders")).text

    assert "Reminders: delivered 2 min ago" in page
    assert "This browser stopped accepting reminders 2 min ago" in page
    assert "Mac · Safari" in page


async def test_a_device_without_reminders_yet_says_so(
    push_service: LocalPushService, rep: Membership, make_client: ClientFactory
) -> None:
    await subscribe(rep, push_service)
    page = (await (await make_client(rep)).get("/me/reminders")).text
    assert "No reminder sent to it yet" in page


async def test_the_daily_job_keeps_only_recent_records(
    app: Starlette,
    push_config: PushConfig,
    push_service: LocalPushService,
    rep: Membership,
    round_: Round,
    clock: FrozenClock,
) -> None:
    await subscribe(rep, push_service)
    notification = await remind(rep, clock, round_)
    await delivery.deliver(push_config, [notification.id], clock.now())
    old = await PushDelivery.get(notification_id=notification.id)
    await PushDelivery.create(
        notification_id=notification.id,
        member_id=rep.id,
        subscription_id=old.subscription_id,
        outcome=DeliveryOutcome.SENT,
        created_at=clock.now() - timedelta(days=DELIVERY_RECORD_DAYS, minutes=1),
    )

    await run_jobs(app)  # today's housekeeping run

    assert [row.id for row in await PushDelivery.all()] == [old.id]
