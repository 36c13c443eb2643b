"""Responses over about 1 KB are gzipped for browsers that accept it; small ones are not."""

from __future__ import annotations

import gzip

import httpx

from league.app import GZIP_MINIMUM_BYTES
from league.web.templating import static_url

GZIP = {"Accept-Encoding": "gzip"}


async def raw_get(client: httpx.AsyncClient, url: str, **headers: str) -> httpx.Response:
    """The response as sent, before httpx would undo the compression."""
    async with client.stream("GET", url, headers={**GZIP, **headers}) as response:
        response.raw_body = b"".join([chunk async for chunk in response.aiter_raw()])  # type: ignore[attr-defined]
    return response


async def test_it_compresses_a_page(bare_client: httpx.AsyncClient) -> None:
    response = await raw_get(bare_client, "/signin")
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    page = gzip.decompress(response.raw_body)  # type: ignore[attr-defined]
    assert b"<form" in page and len(page) > len(response.raw_body)  # type: ignore[attr-defined]


async def test_it_compresses_scripts_and_styles(bare_client: httpx.AsyncClient) -> None:
    for path in ("css/app.css", "vendor/htmx.min.js"):
        response = await raw_get(bare_client, static_url(path))
        assert response.headers["content-encoding"] == "gzip", path


async def test_it_leaves_small_responses_alone(bare_client: httpx.AsyncClient) -> None:
    response = await raw_get(bare_client, "/healthz")
    assert len(response.raw_body) < GZIP_MINIMUM_BYTES  # type: ignore[attr-defined]
    assert "content-encoding" not in response.headers


async def test_it_sends_plain_bytes_to_clients_that_do_not_ask(
    bare_client: httpx.AsyncClient,
) -> None:
    response = await raw_get(bare_client, "/signin", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert b"<form" in response.raw_body  # type: ignore[attr-defined]


async def test_it_never_compresses_a_range(bare_client: httpx.AsyncClient) -> None:
    response = await raw_get(bare_client, static_url("css/app.css"), Range="bytes=0-1999")
    assert response.status_code == 206
    assert "content-encoding" not in response.headers
    assert len(response.raw_body) == 2000  # type: ignore[attr-defined]
