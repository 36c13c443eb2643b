"""Schedule durable jobs and run the ones that are due.

A job is claimed with one conditional UPDATE (pending -> running). Whichever worker's
UPDATE changes the row owns the job; every other worker sees zero rows changed and moves
on. This works the same on SQLite and PostgreSQL and needs no lock held across the run.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from league.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300  # a job still "running" after this is taken to have crashed
MAX_ATTEMPTS = 5
BATCH_SIZE = 50


@dataclass
class JobContext:
    """What a job handler gets besides its row: the time and app-wide services."""

    now: datetime
    services: dict[str, Any] = field(default_factory=dict)


JobHandler = Callable[[Job, JobContext], Awaitable[None]]
HANDLERS: dict[str, JobHandler] = {}


def register_job_kind(kind: str, handler: JobHandler) -> None:
    HANDLERS[kind] = handler


async def schedule(kind: str, key: str, run_at: datetime, payload: dict[str, Any]) -> Job:
    """Schedule a job once per key; a second call with the same key moves its time instead."""
    existing = await Job.get_or_none(key=key)
    if existing is not None:
        if existing.status == JobStatus.PENDING and existing.run_at != run_at:
            existing.run_at = run_at
            existing.payload = payload
            await existing.save(update_fields=["run_at", "payload"])
        return existing
    try:
        return await Job.create(kind=kind, key=key, run_at=run_at, payload=payload)
    except IntegrityError:
        # Another worker scheduled the same key between our read and our insert.
        return await Job.get(key=key)


async def cancel(key: str) -> None:
    await Job.filter(key=key, status=JobStatus.PENDING).update(status=JobStatus.CANCELLED)


async def claim(job_id: int, now: datetime) -> bool:
    claimable = Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, claimed_until__lt=now)
    changed = await Job.filter(claimable, id=job_id).update(
        status=JobStatus.RUNNING,
        claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    return changed == 1


async def run_due_jobs(context: JobContext) -> int:
    """Run every job due at `context.now`, oldest first. Returns how many ran."""
    ran = 0
    while True:
        due = await list_due_jobs(context.now)
        if not due:
            return ran
        for job_id in due:
            if await claim(job_id, context.now):
                await run_claimed_job(await Job.get(id=job_id), context)
                ran += 1


async def list_due_jobs(now: datetime) -> list[int]:
    claimable = Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, claimed_until__lt=now)
    jobs = await Job.filter(claimable, run_at__lte=now).order_by("run_at", "id").limit(BATCH_SIZE)
    return [job.id for job in jobs]


async def run_claimed_job(job: Job, context: JobContext) -> None:
    handler = HANDLERS.get(job.kind)
    if handler is None:
        await finish(job, JobStatus.FAILED, context.now, f"no handler for kind {job.kind}")
        logger.error("job %s has unknown kind %s", job.key, job.kind)
        return
    try:
        await handler(job, context)
    except Exception as error:  # noqa: BLE001 - a failing job must not stop the worker
        logger.exception("job %s failed (attempt %s)", job.key, job.attempts)
        await retry_or_fail(job, context.now, repr(error))
        return
    await finish(job, JobStatus.DONE, context.now)


async def retry_or_fail(job: Job, now: datetime, error: str) -> None:
    if job.attempts >= MAX_ATTEMPTS:
        await finish(job, JobStatus.FAILED, now, error)
        return
    backoff = timedelta(seconds=30 * 2 ** (job.attempts - 1))
    await Job.filter(id=job.id).update(
        status=JobStatus.PENDING, run_at=now + backoff, claimed_until=None, last_error=error
    )


async def finish(job: Job, status: JobStatus, now: datetime, error: str = "") -> None:
    await Job.filter(id=job.id).update(
        status=status, finished_at=now, claimed_until=None, last_error=error
    )
