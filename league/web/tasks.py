"""Background tasks that run for as long as the app does."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
# Rows handled between two yields to the event loop in whole-round work (a slice of a
# 500-member round takes a few milliseconds; the whole round, a few hundred).
SLICE_ROWS = 100


async def cancel_task(task: asyncio.Task[None] | None) -> None:
    """Cancel `task` and wait until it has stopped; None (never started) does nothing."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def map_in_slices(
    function: Callable[[Item], Result], items: Sequence[Item], size: int = SLICE_ROWS
) -> list[Result]:
    """`[function(item) for item in items]`, letting the event loop run between slices, so
    a whole round's CPU work never stalls other requests for long."""
    results: list[Result] = []
    for start in range(0, len(items), size):
        results.extend(function(item) for item in items[start : start + size])
        await asyncio.sleep(0)
    return results
