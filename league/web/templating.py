"""One way to render: `render(request, "feature/page.html", {...})`."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from starlette.datastructures import URLPath
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from league.web import csrf
from league.web.htmx import is_htmx

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def shipped_dir(name: str) -> Path:
    """`templates`, `static` or `seeds`: inside the installed package (setup.py copies them
    there), else at the top of the source checkout."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES_DIR = shipped_dir("templates")
STATIC_DIR = shipped_dir("static")
SEEDS_DIR = shipped_dir("seeds")


@lru_cache(maxsize=512)
def static_version(path: str) -> str:
    """A short content hash so browsers and the service worker may cache static files forever."""
    try:
        return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    except FileNotFoundError:
        return "missing"


def static_url(path: str) -> str:
    return f"/static/{path}?v={static_version(path)}"


def local_time(moment: datetime | None, time_zone: str = "UTC", pattern: str = "%a %H:%M") -> str:
    """Format an aware UTC datetime in a team's time zone, e.g. 'Wed 18:00'."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(time_zone)).strftime(pattern)


def iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


@pass_context
def url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> str:
    """Site-relative links, so pages stay correct behind a proxy that terminates https."""
    request = context["request"]
    if isinstance(request, Request):
        return site_path(request, name, **path_params)
    return request.url_for(name, **path_params).path  # type: ignore[no-any-return]


MAX_CACHED_PATHS = 10_000  # per router: links to a few thousand objects


def cached_url_path(router: Any, name: str, params: tuple[tuple[str, Any], ...]) -> URLPath:
    """`router.url_path_for(name, **params)`, remembered on the router (routers are not
    hashable): Starlette tries every route in turn, raising on each miss, and a long page
    builds hundreds of links."""
    paths: dict[tuple[str, tuple[tuple[str, Any], ...]], URLPath] | None = getattr(
        router, "league_url_paths", None
    )
    if paths is None or len(paths) > MAX_CACHED_PATHS:
        paths = {}
        router.league_url_paths = paths
    key = (name, params)
    if key not in paths:
        paths[key] = router.url_path_for(name, **dict(params))
    return paths[key]


def site_path(request: Request, name: str, /, **path_params: Any) -> str:
    """The path of `request.url_for(name, ...)`, with the route lookup cached and without
    building the absolute URL a page only takes the path of (a page has hundreds)."""
    router = request.scope.get("router") or request.scope["app"]
    url_path = cached_url_path(router, name, tuple(sorted(path_params.items())))
    root_path: str = request.scope.get("app_root_path", request.scope.get("root_path", ""))
    return root_path.rstrip("/") + url_path


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["url_for"] = url_for
templates.env.globals["static_url"] = static_url
templates.env.globals["current_csrf_token"] = csrf.current_token.get
templates.env.filters["local_time"] = local_time
templates.env.filters["iso"] = iso
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    page_context: dict[str, Any] = {
        "member": getattr(request.state, "member", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "is_htmx": is_htmx(request),
    }
    page_context.update(context or {})
    return templates.TemplateResponse(
        request, template, page_context, status_code=status_code, headers=headers
    )
