"""The Drills tab: the team's playbook and drills."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.web.templating import render


async def drills(request: Request) -> Response:
    await access.get_member(request)
    return render(request, "playbook/drills.html")


routes = [Route("/drills", drills, name="drills")]
