"""Links in pages: site-relative, and right behind a proxy that serves the app under a prefix."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request

from league.web.templating import site_path


def request_at(app: Starlette, root_path: str) -> Request:
    scope = {
        "type": "http",
        "app": app,
        "router": app.router,
        "method": "GET",
        "scheme": "https",
        "server": ("league.example", 443),
        "path": f"{root_path}/standings",
        "root_path": root_path,
        "headers": [],
        "query_string": b"",
    }
    return Request(scope)


@pytest.mark.parametrize("root_path", ["", "/league", "/league/"])
async def test_a_link_is_the_path_starlette_would_build(app: Starlette, root_path: str) -> None:
    request = request_at(app, root_path)
    for name, params in [
        ("standings:table", {}),
        ("standings:card", {"membership_id": 42}),
        ("live:socket", {}),
    ]:
        expected = request.url_for(name, **params).path
        assert site_path(request, name, **params) == expected
    assert site_path(request, "standings:card", membership_id=42).endswith("/standings/members/42")
    assert site_path(request, "standings:table").startswith(root_path.rstrip("/") + "/")
