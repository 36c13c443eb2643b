"""This process's live sockets, grouped by team, and the fan-out of rendered fragments.

Flow: an event names a team and a version -> the team's channel re-renders the views its
sockets watch, once, at most every MIN_RENDER_INTERVAL_SECONDS (bursts coalesce into one
render) -> every socket of the team gets the same patch from the previous render (see
`patches`), or the whole render if it missed that one. Each socket has its own small
mailbox and writer, so a slow phone never holds up the others: a send that takes longer
than SEND_TIMEOUT_SECONDS, or a mailbox that overflows, drops that socket, and its page
resyncs from a fresh snapshot when it reconnects.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from starlette.websockets import WebSocket, WebSocketDisconnect

from league.live.broker import RESYNC_KIND, TAKE_FEEDBACK_KIND, Event
from league.live.patches import view_patch

logger = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 2.0
MAX_PENDING_MESSAGES = 8
MIN_RENDER_INTERVAL_SECONDS = 0.25  # at most four renders a second per team

# Close codes. 1013 ("try again later") makes htmx's ws extension reconnect with backoff;
# the 44xx codes tell live.js/tv.js to reload the page instead (sign in, or pair again).
CLOSE_TRY_AGAIN = 1013
CLOSE_SIGNED_OUT = 4401
CLOSE_REVOKED = 4403
# The take screen's view: nothing team-wide, only its member's own take feedback.
FEEDBACK_VIEW = "feedback"


@dataclass(frozen=True)
class Viewer:
    """Who is watching: a member on their phone, or an office screen."""

    organisation_id: int
    team_id: int
    member_id: int | None = None
    screen_id: int | None = None
    # The member's session: its sockets close when it ends, and no later than `expires_in`.
    session_id: int | None = None
    expires_in_seconds: float | None = None


class Part(NamedTuple):
    """One view of a render: its whole HTML, and a patch from the render before it."""

    html: str
    base: str | None = None  # the render `patch` applies to (held by most sockets)
    patch: str | None = None  # None: no patch, send `html`


class Message(NamedTuple):
    # The team version the HTML was rendered at; None for one-off messages (e.g. the reveal).
    version: int | None
    html: str = ""
    # A render of the socket's views: each socket gets, per view, the patch if it holds
    # the patch's base, nothing if it already holds this render, else the whole view.
    parts: dict[str, Part] | None = None


class Renderer(Protocol):
    async def render_views(self, team_id: int, views: frozenset[str]) -> dict[str, str]:
        """HTML of each view, made only of hx-swap-oob elements."""
        ...

    async def render_reveal(self, team_id: int) -> str: ...

    async def render_screen_settings(self, screen_id: int) -> str: ...

    async def render_take_feedback(self, member_id: int, take_id: int) -> str:
        """The member's feedback on their take (empty if it is not theirs or gone)."""
        ...


class Connection:
    def __init__(self, websocket: WebSocket, viewer: Viewer, views: frozenset[str]) -> None:
        self.websocket = websocket
        self.viewer = viewer
        self.views = views
        self.mailbox: asyncio.Queue[Message] = asyncio.Queue(MAX_PENDING_MESSAGES)
        self.sent_version = 0
        self.close_code: int | None = None
        # The render of each view this socket's page shows (the very string, shared).
        self.held: dict[str, str] = {}

    def offer(self, message: Message) -> None:
        try:
            self.mailbox.put_nowait(message)
        except asyncio.QueueFull:
            self.drop(CLOSE_TRY_AGAIN)

    def drop(self, code: int) -> None:
        """Stop this socket: its writer closes it with `code` and the page will resync."""
        if self.close_code is None:
            self.close_code = code
            # Wake the writer even when the mailbox is full: it checks close_code first.
            if self.mailbox.full():
                self.mailbox.get_nowait()
            self.mailbox.put_nowait(Message(None, ""))

    async def write_until_closed(self) -> None:
        while self.close_code is None:
            message = await self.mailbox.get()
            if self.close_code is not None:
                break
            # A render that started before a newer one already sent is stale: skip it.
            if message.version is not None:
                if message.version < self.sent_version:
                    continue
                self.sent_version = message.version
            text = self.text_of(message)
            if not text:
                continue
            try:
                async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                    await self.websocket.send_text(text)
            except TimeoutError:
                self.close_code = CLOSE_TRY_AGAIN
            except (WebSocketDisconnect, RuntimeError, OSError):
                return  # the client went away; nothing left to close
        await self.close()

    def text_of(self, message: Message) -> str:
        if message.parts is None:
            return message.html
        texts = []
        for view, part in sorted(message.parts.items()):
            held = self.held.get(view)
            if held is part.html:
                continue
            usable = part.patch is not None and held is part.base
            texts.append(part.patch if usable and part.patch is not None else part.html)
            self.held[view] = part.html
        return "".join(texts)

    async def close(self) -> None:
        try:
            async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                await self.websocket.close(self.close_code or CLOSE_TRY_AGAIN)
        except (TimeoutError, WebSocketDisconnect, RuntimeError, OSError):
            # Already gone or not answering: the server drops the transport either way.
            return


