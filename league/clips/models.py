"""Takes (recordings) and entries (the take a rep submitted for a drill in a round)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Membership, Team
from league.playbook.models import Drill
from league.seasons.models import Round


class Take(Model):
    """One recording. Private to its rep until submitted as an entry."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="takes", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="takes", on_delete=fields.CASCADE
    )
    drill: fields.ForeignKeyRelation[Drill] = fields.ForeignKeyField(
        "models.Drill", related_name="takes", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyNullableRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="takes", null=True, on_delete=fields.SET_NULL
    )
    storage_key = fields.CharField(max_length=255, unique=True)
    content_type = fields.CharField(max_length=64)  # e.g. audio/webm, video/mp4
    codecs = fields.CharField(max_length=64, default="")  # e.g. "opus", "h264,aac"
    duration_seconds = fields.FloatField()
    size_bytes = fields.IntField()
    has_video = fields.BooleanField(default=False)
    # Chosen by the phone when the take is recorded: a retried upload whose first attempt
    # did arrive finds this take again instead of storing the clip twice.
    upload_key = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "take"
        unique_together = (("member", "upload_key"),)
        indexes = (("member_id", "drill_id"),)


class Entry(Model):
    """The take a rep submitted for one drill of one round. Replaceable until the deadline."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="entries", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="entries", on_delete=fields.CASCADE
    )
    drill: fields.ForeignKeyRelation[Drill] = fields.ForeignKeyField(
        "models.Drill", related_name="entries", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="entries", on_delete=fields.CASCADE
    )
    take: fields.ForeignKeyRelation[Take] = fields.ForeignKeyField(
        "models.Take", related_name="entries", on_delete=fields.RESTRICT
    )
    submitted_at = fields.DatetimeField()
    # Withdrawing is explicit and visible to the manager; the row stays.
    withdrawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "entry"
        unique_together = (("round", "drill", "member"),)
        indexes = (("round_id", "member_id"),)
