"""A take's delivery feedback (its rep only), marking a miss as wrong, the team's figures."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.clips.access import get_own_take
from league.delivery import service
from league.web.errors import NotFound
from league.web.forms import path_int
from league.web.templating import render


async def feedback(request: Request) -> Response:
    """The feedback fragment; while the take is still being listened to it polls itself."""
    member = await access.get_member(request)
    take = await get_own_take(member, path_int(request, "take_id"))
    return await feedback_response(request, take.id)


async def dispute(request: Request) -> Response:
    member = await access.get_member(request)
    take = await get_own_take(member, path_int(request, "take_id"))
    await service.dispute_miss(take.id, path_int(request, "index"), access.now(request))
    return await feedback_response(request, take.id)


async def feedback_response(request: Request, take_id: int) -> Response:
    found = await service.feedback_for_take(take_id)
    if found is None:
        raise NotFound()
    context = {"feedback": found, "fresh_trend": await pace_trend_if_done(request, found)}
    return render(request, "delivery/_feedback.html", context)


async def pace_trend_if_done(
    request: Request, found: service.TakeFeedback
) -> list[service.PacePoint] | None:
    """The rep's trend goes along (swapped in out of band) once a new result is in."""
    if found.is_pending:
        return None
    member = await access.get_member(request)
    return await service.member_pace_trend(member.id)


async def team(request: Request) -> Response:
    coach = await access.get_coach(request)
    summary = await service.team_delivery(coach.team_id)  # type: ignore[attr-defined]
    return render(request, "delivery/team.html", {"summary": summary, "team": coach.team})


routes = [
    Route("/takes/{take_id:int}/feedback", feedback, name="feedback"),
    Route(
        "/takes/{take_id:int}/feedback/{index:int}/wrong",
        dispute,
        methods=["POST"],
        name="dispute",
    ),
    Route("/team/delivery", team, name="team"),
]
