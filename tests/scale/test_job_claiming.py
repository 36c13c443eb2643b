"""Several workers on one PostgreSQL database share the due jobs and run each once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from starlette.applications import Starlette

from league.clock import FrozenClock
from league.jobs import service as jobs
from league.jobs.models import Job, JobStatus
from league.reactions import Reactions

KIND = "scale-test-count"
JOB_COUNT = 60
WORKERS = 4


counted: Counter[str] = Counter()

# These tests count the jobs they run.
pytestmark = pytest.mark.usefixtures("without_housekeeping")


async def count(job: Job, context: jobs.JobContext) -> None:
    """Which job keys ran, and which worker ran them."""
    counted[job.key] += 1
    counted[f"worker:{context.services['worker_name']}"] += 1
    await asyncio.sleep(0.01)  # long enough for the workers to overlap


@pytest.fixture
def ran() -> Counter[str]:
    counted.clear()
    return counted


async def test_racing_workers_share_the_jobs_and_run_each_once(
    app: Starlette, clock: FrozenClock, ran: Counter[str]
) -> None:
    for number in range(JOB_COUNT):
        await jobs.schedule(KIND, f"count:{number}", clock.now(), {})

    contexts = [
        jobs.JobContext(
            now=clock.now(),
            services={"worker_name": str(worker), "reactions": Reactions(job_kinds={KIND: count})},
        )
        for worker in range(WORKERS)
    ]
    totals = await asyncio.gather(*(jobs.run_due_jobs(context) for context in contexts))

    assert sum(totals) == JOB_COUNT
    assert all(ran[f"count:{number}"] == 1 for number in range(JOB_COUNT))
    # SKIP LOCKED hands each worker a different job: nobody waits for the others.
    assert all(ran[f"worker:{worker}"] > 0 for worker in range(WORKERS)), ran
    assert await Job.filter(kind=KIND, status=JobStatus.DONE).count() == JOB_COUNT


async def test_a_locked_job_is_skipped_not_waited_for(app: Starlette, clock: FrozenClock) -> None:
    first = await jobs.schedule(KIND, "count:first", clock.now(), {})
    second = await jobs.schedule(KIND, "count:second", clock.now(), {})
    holding, release = asyncio.Event(), asyncio.Event()

    async def hold_first_row() -> None:
        from tortoise.transactions import in_transaction

        async with in_transaction() as connection:
            await Job.filter(id=first.id).select_for_update().using_db(connection).first()
            holding.set()
            await release.wait()

    holder = asyncio.create_task(hold_first_row())
    await holding.wait()
    claimed = await asyncio.wait_for(jobs.claim_next_job(clock.now()), timeout=5)
    release.set()
    await holder

    assert claimed is not None and claimed.id == second.id
