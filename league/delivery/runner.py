"""The analysis pool: queued takes, analysed a few at a time in worker processes.

Queue entries are `TakeAnalysis` rows, so a restart resumes whatever was queued or
interrupted. Each claim is one conditional UPDATE (as in `league.jobs`), so with several
server processes every take is analysed once. The CPU work runs in a process pool with
one process per worker slot, never on the event loop: pages and uploads stay fast while
a minute of speech is decoded.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from tortoise.expressions import F, Q

from league.clips.models import Take
from league.clips.storage import Storage
from league.clock import Clock
from league.delivery import pool
from league.delivery.models import AnalysisStatus, TakeAnalysis
from league.delivery.service import save_delivery
from league.live.events import publish_take_feedback
from league.playbook.drill_service import drill_key_points
from league.playbook.models import Drill
from league.reactions import Reactions
from league.web.tasks import cancel_task

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 180  # an analysis still "running" after this is taken to have crashed
MAX_ATTEMPTS = 3
POLL_SECONDS = 5.0  # also picks up takes queued by other server processes
READ_CHUNK_BYTES = 1 << 20


class DeliveryAnalyser:
    def __init__(self, storage: Storage, clock: Clock, workers: int, reactions: Reactions) -> None:
        self.storage = storage
        self.clock = clock
        self.reactions = reactions  # results are published on the app's live broker
        self.workers = workers
        self.wakeup = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        self.tasks = [
            asyncio.create_task(self.run_forever(), name=f"league-delivery-{slot}")
            for slot in range(self.workers)
        ]
        # Load the model in one pool process now, so the first take's feedback is not
        # held up by a cold start (a second or more of CPU).
        self.pool().submit(pool.warm_up)

    async def stop(self) -> None:
        for task in self.tasks:
            await cancel_task(task)
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)

    async def queue_take(self, take: Take) -> None:
        """Called once a take is stored: queue its analysis and wake an idle slot."""
        await TakeAnalysis.get_or_create(
            take_id=take.id,
            defaults={
                "team_id": take.team_id,  # type: ignore[attr-defined]
                "member_id": take.member_id,  # type: ignore[attr-defined]
                "created_at": self.clock.now(),
            },
        )
        self.wakeup.set()

    async def run_forever(self) -> None:
        while True:
            try:
                analysed = await self.run_next()
            except Exception:
                # The database may be briefly busy; the next round tries again.
                logger.exception("delivery analysis round failed")
                analysed = False
            if not analysed:
                await self.sleep()

    async def sleep(self) -> None:
        try:
            await asyncio.wait_for(self.wakeup.wait(), POLL_SECONDS)
        except TimeoutError:
            pass
        self.wakeup.clear()

    async def run_next(self) -> bool:
        """Claim and analyse the oldest waiting take. False when there was none."""
        now = self.clock.now()
        for analysis_id in await list_waiting(now):
            if await claim(analysis_id, now):
                await self.analyse(await TakeAnalysis.get(id=analysis_id))
                return True
        return False

    async def analyse(self, analysis: TakeAnalysis) -> None:
        take = await Take.get(id=analysis.take_id)  # type: ignore[attr-defined]
        try:
            key_points = await drill_key_points(await Drill.get(id=take.drill_id))  # type: ignore[attr-defined]
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "clip"
                await self.copy_clip(take, path)
                loop = asyncio.get_running_loop()
                delivery = await loop.run_in_executor(
                    self.pool(), pool.analyse_clip, str(path), key_points
                )
        except Exception as error:  # noqa: BLE001 - one bad clip must not stop the queue
            logger.exception("delivery analysis of take %s failed", take.id)
            if await retry_or_fail(analysis, repr(error)):
                await announce(self.reactions, analysis)
            return
        await save_delivery(analysis, delivery, self.clock.now())
        await announce(self.reactions, analysis)

    async def copy_clip(self, take: Take, path: Path) -> None:
        # Streamed to a file the pool process reads, so a 25 MB clip never sits in the
        # server's memory (nor is pickled across to the pool).
        size = await self.storage.size(take.storage_key)
        with path.open("wb") as handle:
            async for chunk in self.storage.open_range(take.storage_key, 0, size - 1):
                handle.write(chunk)

    def pool(self) -> ProcessPoolExecutor:
        # "spawn" because forking a process that runs an event loop and threads is unsafe.
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=pool.start_process,
                initargs=(os.getpid(),),
            )
        return self.executor


async def list_waiting(now: datetime) -> list[int]:
    waiting = Q(status=AnalysisStatus.QUEUED) | Q(
        status=AnalysisStatus.RUNNING, claimed_until__lt=now
    )
    rows = await TakeAnalysis.filter(waiting).order_by("created_at", "id").limit(10)
    return [row.id for row in rows]


async def claim(analysis_id: int, now: datetime) -> bool:
    waiting = Q(status=AnalysisStatus.QUEUED) | Q(
        status=AnalysisStatus.RUNNING, claimed_until__lt=now
    )
    changed = await TakeAnalysis.filter(waiting, id=analysis_id).update(
        status=AnalysisStatus.RUNNING,
        claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    return changed == 1


async def retry_or_fail(analysis: TakeAnalysis, error: str) -> bool:
    """Queue the take again, or give up after MAX_ATTEMPTS; True when it gave up."""
    attempts = (await TakeAnalysis.get(id=analysis.id)).attempts
    status = AnalysisStatus.FAILED if attempts >= MAX_ATTEMPTS else AnalysisStatus.QUEUED
    await TakeAnalysis.filter(id=analysis.id).update(
        status=status, claimed_until=None, error=error[:2000]
    )
    return status == AnalysisStatus.FAILED


async def announce(reactions: Reactions, analysis: TakeAnalysis) -> None:
    """The result is saved: swap it into the rep's open take screens (theirs alone)."""
    await publish_take_feedback(
        reactions,
        analysis.team_id,  # type: ignore[attr-defined]
        analysis.member_id,  # type: ignore[attr-defined]
        analysis.take_id,  # type: ignore[attr-defined]
    )
