"""What each of a member's devices last did with a reminder, in plain words, and how long
those per-device records are kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from league.push.models import DeliveryOutcome, PushDelivery, PushSubscription

DELIVERY_RECORD_DAYS = 30  # per-device outcomes older than this are deleted by the daily job
RECENT_RECORDS = 100  # a member's latest records read for the settings page

OUTCOME_WORDS = {
    DeliveryOutcome.SENT: "delivered {ago}",
    DeliveryOutcome.FAILED: "the last reminder didn't get through {ago}; it is tried again",
    DeliveryOutcome.REFUSED: (
        "the last reminder was refused {ago}: turn reminders off and on again on that device"
    ),
    DeliveryOutcome.GONE: (
        "this browser stopped accepting reminders {ago}: turn them on again on that device"
    ),
}


@dataclass(frozen=True)
class DeviceOutcome:
    device: str
    outcome: DeliveryOutcome
    words: str


def time_ago(moment: datetime, now: datetime) -> str:
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} days ago"


def describe(record: PushDelivery, now: datetime) -> DeviceOutcome:
    words = OUTCOME_WORDS[record.outcome].format(ago=time_ago(record.created_at, now))
    return DeviceOutcome(record.device or "Device", record.outcome, words)


async def last_outcomes(
    member_id: int, subscriptions: list[PushSubscription], now: datetime
) -> tuple[dict[int, DeviceOutcome], list[DeviceOutcome]]:
    """Each current device's latest outcome (by subscription id), and the devices whose
    browser dropped them lately (their subscriptions are gone)."""
    latest: dict[int, PushDelivery] = {}
    for record in (
        await PushDelivery.filter(member_id=member_id)
        .order_by("-created_at", "-id")
        .limit(RECENT_RECORDS)
    ):
        latest.setdefault(record.subscription_id, record)
    current = {sub.id for sub in subscriptions}
    by_device = {sid: describe(record, now) for sid, record in latest.items() if sid in current}
    dropped = [
        describe(record, now)
        for sid, record in latest.items()
        if sid not in current and record.outcome == DeliveryOutcome.GONE
    ]
    return by_device, dropped


async def delete_old_records(now: datetime) -> int:
    """Keep DELIVERY_RECORD_DAYS of per-device outcomes; returns how many were deleted."""
    cutoff = now - timedelta(days=DELIVERY_RECORD_DAYS)
    return await PushDelivery.filter(created_at__lt=cutoff).delete()