@dataclass
class TeamChannel:
    """The sockets of one team in this process, and the renders they share."""

    organisation_id: int
    team_id: int
    renderer: Renderer
    connections: set[Connection] = field(default_factory=set)
    version: int = 0
    dirty: bool = False
    last_render_at: float = float("-inf")
    refresh_task: asyncio.Task[None] | None = None
    cache: dict[str, tuple[int, str]] = field(default_factory=dict)
    render_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # The last render of each view sent to every socket: the base of the next patches.
    fanned: dict[str, str] = field(default_factory=dict)

    def watched_views(self) -> frozenset[str]:
        views: set[str] = set()
        for connection in self.connections:
            views |= connection.views
        return frozenset(views)

    async def render(self, views: frozenset[str]) -> tuple[int, dict[str, str]]:
        """The views at the newest version this process knows, rendered at most once each."""
        async with self.render_lock:
            version = self.version
            fresh = {v: html for v, (at, html) in self.cache.items() if at == version}
            missing = views - fresh.keys()
            if missing:
                rendered = await self.renderer.render_views(self.team_id, frozenset(missing))
                # An event that arrived mid-render may not be in this HTML: don't cache it.
                if version == self.version:
                    self.cache.update({v: (version, html) for v, html in rendered.items()})
                fresh.update(rendered)
            return version, fresh

    async def snapshot(self, views: frozenset[str]) -> Message:
        version, htmls = await self.render(views)
        # The first sockets of a channel hold their snapshot: patch the next render from it.
        for view in views:
            self.fanned.setdefault(view, htmls[view])
        return Message(version, parts={view: Part(htmls[view]) for view in views})

    def mark_changed(self, version: int) -> None:
        self.version = max(self.version, version)
        self.cache.clear()
        self.dirty = True
        if self.refresh_task is None or self.refresh_task.done():
            self.refresh_task = asyncio.create_task(self.refresh_while_dirty())

    async def refresh_while_dirty(self) -> None:
        loop = asyncio.get_running_loop()
        while self.dirty and self.connections:
            wait = self.last_render_at + MIN_RENDER_INTERVAL_SECONDS - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.dirty = False
            self.last_render_at = loop.time()
            try:
                await self.fan_out()
            except Exception:
                # Keep the channel alive: the next event renders again. Logged for a person.
                logger.exception("live render failed for team %s", self.team_id)

    async def fan_out(self) -> None:
        version, htmls = await self.render(self.watched_views())
        parts = {view: await self.part(view, html) for view, html in htmls.items()}
        self.fanned.update(htmls)
        messages: dict[frozenset[str], Message] = {}
        for connection in list(self.connections):
            message = messages.get(connection.views)
            if message is None:
                message = Message(version, parts={view: parts[view] for view in connection.views})
                messages[connection.views] = message
            # A take screen's socket shows nothing team-wide: its writer sends nothing.
            connection.offer(message)

    async def part(self, view: str, html: str) -> Part:
        """The view's new render, with a patch from the render every socket was last sent.

        Comparing two renders of a big team takes tens of milliseconds: a thread does it,
        so the event loop keeps serving requests meanwhile.
        """
        base = self.fanned.get(view)
        if base is None or base is html:
            return Part(html)
        return Part(html, base, await asyncio.to_thread(view_patch, base, html))

    def offer_all(self, connections: Iterable[Connection], html: str) -> None:
        for connection in connections:
            connection.offer(Message(None, html))


