"""A process for the worker's CPU-heavy steps (a whole round's scores), owned by the app.

create_app makes one and lists it in the job context's services (`"cpu_pool"`); the
lifespan stops it. A step sends plain values in and gets plain values back, so the maths
holds no lock the event loop needs: in a thread, a whole round's scoring at 500 reps held
the interpreter lock for tens of milliseconds, and every request waited on it.

The lifespan starts the pool; its process starts on first use ("spawn": forking a process
that runs an event loop and threads is unsafe) and stays for the next round. Code that runs
outside a server (scripts, repairs, the demo loader) has no pool: the same step then runs
in a thread, still off the event loop.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Result = TypeVar("Result")
PARENT_CHECK_SECONDS = 1.0


def exit_with_parent(parent_pid: int) -> None:
    """In the pool's process: exit once the server is gone. A server killed outright never
    shuts its pool down, and a pool process waiting for work would wait forever."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class CpuPool:
    def __init__(self, processes: int = 1) -> None:
        self.processes = processes
        self.executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Set up the pool's queues and locks (tens of milliseconds on a busy machine, so
        before serving); its process starts with the first step sent."""
        self.executor = ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=exit_with_parent,
            initargs=(os.getpid(),),
        )

    def pool(self) -> ProcessPoolExecutor:
        if self.executor is None:
            self.start()
        assert self.executor is not None
        return self.executor

    async def stop(self) -> None:
        """Cancel what has not started and wait for the process to exit (in a thread)."""
        executor, self.executor = self.executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)


async def run_off_loop(pool: CpuPool | None, function: Callable[..., Result], *args: Any) -> Result:
    """`function(*args)` in the pool's process, or in a thread where there is no pool.
    `function` and `args` must pickle: module-level functions and plain values."""
    if pool is None:
        return await asyncio.to_thread(function, *args)
    # Submitted from a thread: the first call starts the process, which takes milliseconds.
    future = await asyncio.to_thread(pool.pool().submit, function, *args)
    return await asyncio.wrap_future(future)
