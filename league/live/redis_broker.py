"""The scale-out broker: events travel between server processes over Redis pub/sub.

Redis may restart or be unreachable for a while. Then publishing logs and drops the event
(the write itself is already committed), and the listener reconnects with backoff. Once it
is back it tells this process's listeners to resync (RESYNC_KIND), so every socket gets a
fresh snapshot of what it shows and nothing missed in between stays missing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from league.live.broker import RESYNC_KIND, Event, Listener, notify_listeners
from league.web.tasks import cancel_task

logger = logging.getLogger(__name__)

CHANNEL = "league:live"
VERSION_KEY = "league:live:version:{team_id}"
FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 5.0
HEALTH_CHECK_SECONDS = 10
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class RedisBroker:
    def __init__(self, url: str) -> None:
        # No built-in retries: this class retries itself, and must notice each reconnect.
        self.redis: Redis = Redis.from_url(
            url,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=HEALTH_CHECK_SECONDS,
            socket_connect_timeout=2,
        )
        self.listeners: list[Listener] = []
        self.task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()
        self.local_versions: dict[int, int] = {}

    async def start(self) -> None:
        self.task = asyncio.create_task(self.listen_forever(), name="league-redis-broker")

    async def stop(self) -> None:
        await cancel_task(self.task)
        self.task = None
        await self.redis.aclose()

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    async def next_version(self, team_id: int) -> int:
        try:
            version = int(await self.redis.incr(VERSION_KEY.format(team_id=team_id)))
        except REDIS_DOWN:
            # Redis is away: a local number still orders this process's own renders.
            version = self.local_versions.get(team_id, 0) + 1
        self.local_versions[team_id] = version
        return version

    async def publish(self, event: Event) -> None:
        message = json.dumps(event)
        # Twice: the first try may meet a connection Redis dropped when it restarted.
        for attempt in (1, 2):
            try:
                await self.redis.publish(CHANNEL, message)
                return
            except REDIS_DOWN as error:
                if attempt == 2:
                    logger.warning("Redis unreachable, live event dropped: %s (%s)", event, error)

    async def listen_forever(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        connected_before = False
        while True:
            try:
                async with self.redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.subscribed.set()
                    backoff = FIRST_BACKOFF_SECONDS
                    if connected_before:
                        logger.info("Redis is back: live views resync")
                        await notify_listeners(self.listeners, resync_event())
                    connected_before = True
                    await self.deliver_messages(pubsub)
            except REDIS_DOWN as error:
                self.subscribed.clear()
                logger.warning("Redis unreachable (%s); retrying in %.1f s", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def deliver_messages(self, pubsub: Any) -> None:
        async for message in pubsub.listen():
            event = decode_event(message.get("data"))
            if event is not None:
                await notify_listeners(self.listeners, event)


def resync_event() -> Event:
    return Event(organisation_id=0, team_id=0, version=0, kind=RESYNC_KIND, screen_id=None)


EVENT_FIELDS = {"organisation_id": int, "team_id": int, "version": int, "kind": str}


def optional_id(raw: dict[str, Any], name: str) -> int | None:
    value = raw.get(name)
    return value if isinstance(value, int) else None


def decode_event(data: object) -> Event | None:
    """The Event in a pub/sub message; None (logged) for anything else on the channel."""
    try:
        raw = json.loads(data) if isinstance(data, bytes | str) else None
        if not isinstance(raw, dict) or not all(
            isinstance(raw.get(name), kind) for name, kind in EVENT_FIELDS.items()
        ):
            raise ValueError("not a live event")
        event = Event(
            organisation_id=raw["organisation_id"],
            team_id=raw["team_id"],
            version=raw["version"],
            kind=raw["kind"],
            screen_id=optional_id(raw, "screen_id"),
        )
        # Sign-outs and a take's feedback name whose sockets they are for: keep those.
        if (member_id := optional_id(raw, "member_id")) is not None:
            event["member_id"] = member_id
        if (session_id := optional_id(raw, "session_id")) is not None:
            event["session_id"] = session_id
        if (take_id := optional_id(raw, "take_id")) is not None:
            event["take_id"] = take_id
        return event
    except ValueError:
        logger.error("ignored a message on %s that is not a live event: %r", CHANNEL, data)
        return None
