"""The only place that reads or writes HX-* headers."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response


def is_htmx(request: HTTPConnection) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_boosted(request: HTTPConnection) -> bool:
    return request.headers.get("HX-Boosted") == "true"


def wants_fragment(request: HTTPConnection) -> bool:
    """An htmx request that will swap part of a page (a boosted one wants the whole page)."""
    return is_htmx(request) and not is_boosted(request)


def hx_redirect(response: Response, url: str) -> Response:
    response.headers["HX-Redirect"] = url
    return response


def retarget(response: Response, target: str, swap: str = "innerHTML") -> Response:
    response.headers["HX-Retarget"] = target
    response.headers["HX-Reswap"] = swap
    return response