class Hub:
    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.channels: dict[int, TeamChannel] = {}

    def connection_count(self) -> int:
        return sum(len(channel.connections) for channel in self.channels.values())

    def join(self, connection: Connection) -> TeamChannel:
        viewer = connection.viewer
        channel = self.channels.get(viewer.team_id)
        if channel is None:
            channel = TeamChannel(viewer.organisation_id, viewer.team_id, self.renderer)
            self.channels[viewer.team_id] = channel
        channel.connections.add(connection)
        return channel

    def leave(self, connection: Connection) -> None:
        channel = self.channels.get(connection.viewer.team_id)
        if channel is None:
            return
        channel.connections.discard(connection)
        if not channel.connections:
            del self.channels[channel.team_id]

    async def serve(self, websocket: WebSocket, viewer: Viewer, views: frozenset[str]) -> None:
        """Run one accepted socket until it closes: snapshot first, then live updates."""
        connection = Connection(websocket, viewer, views)
        # Join before rendering the snapshot, so no event can fall between the two.
        channel = self.join(connection)
        writer = asyncio.create_task(connection.write_until_closed())
        reader = asyncio.create_task(read_until_disconnect(websocket))
        expiry = asyncio.create_task(close_at_expiry(connection))
        try:
            # Empty for a take screen's socket (nothing team-wide): its writer skips it.
            connection.offer(await channel.snapshot(views))
            if viewer.screen_id is not None and "tv" in views:
                settings = await self.renderer.render_screen_settings(viewer.screen_id)
                connection.offer(Message(None, settings))
            await asyncio.wait({writer, reader}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.leave(connection)
            for task in (writer, reader, expiry):
                task.cancel()
            await asyncio.gather(writer, reader, expiry, return_exceptions=True)

    async def on_event(self, event: Event) -> None:
        if event["kind"] == RESYNC_KIND:
            # Events may have been lost: every socket gets a fresh snapshot.
            for team_channel in list(self.channels.values()):
                team_channel.mark_changed(team_channel.version)
            return
        channel = self.channels.get(event["team_id"])
        if channel is None:
            return  # nobody here watches this team
        if channel.organisation_id != event["organisation_id"]:
            logger.error("event for team %s names another organisation", event["team_id"])
            return
        if event["kind"] in SIGN_OUT_KINDS:
            for connection in signed_out_connections(channel, event):
                connection.drop(CLOSE_SIGNED_OUT)
        elif event["kind"] == "screen_revoked":
            for connection in self.screen_connections(channel, event["screen_id"]):
                connection.drop(CLOSE_REVOKED)
        elif event["kind"] == "screen_settings" and event["screen_id"] is not None:
            html = await self.renderer.render_screen_settings(event["screen_id"])
            channel.offer_all(self.screen_connections(channel, event["screen_id"]), html)
        elif event["kind"] == "reveal":
            html = await self.renderer.render_reveal(channel.team_id)
            tvs = [c for c in channel.connections if "tv" in c.views]
            channel.offer_all(tvs, html)
        elif event["kind"] == TAKE_FEEDBACK_KIND:
            await self.send_take_feedback(channel, event)
        else:
            channel.mark_changed(event["version"])

    async def send_take_feedback(self, channel: TeamChannel, event: Event) -> None:
        """Private: only the take's member's own take screens hear about it."""
        member_id, take_id = event.get("member_id"), event.get("take_id")
        if member_id is None or take_id is None:
            return
        sockets = [
            c
            for c in channel.connections
            if c.viewer.member_id == member_id and FEEDBACK_VIEW in c.views
        ]
        html = await self.renderer.render_take_feedback(member_id, take_id) if sockets else ""
        if html:
            channel.offer_all(sockets, html)

    def screen_connections(self, channel: TeamChannel, screen_id: int | None) -> list[Connection]:
        return [c for c in channel.connections if c.viewer.screen_id == screen_id]


SIGN_OUT_KINDS = ("session_ended", "member_signed_out")


def signed_out_connections(channel: TeamChannel, event: Event) -> list[Connection]:
    """The sockets a sign-out event ends: one session's, or a member's but one session's."""
    session_id = event.get("session_id")
    if event["kind"] == "session_ended":
        return [c for c in channel.connections if c.viewer.session_id == session_id]
    member_id = event.get("member_id")
    return [
        c
        for c in channel.connections
        if c.viewer.member_id == member_id
        and (session_id is None or c.viewer.session_id != session_id)
    ]


async def close_at_expiry(connection: Connection) -> None:
    """A socket lives no longer than the session that opened it."""
    seconds = connection.viewer.expires_in_seconds
    if seconds is None:
        return
    await asyncio.sleep(max(seconds, 0))
    connection.drop(CLOSE_SIGNED_OUT)


async def read_until_disconnect(websocket: WebSocket) -> None:
    # Clients only listen; whatever they send is ignored. A disconnect ends the socket.
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
