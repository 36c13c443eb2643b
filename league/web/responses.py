"""Redirects that work for plain browsers and htmx alike."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from league.web.htmx import hx_redirect, wants_fragment


def redirect_to(request: Request, route: str, **path_params: Any) -> Response:
    return redirect_to_url(request, request.url_for(route, **path_params).path)


def redirect_to_url(request: Request, url: str) -> Response:
    if wants_fragment(request):
        return hx_redirect(Response(status_code=204), url)
    return RedirectResponse(url, status_code=303)
