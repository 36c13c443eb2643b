"""Background tasks that run for as long as the app does."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, TypeVar

from tortoise.queryset import QuerySet

Item = TypeVar("Item")
Result = TypeVar("Result")
# Rows handled between two yields to the event loop in whole-round work (a slice takes a
# few milliseconds; a whole 500-member round, a few hundred).
SLICE_ROWS = 50
# Rows read per query in whole-round work: Tortoise turns each row into Python values on the
# event loop (a few microseconds a column), so a whole season's rows at once stall it.
READ_ROWS = 200


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


async def chunks_of_values(
    query: QuerySet[Any], *columns: str, size: int | None = None
) -> AsyncIterator[list[tuple[Any, ...]]]:
    """`query.values_list(*columns)`, `size` (READ_ROWS) rows at a time in id order (the
    event loop runs between reads); callers needing another order sort what they build."""
    size = size or READ_ROWS
    last = 0
    while True:
        chunk = (
            await query.filter(id__gt=last).order_by("id").limit(size).values_list("id", *columns)
        )
        if chunk:
            yield [tuple(row[1:]) for row in chunk]
        if len(chunk) < size:
            return
        last = int(chunk[-1][0])


async def values_in_chunks(
    query: QuerySet[Any], *columns: str, size: int | None = None
) -> list[tuple[Any, ...]]:
    """Every row of `chunks_of_values`, in one list."""
    return [row async for chunk in chunks_of_values(query, *columns, size=size) for row in chunk]
