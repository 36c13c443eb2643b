"""The only place that reads or writes HX-* headers."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import HTTPConnection
from starlette.responses import Response

# The characters starlette.responses.RedirectResponse leaves unquoted in Location.
REDIRECT_SAFE_CHARACTERS = ":/%#?=@[]!$&'()*+,;"


def is_htmx(request: HTTPConnection) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_boosted(request: HTTPConnection) -> bool:
    return request.headers.get("HX-Boosted") == "true"


def wants_fragment(request: HTTPConnection) -> bool:
    """An htmx request that will swap part of a page (a boosted one wants the whole page)."""
    return is_htmx(request) and not is_boosted(request)


def hx_redirect(response: Response, url: str) -> Response:
    # Encoded exactly as Starlette encodes a 303's Location, so both carry the same target.
    response.headers["HX-Redirect"] = quote(url, safe=REDIRECT_SAFE_CHARACTERS)
    return response


def retarget(response: Response, target: str, swap: str = "innerHTML") -> Response:
    response.headers["HX-Retarget"] = target
    response.headers["HX-Reswap"] = swap
    return response
