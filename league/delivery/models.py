"""Delivery feedback: what the analysis heard in each take, and misses a rep disputed."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Membership, Team
from league.clips.models import Take


class AnalysisStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class TakeAnalysis(Model):
    """One take's delivery feedback. The row is also the durable queue entry: a queued or
    interrupted analysis is picked up again after a restart."""

    id = fields.IntField(primary_key=True)
    take: fields.OneToOneRelation[Take] = fields.OneToOneField(
        "models.Take", related_name="analysis", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="take_analyses", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="take_analyses", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(AnalysisStatus, max_length=16, default=AnalysisStatus.QUEUED)
    attempts = fields.IntField(default=0)
    claimed_until = fields.DatetimeField(null=True)
    words = fields.IntField(null=True)
    speaking_seconds = fields.FloatField(null=True)
    words_per_minute = fields.FloatField(null=True)
    # [[start_seconds, length_seconds], ...] of pauses of a second or more.
    pauses: list[list[float]] = fields.JSONField(default=list)  # type: ignore[assignment]
    # [{"text": ..., "heard": bool, "score": float}, ...] in the drill's key point order.
    key_points: list[dict[str, object]] = fields.JSONField(default=list)  # type: ignore[assignment]
    transcript = fields.TextField(default="")
    cpu_seconds = fields.FloatField(null=True)
    error = fields.TextField(default="")
    created_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    disputes: fields.ReverseRelation[MissDispute]

    class Meta:
        table = "take_analysis"
        indexes = (("status", "created_at"), ("member_id", "created_at"), ("team_id", "created_at"))


class MissDispute(Model):
    """A rep saying "I did say that" about a key point the analysis was not sure of.

    Kept with what was heard so the matching can be improved against real misses.
    """

    id = fields.IntField(primary_key=True)
    analysis: fields.ForeignKeyRelation[TakeAnalysis] = fields.ForeignKeyField(
        "models.TakeAnalysis", related_name="disputes", on_delete=fields.CASCADE
    )
    key_point = fields.CharField(max_length=300)
    created_at = fields.DatetimeField()

    class Meta:
        table = "miss_dispute"
        unique_together = (("analysis", "key_point"),)
