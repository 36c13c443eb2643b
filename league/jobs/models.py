"""Durable scheduled work: round transitions, reminders, results."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Job(Model):
    """One piece of scheduled work.

    `key` is the idempotency key: scheduling the same key twice keeps one row, and a
    job is claimed by an atomic status change, so it runs once even with several workers.
    """

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=64)
    key = fields.CharField(max_length=200, unique=True)
    payload: dict[str, object] = fields.JSONField(default=dict)  # type: ignore[assignment]
    run_at = fields.DatetimeField()
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.PENDING)
    attempts = fields.IntField(default=0)
    claimed_until = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "job"
        indexes = (("status", "run_at"),)
