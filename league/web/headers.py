"""Response headers set from pure-ASGI middleware."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HeaderEdit = Callable[[MutableHeaders], None]


def edit_response_headers(send: Send, edit: HeaderEdit) -> Send:
    """`send` that lets `edit` change the response's headers before they go out."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            edit(MutableHeaders(scope=message))
        await send(message)

    return send_with_headers


class HeadersMiddleware:
    """Pure-ASGI middleware whose `edit_headers` changes every HTTP response's headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, edit_response_headers(send, self.edit_headers))

    def edit_headers(self, headers: MutableHeaders) -> None:
        raise NotImplementedError
