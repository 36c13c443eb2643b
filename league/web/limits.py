"""A cap on every request body, enforced while it arrives.

Clips (audio/video bodies) may be as big as the clip setting allows; forms about 1 MB;
JSON is small. A body that declares more than its cap is refused before any of it is
read, and one that streams past its cap is refused at the chunk that crosses it, so no
handler (and no file on disk) ever holds more than the cap. The answer is a 413.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from league.web.csrf import read_header
from league.web.forms import parse_digits

FORM_MAX_BYTES = 1024 * 1024
JSON_MAX_BYTES = 64 * 1024
OTHER_MAX_BYTES = 1024 * 1024
CLIP_TYPES = ("audio/", "video/")


class BodyTooLarge(Exception):
    """The request body passed its cap; `limit` is that cap in bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit


def body_limit(content_type: str, clip_max_bytes: int) -> int:
    content_type = content_type.lower()
    if content_type.startswith(CLIP_TYPES):
        return clip_max_bytes
    if content_type.startswith("application/json"):
        return JSON_MAX_BYTES
    return FORM_MAX_BYTES if "form" in content_type else OTHER_MAX_BYTES


def declared_length(scope: Scope) -> int | None:
    """The Content-Length header as a number; None when absent or not plain ASCII digits."""
    return parse_digits(read_header(scope, b"content-length"))


def limited(receive: Receive, limit: int) -> Receive:
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return receive_within_limit


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, clip_max_bytes: int, refuse: ASGIApp) -> None:
        self.app = app
        self.clip_max_bytes = clip_max_bytes
        # `refuse` answers the 413 (a page, or JSON for JSON and clip routes).
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(read_header(scope, b"content-type") or "", self.clip_max_bytes)
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            await self.refuse_with(scope, receive, send, limit)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited(receive, limit), send_tracking)
        except BodyTooLarge:
            if started:
                raise
            await self.refuse_with(scope, receive, send, limit)

    async def refuse_with(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        scope.setdefault("state", {})["body_limit"] = limit
        await self.refuse(scope, receive, send)
