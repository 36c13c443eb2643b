"""Schedule durable jobs and run the ones that are due.

A job is claimed with one conditional UPDATE (pending -> running). Whichever worker's
UPDATE changes the row owns the job; every other worker sees zero rows changed and moves
on. No lock is held while the job runs: a claim lasts CLAIM_SECONDS, after which a crashed
worker's job may be claimed again.

On PostgreSQL, where several server processes share the work, the next due job is picked
with `SELECT … FOR UPDATE SKIP LOCKED` inside the claiming transaction, so racing workers
each pick a different job instead of all trying the oldest. SQLite has one writer at a time
and no row locks: there a worker reads a batch of due ids and claims the first it can.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from league.jobs.models import Job, JobStatus
from league.reactions import Reactions

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300  # a job still "running" after this is taken to have crashed
MAX_ATTEMPTS = 5
BATCH_SIZE = 50


@dataclass
class JobContext:
    """What a job handler gets besides its row: the time and the app's services, among
    them its reactions (job kinds, round hooks, points listeners, broker)."""

    now: datetime
    services: dict[str, Any] = field(default_factory=dict)

    @property
    def reactions(self) -> Reactions:
        reactions: Reactions = self.services["reactions"]
        return reactions


JobHandler = Callable[[Job, JobContext], Awaitable[None]]


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


def claimable(now: datetime) -> Q:
    return Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, claimed_until__lt=now)


def due_jobs(now: datetime) -> QuerySet[Job]:
    return Job.filter(claimable(now), run_at__lte=now).order_by("run_at", "id")


async def claim(job_id: int, now: datetime, connection: BaseDBAsyncClient | None = None) -> bool:
    changed = (
        await Job.filter(claimable(now), id=job_id)
        .using_db(connection)
        .update(
            status=JobStatus.RUNNING,
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    return changed == 1


async def claim_next_job(now: datetime) -> Job | None:
    """Claim the oldest due job nobody else holds; None when there is none."""
    if connections.get("default").capabilities.dialect == "sqlite":
        return await claim_first_of_batch(now)
    while True:
        async with in_transaction() as connection:
            # A whole row, not values_list: Tortoise drops FOR UPDATE from values queries.
            locked = due_jobs(now).select_for_update(skip_locked=True).using_db(connection)
            job = await locked.first()
            if job is None:
                return None
            if await claim(job.id, now, connection):
                return await Job.get(id=job.id, using_db=connection)


async def claim_first_of_batch(now: datetime) -> Job | None:
    while job_ids := await due_jobs(now).limit(BATCH_SIZE).values_list("id", flat=True):
        for job_id in job_ids:
            if await claim(job_id, now):  # type: ignore[arg-type]
                return await Job.get(id=job_id)
        # Every one was claimed by another worker meanwhile: read the next batch.
    return None


async def run_due_jobs(context: JobContext) -> int:
    """Run every job due at `context.now`, oldest first. Returns how many ran."""
    ran = 0
    while (job := await claim_next_job(context.now)) is not None:
        await run_claimed_job(job, context)
        ran += 1
    return ran


async def release_interrupted_jobs() -> int:
    """Make jobs left "running" by a process that died claimable again at once.

    Only for a database one process serves (the embedded SQLite default): at its start no
    job can really be running, so waiting out CLAIM_SECONDS would only delay results and
    reminders. The retry counts as a new attempt, so round hooks that were owed run.
    """
    return await Job.filter(status=JobStatus.RUNNING).update(
        status=JobStatus.PENDING, claimed_until=None
    )


async def run_claimed_job(job: Job, context: JobContext) -> None:
    handler = context.reactions.job_kinds.get(job.kind)
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
