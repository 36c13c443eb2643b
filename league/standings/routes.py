"""The Standings tab."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.web.templating import render


async def table(request: Request) -> Response:
    await access.get_member(request)
    return render(request, "standings/table.html")


routes = [Route("/standings", table, name="table")]
