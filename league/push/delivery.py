"""Delivering recorded notifications: claiming them, sending to every device, and acting
on the push service's answers (delivered, gone, retry later, refused)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from league.jobs.service import schedule
from league.push.models import (
    DeliveryOutcome,
    Notification,
    NotificationStatus,
    PushDelivery,
    PushSubscription,
    ReminderKind,
)
from league.push.sender import (
    Message,
    Outcome,
    Sender,
    SendResult,
    Target,
    open_sender,
    send_many,
)
from league.push.service import KIND_SPECS
from league.push.vapid import PushConfig

logger = logging.getLogger(__name__)

RETRY_JOB = "push.retry"  # sends one notification to one device again after a refusal
DELIVER_JOB = "push.deliver"  # sends notifications recorded by a request (a manager's nudge)
MAX_SEND_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
MAX_RETRY_DELAY_SECONDS = 6 * 3600
MIN_TTL_SECONDS = 60
INTERRUPTED_AFTER = timedelta(minutes=10)
INTERRUPTED_NOTE = "interrupted while sending; not sent again (at most once)"
# Chunks being sent at once: while one chunk waits for its slowest device, the next ones
# keep the sender's `concurrency` slots busy. Also the most a crash can leave "sending".
CHUNKS_IN_FLIGHT = 3


def build_message(notification: Notification, now: datetime) -> Message:
    spec = KIND_SPECS[notification.kind]
    remaining = int((notification.expires_at - now).total_seconds())
    round_part = f"r{notification.round_id}" if notification.round_id else "team"  # type: ignore[attr-defined]
    topic = f"{round_part}-{spec.topic}"
    return Message(
        title=notification.title,
        body=notification.body,
        url=notification.url,
        ttl_seconds=max(min(spec.max_ttl_seconds, remaining), MIN_TTL_SECONDS),
        urgency=spec.urgency,
        topic=topic,
        tag=topic,
    )


def target_of(subscription: PushSubscription) -> Target:
    return Target(subscription.endpoint, subscription.p256dh, subscription.auth)


async def claim(notification_id: int, status: NotificationStatus, now: datetime) -> bool:
    # sent_at marks when sending started, so an interrupted send can be found later.
    changed = await Notification.filter(id=notification_id, status=status).update(
        status=NotificationStatus.SENDING, sent_at=now
    )
    return changed == 1


async def settle_interrupted(now: datetime) -> int:
    """Settle notifications a crash left "sending": at most once means never sending them
    again, so they are marked sent with a note (some devices may have had them, some not).

    A send in progress finishes within a minute (10 s per request, a few chunks at a time), so
    one "sending" for INTERRUPTED_AFTER is taken as interrupted, even with several workers.
    """
    settled = await Notification.filter(
        status=NotificationStatus.SENDING, sent_at__lt=now - INTERRUPTED_AFTER
    ).update(status=NotificationStatus.SENT, note=INTERRUPTED_NOTE)
    if settled:
        logger.warning("settled %s notifications interrupted while sending", settled)
    return settled


@dataclass
class DeliveryReport:
    notifications: int = 0
    delivered: int = 0
    gone: int = 0
    retrying: int = 0
    rejected: int = 0


async def deliver(
    config: PushConfig,
    notification_ids: list[int],
    now: datetime,
    from_status: NotificationStatus = NotificationStatus.PENDING,
) -> DeliveryReport:
    """Claim and push these notifications to every device their members have.

    Claimed a chunk at a time, with up to CHUNKS_IN_FLIGHT chunks sending through one
    sender: a crash loses at most the chunks in flight (those stay "sending", are never sent
    twice, and the next run settles them: `settle_interrupted`); the rest are still pending
    for the next run. Ids another worker already claimed are skipped.
    """
    report = DeliveryReport()
    await settle_interrupted(now)
    chunk_size = max(config.concurrency, 1)
    slots = asyncio.Semaphore(CHUNKS_IN_FLIGHT)
    async with open_sender(config) as sender, asyncio.TaskGroup() as group:
        for start in range(0, len(notification_ids), chunk_size):
            await slots.acquire()
            chunk = notification_ids[start : start + chunk_size]
            claimed = [nid for nid in chunk if await claim(nid, from_status, now)]
            group.create_task(deliver_in_slot(slots, sender, claimed, now, report))
    return report


async def deliver_in_slot(
    slots: asyncio.Semaphore,
    sender: Sender,
    claimed: list[int],
    now: datetime,
    report: DeliveryReport,
) -> None:
    try:
        if claimed:
            await deliver_claimed(sender, claimed, now, report)
    finally:
        slots.release()


async def deliver_claimed(
    sender: Sender, claimed: list[int], now: datetime, report: DeliveryReport
) -> None:
    notifications = await Notification.filter(id__in=claimed)
    member_ids = {n.member_id for n in notifications}  # type: ignore[attr-defined]
    subscriptions = await PushSubscription.filter(member_id__in=member_ids).order_by("id")
    sends = [
        (notification, subscription)
        for notification in notifications
        for subscription in subscriptions
        if subscription.member_id == notification.member_id  # type: ignore[attr-defined]
    ]
    results = await sender.send_all([(target_of(sub), build_message(n, now)) for n, sub in sends])
    await apply_results(list(zip(sends, results, strict=True)), 1, now, report)
    await mark_sent([notification.id for notification in notifications], now)
    report.notifications += len(notifications)


async def pending_for_event(kind: ReminderKind, event: str, now: datetime) -> list[int]:
    """Every notification of this event still waiting to go, including ones recorded by an
    earlier run that crashed before sending them."""
    rows = (
        await Notification.filter(
            key__startswith=f"{kind.value}:{event}:",
            status=NotificationStatus.PENDING,
            deliver_at__lte=now,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    return [int(row) for row in rows]  # type: ignore[call-overload]


async def mark_sent(notification_ids: list[int], now: datetime) -> None:
    """Mark these notifications sent; those no device took are noted as in the app only."""
    sent = Notification.filter(id__in=notification_ids)
    await sent.filter(devices_sent__gt=0).update(
        status=NotificationStatus.SENT, sent_at=now, note=""
    )
    await sent.filter(devices_sent=0).update(
        status=NotificationStatus.SENT, sent_at=now, note="in the app only (no device took it)"
    )


Send = tuple[tuple[Notification, PushSubscription], SendResult]


@dataclass
class Answers:
    """What one chunk of sends changes, written in a few statements whatever its size."""

    records: list[PushDelivery] = field(default_factory=list)
    devices_by_notification: Counter[int] = field(default_factory=Counter)
    delivered: set[int] = field(default_factory=set)  # subscription ids
    gone: set[int] = field(default_factory=set)
    errors: dict[int, str] = field(default_factory=dict)  # subscription id -> last error


async def apply_results(
    sends: list[Send], attempt: int, now: datetime, report: DeliveryReport
) -> None:
    """Act on each device's answer (one bad device never stops the others), then record
    every outcome per device, in bulk."""
    answers = Answers()
    for (notification, subscription), result in sends:
        outcome = await read_result(notification, subscription, result, attempt, now, report)
        answers.records.append(
            delivery_record(notification, subscription, result, outcome, attempt, now)
        )
        if outcome == DeliveryOutcome.SENT:
            answers.devices_by_notification[notification.id] += 1
            answers.delivered.add(subscription.id)
        elif outcome == DeliveryOutcome.GONE:
            answers.gone.add(subscription.id)
        elif result.detail:
            answers.errors[subscription.id] = result.detail[:200]
    await record_answers(answers, now)


async def read_result(
    notification: Notification,
    subscription: PushSubscription,
    result: SendResult,
    attempt: int,
    now: datetime,
    report: DeliveryReport,
) -> DeliveryOutcome:
    if result.outcome == Outcome.DELIVERED:
        report.delivered += 1
        return DeliveryOutcome.SENT
    if result.outcome == Outcome.GONE:
        report.gone += 1  # the browser dropped this subscription (uninstalled, cleared, expired)
        return DeliveryOutcome.GONE
    if result.outcome == Outcome.RETRY and attempt < MAX_SEND_ATTEMPTS:
        report.retrying += 1
        await schedule_retry(notification, subscription, result, attempt, now)
        return DeliveryOutcome.FAILED
    report.rejected += 1
    logger.error(
        "push %s to %s given up: %s", notification.key, subscription.endpoint, result.detail
    )
    if result.outcome in (Outcome.RETRY, Outcome.UNANSWERED):
        return DeliveryOutcome.FAILED
    return DeliveryOutcome.REFUSED


def delivery_record(
    notification: Notification,
    subscription: PushSubscription,
    result: SendResult,
    outcome: DeliveryOutcome,
    attempt: int,
    now: datetime,
) -> PushDelivery:
    return PushDelivery(
        notification_id=notification.id,
        member_id=subscription.member_id,  # type: ignore[attr-defined]
        subscription_id=subscription.id,
        device=subscription.device,
        outcome=outcome,
        status=result.status,
        error="" if outcome == DeliveryOutcome.SENT else result.detail[:200],
        attempt=attempt,
        created_at=now,
    )


async def record_answers(answers: Answers, now: datetime) -> None:
    """One transaction: the per-device records, each notification's device count (one
    UPDATE per distinct count, almost always one), and each subscription's latest state
    (one UPDATE for the deliveries, one DELETE for the gone)."""
    if not answers.records:
        return  # members with no device: the notification is in the app only
    by_count: dict[int, list[int]] = defaultdict(list)
    for notification_id, count in answers.devices_by_notification.items():
        by_count[count].append(notification_id)
    async with in_transaction():
        await PushDelivery.bulk_create(answers.records)
        for count, ids in by_count.items():
            await Notification.filter(id__in=ids).update(devices_sent=F("devices_sent") + count)
        if answers.delivered:
            await PushSubscription.filter(id__in=sorted(answers.delivered)).update(
                last_sent_at=now, last_error=""
            )
        if answers.gone:
            await PushSubscription.filter(id__in=sorted(answers.gone)).delete()
        for subscription_id, error in answers.errors.items():
            await PushSubscription.filter(id=subscription_id).update(last_error=error)


def retry_delay(result: SendResult, attempt: int) -> int:
    """Honour Retry-After, but never wait less than the backoff or more than the cap."""
    backoff = RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return int(min(max(result.retry_after_seconds, backoff), MAX_RETRY_DELAY_SECONDS))


async def schedule_retry(
    notification: Notification,
    subscription: PushSubscription,
    result: SendResult,
    attempt: int,
    now: datetime,
) -> None:
    run_at = now + timedelta(seconds=retry_delay(result, attempt))
    if run_at >= notification.expires_at:
        logger.info(
            "push %s to %s not retried: it would arrive too late",
            notification.key,
            subscription.endpoint,
        )
        return
    await schedule(
        RETRY_JOB,
        f"push:retry:{notification.id}:{subscription.id}:{attempt + 1}",
        run_at,
        {
            "notification_id": notification.id,
            "subscription_id": subscription.id,
            "attempt": attempt + 1,
        },
    )


async def retry_one(
    config: PushConfig, notification_id: int, subscription_id: int, attempt: int, now: datetime
) -> DeliveryReport:
    """Send one notification to one device again (the job key makes each attempt run once)."""
    report = DeliveryReport()
    notification = await Notification.get_or_none(id=notification_id)
    subscription = await PushSubscription.get_or_none(id=subscription_id)
    if notification is None or subscription is None or now >= notification.expires_at:
        return report
    [result] = await send_many(
        config, [(target_of(subscription), build_message(notification, now))]
    )
    await apply_results([((notification, subscription), result)], attempt, now, report)
    return report
