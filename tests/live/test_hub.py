"""The fan-out itself, with stand-in sockets: slow clients, stale renders, one render."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from league.live import hub as hub_module
from league.live.broker import RESYNC_KIND, TAKE_FEEDBACK_KIND, Event, MemoryBroker
from league.live.hub import (
    CLOSE_REVOKED,
    CLOSE_TRY_AGAIN,
    FEEDBACK_VIEW,
    Connection,
    Hub,
    Message,
    Part,
    Viewer,
)


class CountingRenderer:
    """Stands in for the template renderer: counts renders, returns numbered HTML."""

    def __init__(self) -> None:
        self.renders = 0

    async def render_views(self, team_id: int, views: frozenset[str]) -> dict[str, str]:
        self.renders += 1
        # As the real renderer: the take screen's view shows nothing team-wide.
        return {
            view: "" if view == FEEDBACK_VIEW else f"<div id='{view}'>{self.renders}</div>"
            for view in views
        }

    async def render_reveal(self, team_id: int) -> str:
        return "<div id='tv-reveal'></div>"

    async def render_screen_settings(self, screen_id: int) -> str:
        return "<div id='tv-settings'></div>"

    async def render_take_feedback(self, member_id: int, take_id: int) -> str:
        return f"<div id='feedback-{take_id}'>member {member_id}</div>"


class FakeSocket:
    """A socket the test controls: records what it was sent; `stall` makes sends hang."""

    def __init__(self, stall: bool = False) -> None:
        self.sent: list[str] = []
        self.closed_with: int | None = None
        self.stall = stall
        self.incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def send_text(self, text: str) -> None:
        if self.stall:
            await asyncio.sleep(3600)
        self.sent.append(text)

    async def close(self, code: int = 1000) -> None:
        self.closed_with = code

    async def receive(self) -> dict[str, Any]:
        return await self.incoming.get()

    def hang_up(self) -> None:
        self.incoming.put_nowait({"type": "websocket.disconnect", "code": 1000})


TEAM = Viewer(organisation_id=1, team_id=10, member_id=5)
STANDINGS = frozenset({"standings"})


def event(version: int, kind: str = "review", screen_id: int | None = None) -> Event:
    return Event(organisation_id=1, team_id=10, version=version, kind=kind, screen_id=screen_id)


async def serve(
    hub: Hub, socket: FakeSocket, viewer: Viewer = TEAM, views: frozenset[str] = STANDINGS
) -> asyncio.Task[None]:
    task = asyncio.create_task(hub.serve(socket, viewer, views))  # type: ignore[arg-type]
    for _ in range(50):
        await asyncio.sleep(0.01)
        if socket.sent or socket.closed_with is not None:
            break
    return task


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub_module, "SEND_TIMEOUT_SECONDS", 0.1)
    monkeypatch.setattr(hub_module, "MIN_RENDER_INTERVAL_SECONDS", 0.0)


async def test_it_renders_once_for_every_socket_of_the_team(quick: None) -> None:
    renderer = CountingRenderer()
    hub = Hub(renderer)
    sockets = [FakeSocket() for _ in range(50)]
    tasks = [await serve(hub, socket) for socket in sockets]
    assert renderer.renders == 1  # the snapshot is rendered once and shared
    await hub.on_event(event(1))
    await asyncio.sleep(0.05)
    assert renderer.renders == 2
    assert all(socket.sent == sockets[0].sent for socket in sockets)
    for socket in sockets:
        socket.hang_up()
    await asyncio.gather(*tasks)
    assert hub.channels == {}


async def test_a_slow_client_is_dropped_without_holding_up_the_others(quick: None) -> None:
    hub = Hub(CountingRenderer())
    slow, fast = FakeSocket(stall=True), FakeSocket()
    slow_task = await serve(hub, slow)
    fast_task = await serve(hub, fast)
    await hub.on_event(event(1))
    await asyncio.sleep(0.3)
    assert len(fast.sent) == 2
    assert slow.closed_with == CLOSE_TRY_AGAIN
    await slow_task
    fast.hang_up()
    await fast_task


async def test_a_client_that_falls_behind_is_dropped() -> None:
    connection = Connection(FakeSocket(), TEAM, frozenset({"standings"}))  # type: ignore[arg-type]
    for version in range(hub_module.MAX_PENDING_MESSAGES + 1):
        connection.offer(Message(version, "<div></div>"))
    assert connection.close_code == CLOSE_TRY_AGAIN


async def test_it_skips_a_render_older_than_one_already_sent() -> None:
    socket = FakeSocket()
    connection = Connection(socket, TEAM, frozenset({"standings"}))  # type: ignore[arg-type]
    connection.offer(Message(3, "new"))
    connection.offer(Message(2, "old"))
    connection.offer(Message(None, "one-off"))
    writer = asyncio.create_task(connection.write_until_closed())
    await asyncio.sleep(0.05)
    connection.drop(CLOSE_TRY_AGAIN)
    await writer
    assert socket.sent == ["new", "one-off"]


async def test_it_drops_a_revoked_screen_only(quick: None) -> None:
    hub = Hub(CountingRenderer())
    screen, phone = FakeSocket(), FakeSocket()
    screen_viewer = Viewer(organisation_id=1, team_id=10, screen_id=7)
    screen_task = await serve(hub, screen, screen_viewer)
    phone_task = await serve(hub, phone)
    await hub.on_event(event(1, "screen_revoked", screen_id=7))
    await screen_task
    assert screen.closed_with == CLOSE_REVOKED
    assert phone.closed_with is None
    phone.hang_up()
    await phone_task


async def test_it_ignores_an_event_naming_another_organisation(quick: None) -> None:
    renderer = CountingRenderer()
    hub = Hub(renderer)
    socket = FakeSocket()
    task = await serve(hub, socket)
    await hub.on_event(Event(organisation_id=2, team_id=10, version=1, kind="x", screen_id=None))
    await asyncio.sleep(0.05)
    assert len(socket.sent) == 1
    socket.hang_up()
    await task


async def test_the_memory_broker_numbers_and_delivers_events() -> None:
    broker = MemoryBroker()
    heard: list[Event] = []

    async def listen(item: Event) -> None:
        heard.append(item)

    broker.subscribe(listen)
    await broker.start()
    versions = [await broker.next_version(10) for _ in range(3)]
    for version in versions:
        await broker.publish(event(version))
    await asyncio.sleep(0.01)
    await broker.stop()
    assert versions == [1, 2, 3]
    assert [item["version"] for item in heard] == [1, 2, 3]


def test_an_unknown_broker_url_fails_at_startup_naming_the_setting() -> None:
    from league.live.broker import create_broker
    from league.settings import SettingsError

    with pytest.raises(SettingsError, match="LEAGUE_BROKER_URL"):
        create_broker("kafka://somewhere")


async def test_a_resync_sends_every_team_a_fresh_snapshot(quick: None) -> None:
    # After the broker lost events (Redis was away), nobody may keep a stale page.
    renderer = CountingRenderer()
    hub = Hub(renderer)
    other_team = Viewer(organisation_id=2, team_id=11, member_id=6)
    ours, theirs = FakeSocket(), FakeSocket()
    tasks = [await serve(hub, ours), await serve(hub, theirs, other_team)]

    await hub.on_event(
        Event(organisation_id=0, team_id=0, version=0, kind=RESYNC_KIND, screen_id=None)
    )
    await asyncio.sleep(0.05)

    assert len(ours.sent) == 2 and len(theirs.sent) == 2
    assert ours.sent[1] != ours.sent[0]  # rendered again, not the cached snapshot
    for socket in (ours, theirs):
        socket.hang_up()
    await asyncio.gather(*tasks)


async def test_a_take_result_goes_to_its_members_take_screens_only(quick: None) -> None:
    renderer = CountingRenderer()
    hub = Hub(renderer)
    feedback = frozenset({FEEDBACK_VIEW})
    teammate = Viewer(organisation_id=1, team_id=10, member_id=6)
    own_screen, own_standings, teammates_screen = FakeSocket(), FakeSocket(), FakeSocket()
    tasks = [
        await serve(hub, own_screen, TEAM, feedback),
        await serve(hub, own_standings, TEAM),
        await serve(hub, teammates_screen, teammate, feedback),
    ]
    assert own_screen.sent == [] and teammates_screen.sent == []  # nothing team-wide
    renders = renderer.renders

    result = Event(
        organisation_id=1,
        team_id=10,
        version=1,
        kind=TAKE_FEEDBACK_KIND,
        screen_id=None,
        member_id=5,
        take_id=42,
    )
    await hub.on_event(result)
    await asyncio.sleep(0.05)

    assert own_screen.sent == ["<div id='feedback-42'>member 5</div>"]
    assert teammates_screen.sent == []  # takes are private until submitted
    assert len(own_standings.sent) == 1  # only its snapshot: the standings did not change
    assert renderer.renders == renders
    for socket in (own_screen, own_standings, teammates_screen):
        socket.hang_up()
    await asyncio.gather(*tasks)


async def test_a_socket_gets_patches_while_it_holds_their_base_and_the_whole_view_if_not() -> None:
    first, second, third = "<p id='a'>1</p>", "<p id='a'>2</p>", "<p id='a'>3</p>"
    renders = [
        Message(2, parts={"standings": Part(second, first, "patch 1-2")}),
        Message(3, parts={"standings": Part(third, second, "patch 2-3")}),
    ]
    up_to_date, missed_one = FakeSocket(), FakeSocket()
    for socket, held in ((up_to_date, first), (missed_one, "<p id='a'>0</p>")):
        connection = Connection(socket, TEAM, frozenset({"standings"}))  # type: ignore[arg-type]
        connection.held["standings"] = held
        for message in renders:
            connection.offer(message)
        writer = asyncio.create_task(connection.write_until_closed())
        await asyncio.sleep(0.05)
        connection.drop(CLOSE_TRY_AGAIN)
        await writer
    assert up_to_date.sent == ["patch 1-2", "patch 2-3"]
    # It missed render 1: it gets render 2 whole, then patches from there.
    assert missed_one.sent == [second, "patch 2-3"]
