"""The notification log: what each kind of reminder is, recording who is told what, and the
in-app list.

A notification is recorded once per (kind, event, member) under a unique key, then
claimed with one conditional UPDATE (pending -> sending) before anything is sent (see
league/push/delivery.py). Two workers, a retried job or a restart therefore never push the
same notification twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from tortoise.exceptions import IntegrityError

from league.accounts.models import Membership
from league.jobs.service import schedule
from league.push.models import Notification, NotificationStatus, PushPreference, ReminderKind
from league.push.preferences import load_preferences, quiet_hours_end

RELEASE_JOB = "push.release"  # sends held notifications when quiet hours end


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


# --- The in-app list -------------------------------------------------------------------

VISIBLE_STATUSES = (NotificationStatus.SENT, NotificationStatus.MUTED, NotificationStatus.SENDING)


async def list_notifications(member: Membership, limit: int = 50) -> list[Notification]:
    return (
        await Notification.filter(member_id=member.id, status__in=VISIBLE_STATUSES)
        .order_by("-created_at", "-id")
        .limit(limit)
    )


async def mark_all_read(member: Membership, now: datetime) -> None:
    await Notification.filter(member_id=member.id, read_at=None).update(read_at=now)
