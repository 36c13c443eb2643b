"""The broker carries small change events between server processes.

Every process publishes the events of the writes it commits and hears every event, its own
included. The embedded default is in-process (`memory://`); the scale-out setting
(`redis://`, league/live/redis_broker.py) adds Redis pub/sub behind the same interface.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import NotRequired, Protocol, TypedDict

from league.settings import SettingsError
from league.web.tasks import cancel_task

logger = logging.getLogger(__name__)


class Event(TypedDict):
    """A change to what a team's live views show.

    `version` grows with every change to the team, so a process can tell an old render from
    a new one. `screen_id` is set only for events about one office screen (e.g. revoked);
    `member_id` and `session_id` only for sign-outs, whose sockets must close, and for
    events meant for one member's sockets alone (`take_id`: their take's feedback is ready).
    """

    organisation_id: int
    team_id: int
    version: int
    kind: str
    screen_id: int | None
    member_id: NotRequired[int | None]
    session_id: NotRequired[int | None]
    take_id: NotRequired[int | None]


Listener = Callable[[Event], Awaitable[None]]

# Sent by a broker to its own process's listeners after it lost events (Redis was away):
# every live view re-renders and resends a full snapshot. Its team_id is 0 (every team).
RESYNC_KIND = "resync"
# A take's delivery feedback is ready: only its member's sockets watching "feedback" get it.
TAKE_FEEDBACK_KIND = "take_feedback"


class Broker(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def next_version(self, team_id: int) -> int:
        """A version number for the team's next event, higher than every earlier one."""
        ...

    async def publish(self, event: Event) -> None: ...

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(event)` for every event published from now on, by any process."""
        ...


class MemoryBroker:
    """Events stay inside this process: the embedded default, one server process."""

    def __init__(self) -> None:
        self.versions: dict[int, int] = {}
        self.listeners: list[Listener] = []
        self.queue: asyncio.Queue[Event] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self.deliver_forever(), name="league-broker")

    async def stop(self) -> None:
        await cancel_task(self.task)
        self.task = None

    async def next_version(self, team_id: int) -> int:
        version = self.versions.get(team_id, 0) + 1
        self.versions[team_id] = version
        return version

    async def publish(self, event: Event) -> None:
        # Delivery happens on the broker's own task, as it would from Redis: the writer that
        # publishes never waits for renders or sends.
        self.queue.put_nowait(event)

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    async def deliver_forever(self) -> None:
        while True:
            await notify_listeners(self.listeners, await self.queue.get())


async def notify_listeners(listeners: list[Listener], event: Event) -> None:
    for listener in listeners:
        try:
            await listener(event)
        except Exception:
            # One listener's bug must not stop live updates for everyone else.
            logger.exception("live listener failed on %s", event)


def create_broker(url: str) -> Broker:
    """The broker named by settings.broker_url: memory:// or redis://host:port/db."""
    scheme = url.split("://", 1)[0]
    if scheme == "memory":
        return MemoryBroker()
    if scheme in ("redis", "rediss"):
        try:
            from league.live.redis_broker import RedisBroker
        except ImportError:
            raise SettingsError(
                "LEAGUE_BROKER_URL is redis:// but redis-py is missing: pip install 'league[redis]'"
            ) from None
        return RedisBroker(url)
    raise SettingsError(f"LEAGUE_BROKER_URL {url!r} is not supported; use memory:// or redis://")
