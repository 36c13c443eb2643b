"""Push subscriptions (one per device), reminder preferences and the notification log."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Membership, Session, Team
from league.seasons.models import Round


class ReminderKind(StrEnum):
    ROUND_OPEN = "round_open"
    REVIEW = "review"
    DEADLINE = "deadline"
    RESULTS = "results"
    STREAK = "streak"
    NUDGE = "nudge"


class NotificationStatus(StrEnum):
    PENDING = "pending"  # due now: the next delivery run sends it
    HELD = "held"  # inside the member's quiet hours; released in the morning
    # Claimed by one worker; never sent again, even after a crash: a send interrupted for
    # 10 minutes is settled as sent with a note (delivery.settle_interrupted).
    SENDING = "sending"
    SENT = "sent"  # handed to every device the member had (or shown in the app only)
    MUTED = "muted"  # the member turned this kind off: in the app list, not pushed
    SKIPPED = "skipped"  # pointless by the time it could go out (e.g. deadline passed)


class PushSubscription(Model):
    """One device that may receive pushes.

    Tied to the session that created it: signing out deletes the session, and the
    database deletes this row with it, so a signed-out phone gets nothing.
    """

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="push_subscriptions", on_delete=fields.CASCADE
    )
    session: fields.ForeignKeyNullableRelation[Session] = fields.ForeignKeyField(
        "models.Session", related_name="push_subscriptions", null=True, on_delete=fields.CASCADE
    )
    endpoint = fields.CharField(max_length=1000, unique=True)
    p256dh = fields.CharField(max_length=200)
    auth = fields.CharField(max_length=100)
    device = fields.CharField(max_length=80, default="")  # e.g. "iPhone · Safari"
    created_at = fields.DatetimeField(auto_now_add=True)
    last_sent_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=200, default="")

    class Meta:
        table = "push_subscription"
        indexes = (("member_id",), ("session_id",))


class PushPreference(Model):
    """A member's reminder settings. No row means every kind on and the default quiet hours."""

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Membership] = fields.OneToOneField(
        "models.Membership", related_name="push_preference", on_delete=fields.CASCADE
    )
    muted_kinds: list[str] = fields.JSONField(default=list)  # type: ignore[assignment]
    quiet_start = fields.CharField(max_length=5, default="20:00")  # local "HH:MM"
    quiet_end = fields.CharField(max_length=5, default="08:00")

    class Meta:
        table = "push_preference"


class Notification(Model):
    """What a member was told, once per (kind, event, member): the delivery log and the
    in-app list in one. `key` is unique, so at most one row, and one send, per event."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=200, unique=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="notifications", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="notifications", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyNullableRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ReminderKind, max_length=16)
    status = fields.CharEnumField(NotificationStatus, max_length=16)
    title = fields.CharField(max_length=120)
    body = fields.CharField(max_length=400)
    url = fields.CharField(max_length=300)
    created_at = fields.DatetimeField()
    deliver_at = fields.DatetimeField()
    # After this the message is pointless (deadline passed, reviews closed): never sent late.
    expires_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    devices_sent = fields.IntField(default=0)
    note = fields.CharField(max_length=200, default="")  # why held, skipped or failed
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification"
        ordering = ["-created_at", "-id"]
        indexes = (("member_id", "created_at"), ("round_id", "kind"), ("status", "deliver_at"))


class DeliveryOutcome(StrEnum):
    """What the push service said about one notification for one device."""

    SENT = "sent"  # taken for the device
    GONE = "gone"  # 404/410: the browser dropped the subscription, which is deleted
    FAILED = "failed"  # no answer, 429 or 5xx: tried again while the reminder still matters
    REFUSED = "refused"  # 400/403/413, an endpoint we refuse, or keys that do not encrypt


class PushDelivery(Model):
    """One send of one notification to one device, and its outcome.

    `subscription_id` is no foreign key: the record of a device whose browser answered
    "gone" outlives the subscription, so the member can be told that browser stopped
    accepting reminders. Rows older than DELIVERY_RECORD_DAYS are deleted daily.
    """

    id = fields.IntField(primary_key=True)
    notification: fields.ForeignKeyRelation[Notification] = fields.ForeignKeyField(
        "models.Notification", related_name="deliveries", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="push_deliveries", on_delete=fields.CASCADE
    )
    subscription_id = fields.IntField()
    device = fields.CharField(max_length=80, default="")
    outcome = fields.CharEnumField(DeliveryOutcome, max_length=8)
    status = fields.IntField(null=True)  # the push service's HTTP status, if it answered
    error = fields.CharField(max_length=200, default="")
    attempt = fields.IntField(default=1)
    created_at = fields.DatetimeField()

    class Meta:
        table = "push_delivery"
        indexes = (("member_id", "created_at"), ("created_at",))
