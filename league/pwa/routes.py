"""What makes the app installable: the manifest, the service worker and the offline page."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.web.templating import STATIC_DIR, render, static_url

APP_NAME = "Practice League"
BRAND_GREEN = "#0f3d2e"
SERVICE_WORKER_SOURCE = STATIC_DIR / "sw.js"
# Files the offline page needs, cached when the service worker installs.
PRECACHED_STATIC = (
    "css/app.css",
    "css/pwa.css",
    "vendor/htmx.min.js",
    "js/app.js",
    "js/pwa.js",
    "js/push.js",
    "js/upload-queue.js",
    "icons/icon-192.png",
    "icons/badge-96.png",
)
NO_CACHE = "no-cache"


def build_manifest() -> dict[str, Any]:
    return {
        "id": "/",
        "name": APP_NAME,
        "short_name": "League",
        "description": "Practise your pitch in short drills, review teammates, climb the table.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": BRAND_GREEN,
        "theme_color": BRAND_GREEN,
        "icons": [
            {
                "src": static_url("icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static_url("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static_url("icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


async def manifest(request: Request) -> Response:
    return Response(
        json.dumps(build_manifest(), indent=1),
        media_type="application/manifest+json",
        headers={"Cache-Control": NO_CACHE},
    )


@lru_cache(maxsize=1)
def service_worker_script() -> str:
    """The worker's source with its precache list prepended.

    The list holds content-hashed URLs, so any changed static file changes these bytes,
    the browser installs the new worker, and the old caches are dropped on activation.
    """
    precache = [static_url(path) for path in PRECACHED_STATIC]
    source = SERVICE_WORKER_SOURCE.read_text()
    version = hashlib.sha256((source + "".join(precache)).encode()).hexdigest()[:12]
    header = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const PRECACHE = {json.dumps(precache)};\n"
        f"const ICON = {json.dumps(static_url('icons/icon-192.png'))};\n"
        f"const BADGE = {json.dumps(static_url('icons/badge-96.png'))};\n"
        f"const UPLOAD_QUEUE = {json.dumps(static_url('js/upload-queue.js'))};\n"
    )
    return header + source


async def service_worker(request: Request) -> Response:
    return Response(
        service_worker_script(),
        media_type="text/javascript",
        # Root scope, and always revalidated so an update reaches phones on the next visit.
        headers={"Service-Worker-Allowed": "/", "Cache-Control": NO_CACHE},
    )


async def offline(request: Request) -> Response:
    return render(request, "pwa/offline.html", headers={"Cache-Control": NO_CACHE})


routes = [
    Route("/manifest.webmanifest", manifest, name="manifest"),
    Route("/sw.js", service_worker, name="service_worker"),
    Route("/offline", offline, name="offline"),
]
