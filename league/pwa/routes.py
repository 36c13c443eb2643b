"""What makes the app installable: the manifest, the service worker and the offline pages."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from league.accounts.access import find_member, now
from league.accounts.models import Membership
from league.pwa.service import drills_to_keep_offline
from league.web.templating import STATIC_DIR, render, static_url

APP_NAME = "Practice League"
BRAND_GREEN = "#0f3d2e"
SERVICE_WORKER_SOURCE = STATIC_DIR / "sw.js"
# Files the offline pages need, cached when the service worker installs.
PRECACHED_STATIC = (
    "css/app.css",
    "css/pwa.css",
    "vendor/htmx.min.js",
    "js/app.js",
    "js/pwa.js",
    "js/push.js",
    "js/upload-queue.js",
    # Today and the record screen, which work offline from the member's kept pages.
    "css/seasons.css",
    "js/seasons.js",
    "css/clips.css",
    "js/recorder.js",
    "icons/icon-192.png",
    "icons/badge-96.png",
)
NO_CACHE = "no-cache"
NO_STORE = "no-store"


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
    # Signed in, the worker keeps this page with the member's tabs; signed out (the copy
    # fetched without cookies when the worker installs) it carries nobody's details.
    await find_member(request)
    return render(request, "pwa/offline.html", headers={"Cache-Control": NO_CACHE})


async def offline_pages(request: Request) -> Response:
    """What the worker keeps for the signed-in member, and the token take uploads carry.

    The upload queue (in a page or the worker) asks before each flush: the worker cannot
    read cookies, and the CSRF cookie lasts only as long as the browser session, so the
    token of a page kept offline may no longer match once the phone restarted its browser.
    Same-origin reads only: other sites cannot read this answer.
    """
    member = await find_member(request)
    body = {
        "member": member.id if member else None,
        "csrf_token": request.state.csrf_token,
        "pages": await pages_to_keep(request, member) if member else [],
    }
    return JSONResponse(body, headers={"Cache-Control": NO_STORE})


async def pages_to_keep(request: Request, member: Membership) -> list[str]:
    drill_ids = await drills_to_keep_offline(member, now(request))
    return [
        request.url_for("seasons:today").path,
        request.url_for("pwa:offline").path,
        *(request.url_for("clips:record", drill_id=drill_id).path for drill_id in drill_ids),
    ]


routes = [
    Route("/manifest.webmanifest", manifest, name="manifest"),
    Route("/sw.js", service_worker, name="service_worker"),
    Route("/offline", offline, name="offline"),
    Route("/offline/pages", offline_pages, name="offline_pages"),
]
