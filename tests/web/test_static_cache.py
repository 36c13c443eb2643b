"""Static files linked with their content hash are cached for a year; others revalidate."""

from __future__ import annotations

import httpx

from league.web.static import IMMUTABLE
from league.web.templating import static_url


async def test_it_caches_a_versioned_file_for_a_year(bare_client: httpx.AsyncClient) -> None:
    response = await bare_client.get(static_url("js/live.js"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_pages_link_their_static_files_with_the_hash(
    bare_client: httpx.AsyncClient,
) -> None:
    page = await bare_client.get("/signin")
    assert static_url("css/app.css") in page.text
    linked = await bare_client.get(static_url("css/app.css"))
    assert linked.headers["cache-control"] == IMMUTABLE


async def test_it_does_not_pin_a_file_asked_for_with_an_old_hash(
    bare_client: httpx.AsyncClient,
) -> None:
    response = await bare_client.get("/static/js/live.js?v=0000000000")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("cache-control", "")


async def test_it_does_not_pin_a_file_without_a_hash(bare_client: httpx.AsyncClient) -> None:
    response = await bare_client.get("/static/js/live.js")
    assert "immutable" not in response.headers.get("cache-control", "")
