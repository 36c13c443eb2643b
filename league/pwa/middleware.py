"""Pages are never stored by the browser, so nobody's page outlives their sign-out."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_STORE = "no-store"


class NoStorePagesMiddleware:
    """Mark HTML responses `Cache-Control: no-store` unless a handler chose otherwise.

    Without it, Back after signing out on a shared phone shows the last member's page
    from the browser's cache (or its back/forward cache). The service worker already
    keeps pages out of its own caches; this covers the browser's.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Cache-Control", NO_STORE)
            await send(message)

        await self.app(scope, receive, send_with_header)
