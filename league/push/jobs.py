"""Reminder jobs, and the round hook that schedules them (create_app lists both).

Job keys are `push:{kind}:{round_id}` for the round-wide reminder (the fan-out), and each
member's notification row is keyed `{kind}:{round_id}:{member_id}`: a reminder goes to a
member at most once per event, whatever restarts or extra workers do.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from league.accounts.models import Membership
from league.jobs.models import Job
from league.jobs.service import JobContext, JobHandler, schedule
from league.push import delivery, reminders, service
from league.push.models import Notification, NotificationStatus, ReminderKind
from league.push.vapid import PushConfig
from league.seasons.models import Round, RoundState

logger = logging.getLogger(__name__)

FANOUT_JOB = "push.fanout"
MOVED_SLACK = timedelta(minutes=5)  # a job this early means the deadline moved


def fanout_key(kind: ReminderKind, round_id: int) -> str:
    return f"push:{kind.value}:{round_id}"


def push_config(context: JobContext) -> PushConfig:
    config: PushConfig = context.services["push"]
    return config


async def schedule_round_reminders(round_: Round, state: RoundState, context: JobContext) -> None:
    """Round hook: schedule the reminders the new state calls for (idempotent by key)."""
    for kind, run_at in reminders.reminder_times(round_, state, context.now):
        await schedule(
            FANOUT_JOB,
            fanout_key(kind, round_.id),
            run_at,
            {"kind": kind.value, "round_id": round_.id},
        )


async def run_fanout(job: Job, context: JobContext) -> None:
    round_ = await Round.get_or_none(id=int(str(job.payload["round_id"])))
    if round_ is None:
        return
    kind = ReminderKind(str(job.payload["kind"]))
    if await follow_moved_deadline(round_, kind, context.now):
        return
    await send_round_reminder(round_, kind, context.now, context.services)


async def follow_moved_deadline(round_: Round, kind: ReminderKind, now: datetime) -> bool:
    """A manager extended the deadline after this reminder was scheduled: schedule it for
    the new time instead (a new key per time; the member is still told only once)."""
    due = dict(reminders.reminder_times(round_, RoundState.OPEN, now)).get(kind)
    if kind not in reminders.DEADLINE_KINDS or due is None or due <= now + MOVED_SLACK:
        return False
    key = f"{fanout_key(kind, round_.id)}:{int(due.timestamp())}"
    await schedule(FANOUT_JOB, key, due, {"kind": kind.value, "round_id": round_.id})
    return True


async def send_round_reminder(
    round_: Round, kind: ReminderKind, now: datetime, services: dict[str, Any]
) -> delivery.DeliveryReport:
    """Work out who gets this round's `kind` reminder now, record it and push it."""
    facts = await reminders.load_facts(round_, kind, services["url_path_for"])
    planned = await reminders.BUILDERS[kind](facts, now)
    await service.record_reminders(kind, str(round_.id), round_.id, planned, now)
    due = await delivery.pending_for_event(kind, str(round_.id), now)
    report = await delivery.deliver(services["push"], due, now)
    logger.info("round %s %s reminder: %s", round_.id, kind.value, report)
    return report


async def run_release(job: Job, context: JobContext) -> None:
    """Quiet hours are over: send a held reminder, unless it has become pointless."""
    notification = await Notification.get_or_none(id=int(str(job.payload["notification_id"])))
    if notification is None or notification.status != NotificationStatus.HELD:
        return
    if not await reminders.is_still_useful(notification, context.now):
        await Notification.filter(id=notification.id, status=NotificationStatus.HELD).update(
            status=NotificationStatus.SKIPPED, note="no longer needed after quiet hours"
        )
        return
    await delivery.deliver(
        push_config(context), [notification.id], context.now, from_status=NotificationStatus.HELD
    )


async def run_retry(job: Job, context: JobContext) -> None:
    payload = job.payload
    await delivery.retry_one(
        push_config(context),
        int(str(payload["notification_id"])),
        int(str(payload["subscription_id"])),
        int(str(payload["attempt"])),
        context.now,
    )


async def run_deliver(job: Job, context: JobContext) -> None:
    ids = [int(str(nid)) for nid in job.payload["ids"]]  # type: ignore[attr-defined]
    await delivery.deliver(push_config(context), ids, context.now)


async def nudge(coach: Membership, round_: Round, now: datetime, services: dict[str, Any]) -> int:
    """Record a friendly nudge for every rep who hasn't practised (at most one per rep per
    12 hours) and queue them for the worker. Returns how many reps will be nudged."""
    planned = await reminders.plan_nudges(coach, round_, now, services["url_path_for"])
    event = reminders.nudge_event(round_, now)
    ids = await service.record_reminders(ReminderKind.NUDGE, event, round_.id, planned, now)
    if ids:
        key = f"push:nudge:{round_.id}:{coach.id}:{int(now.timestamp())}"
        await schedule(delivery.DELIVER_JOB, key, now, {"ids": ids})
        worker = services.get("worker")
        if worker is not None:
            worker.poke()
    return len(planned)


JOB_KINDS: dict[str, JobHandler] = {
    FANOUT_JOB: run_fanout,
    service.RELEASE_JOB: run_release,
    delivery.RETRY_JOB: run_retry,
    delivery.DELIVER_JOB: run_deliver,
}
