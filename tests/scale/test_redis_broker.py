"""Live events over a real Redis: every process hears every event, and a restart is survived."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from league.live.broker import RESYNC_KIND, Event, create_broker
from league.live.redis_broker import CHANNEL, RedisBroker
from tests.scale.services import RedisServer

WAIT_SECONDS = 10.0


class Heard:
    """What one process's broker delivered to its listeners."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.arrived = asyncio.Event()

    async def listener(self, event: Event) -> None:
        self.events.append(event)
        self.arrived.set()

    async def wait_for(self, predicate: Callable[[Event], bool]) -> Event:
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                for event in self.events:
                    if predicate(event):
                        return event
                self.arrived.clear()
                await self.arrived.wait()


def event(team_id: int, version: int, kind: str = "review") -> Event:
    return Event(organisation_id=1, team_id=team_id, version=version, kind=kind, screen_id=None)


async def started(url: str) -> tuple[RedisBroker, Heard]:
    broker = create_broker(url)
    assert isinstance(broker, RedisBroker)
    heard = Heard()
    broker.subscribe(heard.listener)
    await broker.start()
    await asyncio.wait_for(broker.subscribed.wait(), WAIT_SECONDS)
    return broker, heard


@pytest.fixture
async def two_processes(
    redis_server: RedisServer,
) -> AsyncIterator[tuple[RedisBroker, Heard, RedisBroker, Heard]]:
    first, first_heard = await started(redis_server.url)
    second, second_heard = await started(redis_server.url)
    yield first, first_heard, second, second_heard
    await first.stop()
    await second.stop()


async def test_every_process_hears_every_event(
    two_processes: tuple[RedisBroker, Heard, RedisBroker, Heard],
) -> None:
    first, first_heard, second, second_heard = two_processes
    version = await first.next_version(7)

    await first.publish(event(7, version))

    for heard in (first_heard, second_heard):
        got = await heard.wait_for(lambda e: e["team_id"] == 7)
        assert got == event(7, version)


async def test_a_member_event_keeps_whose_sockets_it_is_for(
    two_processes: tuple[RedisBroker, Heard, RedisBroker, Heard],
) -> None:
    # A take's feedback and a member's sign-out reach only that member's sockets in
    # every process, so the member named must survive the trip through Redis.
    first, _, _, second_heard = two_processes
    sent = Event(
        organisation_id=1,
        team_id=8,
        version=await first.next_version(8),
        kind="take_feedback",
        screen_id=None,
        member_id=5,
        session_id=None,
        take_id=42,
    )

    await first.publish(sent)

    got = await second_heard.wait_for(lambda e: e["team_id"] == 8)
    assert got.get("member_id") == 5 and got.get("take_id") == 42


async def test_versions_grow_across_processes(
    two_processes: tuple[RedisBroker, Heard, RedisBroker, Heard],
) -> None:
    first, _, second, _ = two_processes
    versions = [await broker.next_version(8) for broker in (first, second, first, second)]
    assert versions == sorted(versions) and len(set(versions)) == 4


async def test_a_redis_restart_is_survived_and_listeners_resync(
    two_processes: tuple[RedisBroker, Heard, RedisBroker, Heard], redis_server: RedisServer
) -> None:
    first, _, second, second_heard = two_processes

    redis_server.stop()
    # A write committed while Redis is down must not fail because of it.
    await first.publish(event(9, await first.next_version(9)))
    redis_server.start()

    # The other process reconnects on its own and tells its sockets to resync.
    await second_heard.wait_for(lambda e: e["kind"] == RESYNC_KIND)
    await asyncio.wait_for(first.subscribed.wait(), WAIT_SECONDS)
    await first.publish(event(10, await first.next_version(10)))
    assert (await second_heard.wait_for(lambda e: e["team_id"] == 10))["kind"] == "review"


async def test_it_ignores_messages_that_are_not_events(
    two_processes: tuple[RedisBroker, Heard, RedisBroker, Heard], redis_server: RedisServer
) -> None:
    first, first_heard, _, _ = two_processes
    async with Redis.from_url(redis_server.url) as stranger:
        await stranger.publish(CHANNEL, b"not json")
        await stranger.publish(CHANNEL, b'{"team_id": "eleven"}')

    await first.publish(event(11, 1))

    await first_heard.wait_for(lambda e: e["team_id"] == 11)
    assert [e["team_id"] for e in first_heard.events] == [11]
