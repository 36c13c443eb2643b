"""Push subscriptions, reminder preferences, quiet hours, and delivering notifications.

A notification is recorded once per (kind, event, member) under a unique key, then
claimed with one conditional UPDATE (pending -> sending) before anything is sent. Two
workers, a retried job or a restart therefore never push the same notification twice.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from league.accounts.models import Membership
from league.jobs.service import schedule
from league.push.models import (
    Notification,
    NotificationStatus,
    PushPreference,
    PushSubscription,
    ReminderKind,
)
from league.push.sender import Message, Outcome, SendResult, Target, send_many
from league.push.vapid import PushConfig
from league.web.errors import LeagueError, NotFound

logger = logging.getLogger(__name__)

RELEASE_JOB = "push.release"  # sends held notifications when quiet hours end
RETRY_JOB = "push.retry"  # sends one notification to one device again after a refusal
DELIVER_JOB = "push.deliver"  # sends notifications recorded by a request (a manager's nudge)
MAX_SEND_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
MAX_RETRY_DELAY_SECONDS = 6 * 3600
MIN_TTL_SECONDS = 60
DEFAULT_QUIET_START = "20:00"
DEFAULT_QUIET_END = "08:00"


@dataclass(frozen=True)
class KindSpec:
    label: str
    short: str  # in the manager's table
    description: str  # shown next to the member's on/off switch
    urgency: str
    max_ttl_seconds: int
    topic: str  # a newer message with the same topic replaces the older one


KIND_SPECS: dict[ReminderKind, KindSpec] = {
    ReminderKind.ROUND_OPEN: KindSpec(
        "Round is open",
        "Round open",
        "When a round opens, with this week's drills",
        "normal",
        86400,
        "practice",
    ),
    ReminderKind.REVIEW: KindSpec(
        "Clips to review",
        "Review",
        "When teammates' clips are waiting for your review",
        "normal",
        86400,
        "review",
    ),
    ReminderKind.DEADLINE: KindSpec(
        "Deadline soon",
        "Deadline",
        "Two hours before submissions close, if you haven't submitted",
        "high",
        7200,
        "practice",
    ),
    ReminderKind.RESULTS: KindSpec(
        "Results are out",
        "Results",
        "When a round's results are out, with your highlight",
        "low",
        3 * 86400,
        "results",
    ),
    ReminderKind.STREAK: KindSpec(
        "Streak at risk",
        "Streak",
        "The day before the deadline, if your streak is on the line",
        "normal",
        12 * 3600,
        "practice",
    ),
    ReminderKind.NUDGE: KindSpec(
        "Nudges from your manager",
        "Nudge",
        "A friendly nudge from your manager to get your reps in",
        "normal",
        12 * 3600,
        "practice",
    ),
}


# --- Subscriptions ---------------------------------------------------------------------


def decode_key(value: str, length: int, what: str) -> str:
    """Check a base64url subscription key decodes to `length` bytes; return it unchanged."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise LeagueError(f"The browser sent an unreadable {what} key.") from None
    if len(raw) != length:
        raise LeagueError(f"The browser sent a {what} key of the wrong size.")
    return value


