"""One at a time per key, across every server process.

Derived data (a round's entry scores and points) is recomputed by reading the round and
writing the result. Two requests doing that at once for the same round can each read
before the other's write and leave the older result last. Holding a lock per round for
the read-compute-write makes the last writer one that saw every earlier write.

Within a process an asyncio lock queues the requests. On PostgreSQL, where several
processes share the database, the holder also takes a transaction-scoped advisory lock
(`pg_advisory_xact_lock(namespace, key)`) on a connection of its own, so the work inside
commits as usual and the lock goes with that connection's transaction. Waiting on the
asyncio lock first means each process holds at most one connection per key while it
waits. On SQLite one process serves the database, so the asyncio lock is enough.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

# Advisory lock namespaces (the first key of pg_advisory_xact_lock): one per kind of lock,
# so a round's scoring lock and its points lock never stand in for each other.
ROUND_SCORING_NAMESPACE = 1
ROUND_POINTS_NAMESPACE = 2


class KeyedLocks:
    def __init__(self, namespace: int) -> None:
        self.namespace = namespace
        # key -> (lock, holders and waiters); entries go once nobody uses them.
        self.locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: int) -> AsyncIterator[None]:
        async with self.hold_in_process(key), database_lock(self.namespace, key):
            yield

    @asynccontextmanager
    async def hold_in_process(self, key: int) -> AsyncIterator[None]:
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


@asynccontextmanager
async def database_lock(namespace: int, key: int) -> AsyncIterator[None]:
    """PostgreSQL's advisory lock on (namespace, key) while the block runs; nothing on
    SQLite."""
    client = connections.get("default")
    if client.capabilities.dialect != "postgres":
        yield
        return
    sql = "SELECT pg_advisory_xact_lock($1, $2)"
    if isinstance(client, TransactionalDBClient):
        # Already inside a transaction: the lock lasts until that transaction ends.
        await client.execute_query(sql, [namespace, key])
        yield
        return
    async with client.acquire_connection() as connection, connection.transaction():
        await connection.execute(sql, namespace, key)
        yield
