"""Turn errors into friendly pages (or an htmx fragment that shows the message)."""

from __future__ import annotations

import logging
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from league.accounts.access import find_member
from league.web.errors import LeagueError, SignInRequired, TooManyRequests
from league.web.htmx import hx_redirect, is_htmx, retarget, wants_fragment
from league.web.templating import render

logger = logging.getLogger(__name__)

# Bodies whose senders read the answer as JSON: clips from the recorder, and JSON itself.
JSON_BODIES = ("application/json", "audio/", "video/")
KNOWN_PAGES = {400, 401, 403, 404, 405, 410, 413, 422, 429, 500}
HTTP_MESSAGES = {
    404: "We couldn't find that page.",
    405: "That action isn't available here.",
    413: "That upload is too big.",
}


def wants_json(request: Request) -> bool:
    """A JSON route (the recorder's upload, push subscriptions) gets its errors as JSON."""
    content_type = request.headers.get("content-type", "").lower()
    accept = request.headers.get("accept", "").lower()
    return content_type.startswith(JSON_BODIES) or accept.startswith("application/json")


def render_error(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    # A boosted navigation wants the whole error page; other htmx requests get the message
    # in the page's #flash area, so a failed action is never silent.
    if wants_fragment(request):
        response = render(request, "_error.html", {"message": message}, status_code=status)
        return retarget(response, "#flash")
    page = f"errors/{status}.html" if status in KNOWN_PAGES else "errors/400.html"
    return render(request, page, {"message": message, "status": status}, status_code=status)


async def handle_league_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, LeagueError)
    if isinstance(error, SignInRequired):
        return sign_in_redirect(request)
    await find_member(request)
    response = render_error(request, error.status, error.message)
    if isinstance(error, TooManyRequests):
        response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response


def sign_in_redirect(request: Request) -> Response:
    url = request.url_for("accounts:signin").path
    # Only a page can be returned to after signing in; a POST's URL would answer 405.
    if request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        url += "?next=" + quote(target, safe="")
    if is_htmx(request):
        return hx_redirect(Response(status_code=204), url)
    return RedirectResponse(url, status_code=303)


async def handle_http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = HTTP_MESSAGES.get(error.status_code, str(error.detail))
    # Signed-in people keep their tabs on a 404 page.
    await find_member(request)
    response = render_error(request, error.status_code, message)
    response.headers.update(error.headers or {})  # e.g. Allow on a 405
    return response


async def handle_server_error(request: Request, error: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return render_error(request, 500, "Something went wrong on our side. Please try again.")


async def refuse_too_large(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    megabytes = max(1, round(scope["state"]["body_limit"] / (1024 * 1024)))
    message = f"That is too big to send (the limit is {megabytes} MB)."
    if request.headers.get("content-type", "").lower().startswith(("audio/", "video/")):
        message = (
            f"That clip is bigger than the {megabytes} MB limit. "
            "Record a shorter take, or switch video off."
        )
    await find_member(request)
    response = render_error(request, 413, message)
    await response(scope, receive, send)


async def refuse_csrf(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    message = "This form expired or came from another site. Reload the page and try again."
    await find_member(request)
    response = render_error(request, 403, message)
    await response(scope, receive, send)
