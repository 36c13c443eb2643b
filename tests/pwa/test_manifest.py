"""The manifest, the service worker script and the offline page."""

from __future__ import annotations

import struct

import httpx

from league.accounts.models import Membership
from league.web.templating import STATIC_DIR
from tests.conftest import ClientFactory


def png_size(path: str) -> tuple[int, int]:
    data = (STATIC_DIR / path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_it_serves_an_installable_manifest(client: httpx.AsyncClient) -> None:
    response = await client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["id"] == "/"
    assert manifest["theme_color"] == manifest["background_color"] == "#0f3d2e"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix("/static/").split("?")[0]
        assert f"{png_size(path)[0]}x{png_size(path)[1]}" == icon["sizes"]
        assert (await client.get(icon["src"])).status_code == 200


def test_the_apple_touch_icon_is_180_pixels() -> None:
    assert png_size("icons/apple-touch-icon.png") == (180, 180)


async def test_it_serves_the_service_worker_for_the_whole_site(client: httpx.AsyncClient) -> None:
    response = await client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    assert response.headers["cache-control"] == "no-cache"
    assert 'const PRECACHE = ["/static/css/app.css?v=' in response.text
    assert "importScripts(UPLOAD_QUEUE)" in response.text
    for path in response.text.split("const PRECACHE = ")[1].split(";")[0].strip("[]").split(", "):
        assert (await client.get(path.strip('"'))).status_code == 200


async def test_the_worker_never_touches_uploads(client: httpx.AsyncClient) -> None:
    source = (await client.get("/sw.js")).text
    assert 'if (request.method !== "GET") return;' in source


async def test_it_serves_an_offline_page_without_anyones_details(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/offline")
    assert response.status_code == 200
    assert "You're offline" in response.text
    assert 'class="tabs"' not in response.text


async def test_pages_link_the_manifest_icons_and_worker_script(
    make_client: ClientFactory, rep: Membership
) -> None:
    page = (await (await make_client(rep)).get("/me")).text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'rel="apple-touch-icon"' in page
    assert 'data-service-worker="/sw.js"' in page and f'data-member="{rep.id}"' in page


async def test_the_worker_routes_reject_post(client: httpx.AsyncClient) -> None:
    for path in ("/sw.js", "/manifest.webmanifest", "/offline"):
        assert (await client.post(path)).status_code == 405