def check_endpoint(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    is_loopback_http = parts.scheme == "http" and is_loopback(parts.hostname or "")
    if (
        len(endpoint) > 1000
        or not parts.hostname
        or not (parts.scheme == "https" or is_loopback_http)
    ):
        raise LeagueError("The browser sent a push address we can't use.")
    return endpoint


def is_loopback(host: str) -> bool:
    # Plain http is only for a push service on this machine (the tests run one).
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


SYSTEMS = (
    ("iphone", "iPhone"),
    ("ipad", "iPad"),
    ("android", "Android"),
    ("mac os", "Mac"),
    ("windows", "Windows"),
    ("linux", "Linux"),
)
# Order matters: Edge and Chrome also say "safari" in their user agents.
BROWSERS = (
    ("edg/", "Edge"),
    ("firefox", "Firefox"),
    ("chrome", "Chrome"),
    ("chromium", "Chrome"),
    ("safari", "Safari"),
)


def describe_device(user_agent: str) -> str:
    """A short, human name for a device, e.g. "iPhone · Safari"."""
    agent = user_agent.lower()
    system = next((name for key, name in SYSTEMS if key in agent), "Device")
    browser = next((name for key, name in BROWSERS if key in agent), "Browser")
    return f"{system} · {browser}"


async def save_subscription(
    member: Membership,
    session_id: int | None,
    endpoint: str,
    p256dh: str,
    auth: str,
    device: str,
) -> PushSubscription:
    """Store this device's subscription for `member`, replacing what the endpoint had before
    (the same phone signed in as someone else, or fresh keys after the browser renewed)."""
    values: dict[str, Any] = {
        "member_id": member.id,
        "session_id": session_id,
        "p256dh": decode_key(p256dh, 65, "encryption"),
        "auth": decode_key(auth, 16, "authentication"),
        "device": device[:80],
        "last_error": "",
    }
    endpoint = check_endpoint(endpoint)
    existing = await PushSubscription.get_or_none(endpoint=endpoint)
    if existing is not None:
        await PushSubscription.filter(id=existing.id).update(**values)
        return await PushSubscription.get(id=existing.id)
    try:
        return await PushSubscription.create(endpoint=endpoint, **values)
    except IntegrityError:
        # The same device subscribed twice at once: keep one row.
        await PushSubscription.filter(endpoint=endpoint).update(**values)
        return await PushSubscription.get(endpoint=endpoint)


async def list_subscriptions(member: Membership) -> list[PushSubscription]:
    return await PushSubscription.filter(member_id=member.id).order_by("created_at", "id")


async def remove_subscription(member: Membership, subscription_id: int) -> None:
    deleted = await PushSubscription.filter(id=subscription_id, member_id=member.id).delete()
    if not deleted:
        raise NotFound("That device isn't on your list any more.")


async def remove_subscription_by_endpoint(member: Membership, endpoint: str) -> bool:
    return bool(await PushSubscription.filter(endpoint=endpoint, member_id=member.id).delete())


# --- Preferences and quiet hours -------------------------------------------------------


def parse_clock(value: str, what: str) -> time:
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise LeagueError(f"{what} must be a time like 20:00.") from None


async def load_preference(member: Membership) -> PushPreference:
    """The member's settings, or unsaved defaults (every kind on, quiet 20:00-08:00)."""
    preference = await PushPreference.get_or_none(member_id=member.id)
    return preference or default_preference(member)


def default_preference(member: Membership) -> PushPreference:
    return PushPreference(
        member_id=member.id,
        muted_kinds=[],
        quiet_start=DEFAULT_QUIET_START,
        quiet_end=DEFAULT_QUIET_END,
    )


async def save_preference(
    member: Membership, enabled: Iterable[str], quiet_start: str, quiet_end: str
) -> PushPreference:
    start = parse_clock(quiet_start, "Quiet hours start")
    end = parse_clock(quiet_end, "Quiet hours end")
    enabled_kinds = set(enabled)
    muted = [kind.value for kind in ReminderKind if kind.value not in enabled_kinds]
    preference, _ = await PushPreference.get_or_create(member_id=member.id)
    preference.muted_kinds = muted
    preference.quiet_start = start.strftime("%H:%M")
    preference.quiet_end = end.strftime("%H:%M")
    await preference.save()
    return preference


def quiet_hours_end(now: datetime, time_zone: str, start: time, end: time) -> datetime | None:
    """When the quiet hours around `now` end (UTC), or None if `now` is not in them.

    Works for hours that wrap past midnight (20:00-08:00) and ones that don't (13:00-14:00).
    """
    if start == end:
        return None
    local = now.astimezone(ZoneInfo(time_zone))
    clock = local.time().replace(tzinfo=None)
    wraps = start > end
    inside = (clock >= start or clock < end) if wraps else (start <= clock < end)
    if not inside:
        return None
    release_day = local.date() + timedelta(days=1 if wraps and clock >= start else 0)
    release = datetime.combine(release_day, end, tzinfo=ZoneInfo(time_zone))
    return release.astimezone(now.tzinfo)


# --- Recording -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """What to tell one member about one event."""

    member: Membership
    title: str
    body: str
    url: str
    expires_at: datetime
    time_zone: str  # the member's team's: quiet hours are local


async def record_reminders(
    kind: ReminderKind,
    event: str,
    round_id: int | None,
    reminders: list[Reminder],
    now: datetime,
) -> list[int]:
    """Log one notification per member for this event and return the ids to send now.

    A member already told about this event is left alone, so calling this twice (a
    retried job, a second worker) records and sends nothing new.
    """
    preferences = await load_preferences([reminder.member for reminder in reminders])
    due: list[int] = []
    for reminder in reminders:
        preference = preferences[reminder.member.id]
        notification = await record_one(kind, event, round_id, reminder, preference, now)
        if notification is not None and notification.status == NotificationStatus.PENDING:
            due.append(notification.id)
    return due


async def load_preferences(members: list[Membership]) -> dict[int, PushPreference]:
    saved = await PushPreference.filter(member_id__in=[member.id for member in members])
    by_member = {preference.member_id: preference for preference in saved}  # type: ignore[attr-defined]
    return {member.id: by_member.get(member.id) or default_preference(member) for member in members}


async def record_one(
    kind: ReminderKind,
    event: str,
    round_id: int | None,
    reminder: Reminder,
    preference: PushPreference,
    now: datetime,
) -> Notification | None:
    member = reminder.member
    status, deliver_at, note = plan_delivery(kind, preference, reminder, now)
    try:
        notification = await Notification.create(
            key=f"{kind.value}:{event}:{member.id}",
            team_id=member.team_id,  # type: ignore[attr-defined]
            member_id=member.id,
            round_id=round_id,
            kind=kind,
            status=status,
            title=reminder.title[:120],
            body=reminder.body[:400],
            url=reminder.url,
            created_at=now,
            deliver_at=deliver_at,
            expires_at=reminder.expires_at,
            note=note,
        )
    except IntegrityError:
        return None
    if status == NotificationStatus.HELD:
        await schedule(
            RELEASE_JOB,
            f"push:release:{notification.id}",
            deliver_at,
            {"notification_id": notification.id},
        )
    return notification


def plan_delivery(
    kind: ReminderKind, preference: PushPreference, reminder: Reminder, now: datetime
) -> tuple[NotificationStatus, datetime, str]:
    if kind.value in preference.muted_kinds:
        return NotificationStatus.MUTED, now, "turned off by the member"
    start = time.fromisoformat(preference.quiet_start)
    end = time.fromisoformat(preference.quiet_end)
    release = quiet_hours_end(now, reminder.time_zone, start, end)
    if release is None:
        return NotificationStatus.PENDING, now, ""
    if release >= reminder.expires_at:
        return NotificationStatus.SKIPPED, now, "quiet hours last past the deadline"
    return NotificationStatus.HELD, release, "held for quiet hours"


# --- Delivering ------------------------------------------------------------------------


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


async def claim(notification_id: int, status: NotificationStatus) -> bool:
    changed = await Notification.filter(id=notification_id, status=status).update(
        status=NotificationStatus.SENDING
    )
    return changed == 1


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

    Claimed a chunk at a time: a crash loses at most the chunk in flight (those stay
    "sending" and are never sent twice); the rest are still pending for the next run.
    Ids another worker already claimed are skipped.
    """
    report = DeliveryReport()
    chunk_size = max(config.concurrency, 1)
    for start in range(0, len(notification_ids), chunk_size):
        chunk = notification_ids[start : start + chunk_size]
        claimed = [nid for nid in chunk if await claim(nid, from_status)]
        if claimed:
            await deliver_claimed(config, claimed, now, report)
    return report


async def deliver_claimed(
    config: PushConfig, claimed: list[int], now: datetime, report: DeliveryReport
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
    results = await send_many(config, [(target_of(sub), build_message(n, now)) for n, sub in sends])
    for (notification, subscription), result in zip(sends, results, strict=True):
        await apply_result(notification, subscription, result, 1, now, report)
    for notification in notifications:
        await mark_sent(notification, now)
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


async def mark_sent(notification: Notification, now: datetime) -> None:
    refreshed = await Notification.get(id=notification.id)
    note = "" if refreshed.devices_sent else "in the app only (no device took it)"
    await Notification.filter(id=notification.id).update(
        status=NotificationStatus.SENT, sent_at=now, note=note
    )


async def apply_result(
    notification: Notification,
    subscription: PushSubscription,
    result: SendResult,
    attempt: int,
    now: datetime,
    report: DeliveryReport,
) -> None:
    if result.outcome == Outcome.DELIVERED:
        report.delivered += 1
        await Notification.filter(id=notification.id).update(devices_sent=F("devices_sent") + 1)
        await PushSubscription.filter(id=subscription.id).update(last_sent_at=now, last_error="")
    elif result.outcome == Outcome.GONE:
        report.gone += 1
        # The browser dropped this subscription (uninstalled, cleared, expired).
        await PushSubscription.filter(id=subscription.id).delete()
    elif result.outcome == Outcome.RETRY and attempt < MAX_SEND_ATTEMPTS:
        report.retrying += 1
        await schedule_retry(notification, subscription, result, attempt, now)
    else:
        report.rejected += 1
        logger.error(
            "push %s to %s given up: %s", notification.key, subscription.endpoint, result.detail
        )
        await PushSubscription.filter(id=subscription.id).update(last_error=result.detail[:200])


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
    await apply_result(notification, subscription, result, attempt, now, report)
    return report


# --- The in-app list -------------------------------------------------------------------

VISIBLE_STATUSES = (NotificationStatus.SENT, NotificationStatus.MUTED, NotificationStatus.SENDING)


async def list_notifications(member: Membership, limit: int = 50) -> list[Notification]:
    return (
        await Notification.filter(member_id=member.id, status__in=VISIBLE_STATUSES)
        .order_by("-created_at", "-id")
        .limit(limit)
    )


async def count_unread(member: Membership) -> int:
    query = Notification.filter(member_id=member.id, status__in=VISIBLE_STATUSES, read_at=None)
    return int(await query.count())


async def mark_all_read(member: Membership, now: datetime) -> None:
    await Notification.filter(member_id=member.id, read_at=None).update(read_at=now)
