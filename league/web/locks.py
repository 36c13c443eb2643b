"""One at a time per key, within this process.

Derived data (a round's entry scores and points) is recomputed by reading the round and
writing the result. Two requests doing that at once for the same round can each read
before the other's write and leave the older result last. Holding a lock per round for
the read-compute-write makes the last writer one that saw every earlier write.

This covers the embedded default, where one process serves the database. Several
processes on PostgreSQL would need a database lock as well.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class KeyedLocks:
    def __init__(self) -> None:
        # key -> (lock, holders and waiters); entries go once nobody uses them.
        self.locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self.locks.get(key, (asyncio.Lock(), 0))
        self.locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self.locks[key]
            if users == 1:
                del self.locks[key]
            else:
                self.locks[key] = (lock, users - 1)
