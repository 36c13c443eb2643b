"""Pages are never stored by the browser, so nobody's page outlives their sign-out."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders

from league.web.headers import HeadersMiddleware

NO_STORE = "no-store"


class NoStorePagesMiddleware(HeadersMiddleware):
    """Mark HTML responses `Cache-Control: no-store` unless a handler chose otherwise.

    Without it, Back after signing out on a shared phone shows the last member's page
    from the browser's cache (or its back/forward cache). The service worker already
    keeps pages out of its own caches; this covers the browser's.
    """

    def edit_headers(self, headers: MutableHeaders) -> None:
        if headers.get("content-type", "").startswith("text/html"):
            headers.setdefault("Cache-Control", NO_STORE)
