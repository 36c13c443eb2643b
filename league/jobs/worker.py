"""The in-process worker: wakes every few seconds (or when poked) and runs due jobs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from league.jobs.service import JobContext, run_due_jobs
from league.web.tasks import cancel_task

logger = logging.getLogger(__name__)


class Worker:
    def __init__(self, make_context: Callable[[], JobContext], interval_seconds: float) -> None:
        self.make_context = make_context
        self.interval_seconds = interval_seconds
        self.wakeup = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.run_forever(), name="league-worker")

    async def stop(self) -> None:
        await cancel_task(self.task)

    def poke(self) -> None:
        """Run due jobs now instead of at the next tick (e.g. right after scheduling)."""
        self.wakeup.set()

    async def run_forever(self) -> None:
        while True:
            try:
                await run_due_jobs(self.make_context())
            except Exception:
                # The database may be briefly busy; the next tick tries again.
                logger.exception("worker tick failed")
            try:
                await asyncio.wait_for(self.wakeup.wait(), self.interval_seconds)
            except TimeoutError:
                pass
            self.wakeup.clear()
