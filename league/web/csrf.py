"""CSRF protection for every state-changing request.

Each browser gets a random token in an HttpOnly cookie. Pages carry the same token in a
<meta> tag (htmx copies it into the X-CSRF-Token header) and in a hidden `csrf_token`
field of plain forms. An unsafe request whose token does not match the cookie is refused
before it reaches a handler. Multipart uploads must use the header, so the upload body
is never buffered here.
"""

from __future__ import annotations

import secrets
from contextvars import ContextVar
from urllib.parse import parse_qs

from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from league.web.headers import edit_response_headers

CSRF_COOKIE = "league_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_FORM_BYTES = 1024 * 1024
TOKEN_BYTES = 32

# The token of the request being handled, for form macros that templates import without
# their page's context (Jinja's default for `{% from ... import %}`).
current_token: ContextVar[str] = ContextVar("csrf_token", default="")


class CsrfMiddleware:
    def __init__(self, app: ASGIApp, refuse: ASGIApp, exempt: frozenset[str] = frozenset()) -> None:
        self.app = app
        # `refuse` renders the friendly 403 page; it is an ASGI app so this stays plumbing.
        self.refuse = refuse
        # Paths that browsers post to by themselves, with no token (CSP reports); their
        # handlers change nothing a forged request could misuse.
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie_token = read_cookie(scope, CSRF_COOKIE)
        token = cookie_token if cookie_token and is_well_formed(cookie_token) else new_token()
        scope.setdefault("state", {})["csrf_token"] = token
        current_token.set(token)
        send = set_cookie_if_new(send, token, cookie_token, is_https(scope))
        if scope["method"] in SAFE_METHODS or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        submitted, receive = await read_submitted_token(scope, receive)
        if is_well_formed(cookie_token) and tokens_match(submitted, cookie_token):
            await self.app(scope, receive, send)
        else:
            await self.refuse(scope, receive, send)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_well_formed(token: str | None) -> bool:
    return bool(token) and 20 <= len(token or "") <= 100


def tokens_match(submitted: str | None, expected: str | None) -> bool:
    if not submitted or not expected:
        return False
    # Bytes, because compare_digest refuses non-ASCII text (a forged header may carry any).
    return secrets.compare_digest(submitted.encode(), expected.encode())


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") in ("https", "wss")


def read_cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope["headers"]:
        if key == b"cookie":
            # Starlette's parser tolerates malformed cookies that http.cookies would reject.
            found = cookie_parser(value.decode("latin-1")).get(name)
            if found is not None:
                return found
    return None


def read_header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def rotate_token(response: Response, secure: bool) -> None:
    """Give the browser a new token (at sign-in): a token someone planted or read before
    the person signed in is worth nothing afterwards."""
    cookie = f"{CSRF_COOKIE}={new_token()}; Path=/; HttpOnly; SameSite=Lax"
    response.headers.append("set-cookie", cookie + ("; Secure" if secure else ""))


def set_cookie_if_new(send: Send, token: str, existing: str | None, secure: bool) -> Send:
    if existing == token:
        return send
    cookie = f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"
    cookie += "; Secure" if secure else ""
    return edit_response_headers(send, lambda headers: headers.append("set-cookie", cookie))


async def read_submitted_token(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    """The token from the header, or from a urlencoded body (which is then replayed)."""
    header = read_header(scope, CSRF_HEADER.encode())
    if header:
        return header, receive
    content_type = read_header(scope, b"content-type") or ""
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return None, receive
    body = await read_body(receive)
    if body is None:
        return None, receive
    values = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD, [])
    return (values[0] if values else None), replay(body)


async def read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
