"""Security headers on every response."""

from __future__ import annotations

import re
from functools import partial

from starlette.datastructures import MutableHeaders
from starlette.types import Receive, Scope, Send

from league.web.csp_reports import CSP_REPORT_PATH
from league.web.csrf import read_header
from league.web.headers import HeadersMiddleware, edit_response_headers

# Browsers learn to use https only; a year, as recommended once a site is https for good.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
HOST_PATTERN = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
POLICY_PARTS = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src {connect}",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    # Not report-to as well: a browser that knows both ignores report-uri (league.web.csp_reports).
    f"report-uri {CSP_REPORT_PATH}",
]


def content_security_policy(host: str | None) -> str:
    """The policy for a page served to `host`: scripts may connect to this origin only.

    'self' covers ws:/wss: of the same host in current browsers; older Safari needs them
    named, so the page's own host is listed for its live socket (never ws: anywhere).
    """
    connect = "'self'"
    if host and HOST_PATTERN.match(host):
        connect += f" ws://{host} wss://{host}"
    return "; ".join(POLICY_PARTS).replace("{connect}", connect)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(self), geolocation=()",
}


class SecurityHeadersMiddleware(HeadersMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            extra = {
                "Content-Security-Policy": content_security_policy(read_header(scope, b"host"))
            }
            if scope.get("scheme") == "https":
                extra["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
            send = edit_response_headers(send, partial(set_missing, extra))
        await super().__call__(scope, receive, send)

    def edit_headers(self, headers: MutableHeaders) -> None:
        set_missing(SECURITY_HEADERS, headers)


def set_missing(values: dict[str, str], headers: MutableHeaders) -> None:
    for name, value in values.items():
        headers.setdefault(name, value)
