"""Live fixtures: an in-loop websocket client for the app, and a team in review.

The socket client speaks ASGI straight to the app on the test's own event loop (the
database connection lives on that loop, so a client in another thread could not share it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

import pytest
from itsdangerous import Signer
from starlette.applications import Starlette

from league.accounts import service as accounts
from league.accounts.access import SESSION_COOKIE
from league.accounts.models import Membership
from league.live.access import SCREEN_COOKIE
from league.live.models import OfficeScreen
from league.live.screens import token_hash
from tests.conftest import SECRET_KEY
from tests.reviews.conftest import league  # noqa: F401 - a team in review, shared fixture

RECEIVE_TIMEOUT_SECONDS = 3.0


class SocketClosed(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"socket closed with {code}")
        self.code = code


class SocketClient:
    def __init__(self, app: Starlette, path: str, cookies: dict[str, str], origin: str) -> None:
        path, _, query = path.partition("?")
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        headers = [(b"host", b"testserver"), (b"cookie", cookie.encode())]
        if origin:
            headers.append((b"origin", origin.encode()))
        self.scope: dict[str, Any] = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 50000),
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": headers,
            "subprotocols": [],
        }
        self.app = app
        self.to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.task = asyncio.create_task(self.app(self.scope, self.to_app.get, self.send))
        await self.to_app.put({"type": "websocket.connect"})
        message = await self.next_message()
        assert message["type"] == "websocket.accept", message

    async def send(self, message: MutableMapping[str, Any]) -> None:
        """What the app sends to the client (the ASGI `send` callable)."""
        await self.from_app.put(dict(message))

    async def next_message(self, timeout: float = RECEIVE_TIMEOUT_SECONDS) -> dict[str, Any]:
        return await asyncio.wait_for(self.from_app.get(), timeout)

    async def receive_text(self, timeout: float = RECEIVE_TIMEOUT_SECONDS) -> str:
        message = await self.next_message(timeout)
        if message["type"] == "websocket.close":
            raise SocketClosed(message.get("code", 1000))
        assert message["type"] == "websocket.send", message
        return str(message["text"])

    async def expect_nothing(self, seconds: float = 0.6) -> None:
        try:
            message = await asyncio.wait_for(self.from_app.get(), seconds)
        except TimeoutError:
            return
        raise AssertionError(f"expected no message, got {str(message)[:300]}")

    async def close(self) -> None:
        await self.to_app.put({"type": "websocket.disconnect", "code": 1000})
        if self.task is not None:
            await asyncio.wait_for(self.task, RECEIVE_TIMEOUT_SECONDS)


SocketFactory = Callable[..., Awaitable[SocketClient]]


def signed(value: str, salt: str) -> str:
    return Signer(SECRET_KEY, salt=salt).sign(value).decode()


async def member_cookies(app: Starlette, member: Membership) -> dict[str, str]:
    token = await accounts.start_session(member, app.state.clock.now())
    return {SESSION_COOKIE: signed(token, "league.session")}


def screen_cookies(token: str) -> dict[str, str]:
    return {SCREEN_COOKIE: signed(token, "league.screen")}


async def make_screen(member: Membership, token: str = "screen-token-abc") -> OfficeScreen:
    return await OfficeScreen.create(
        organisation_id=member.organisation_id,  # type: ignore[attr-defined]
        team_id=member.team_id,  # type: ignore[attr-defined]
        name="Sales floor",
        token_hash=token_hash(token),
    )


@pytest.fixture
async def open_socket(app: Starlette) -> AsyncIterator[SocketFactory]:
    """Open /live as a member (or with `cookies`), already past the handshake."""
    sockets: list[SocketClient] = []

    async def open_(
        member: Membership | None = None,
        path: str = "/live?views=standings,activity",
        cookies: dict[str, str] | None = None,
        origin: str = "http://testserver",
    ) -> SocketClient:
        jar = dict(cookies or {})
        if member is not None:
            jar.update(await member_cookies(app, member))
        client = SocketClient(app, path, jar, origin)
        await client.connect()
        sockets.append(client)
        return client

    yield open_
    for client in sockets:
        if client.task is not None and not client.task.done():
            await client.close()


@asynccontextmanager
async def fast_renders() -> AsyncIterator[None]:
    """No coalescing pause between renders, so tests do not wait for it."""
    from league.live import hub

    saved = hub.MIN_RENDER_INTERVAL_SECONDS
    hub.MIN_RENDER_INTERVAL_SECONDS = 0.0
    try:
        yield
    finally:
        hub.MIN_RENDER_INTERVAL_SECONDS = saved
