"""The Today tab and seasons."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.web.templating import render


async def today(request: Request) -> Response:
    await access.get_member(request)
    return render(request, "seasons/today.html")


routes = [Route("/", today, name="today")]
