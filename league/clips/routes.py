"""Recording a drill, uploading takes, playing them back, submitting and withdrawing entries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from league.accounts import access
from league.accounts.models import Membership
from league.clips import access as clips_access
from league.clips import service
from league.clips.models import Entry, Take
from league.clips.playback import media_response
from league.clips.storage import Storage
from league.delivery import service as delivery
from league.playbook.access import get_drill_for_member
from league.playbook.drill_service import drill_key_points
from league.playbook.models import Drill
from league.reactions import reactions_of
from league.standings.moments import SubmitMoment, load_submit_moment
from league.standings.points import PointsWeights
from league.web.errors import LeagueError
from league.web.forms import parse_digits, path_int
from league.web.htmx import hx_redirect, is_boosted, wants_fragment
from league.web.responses import redirect_to, redirect_to_url
from league.web.templating import render


def storage_of(request: Request) -> Storage:
    return request.app.state.storage  # type: ignore[no-any-return]


async def record(request: Request) -> Response:
    member = await access.get_member(request)
    drill = await get_drill_for_member(member, path_int(request, "drill_id"))
    if is_boosted(request):
        # The recorder's scripts load only with a whole page, not a boosted body swap.
        return hx_redirect(Response(status_code=204), request.url.path)
    context = await panel_context(request, member, drill)
    context["key_points"] = await drill_key_points(drill)
    context["moment"] = await submitted_moment(request, member.id, context["entry"])
    if context["listening"]:
        context["trend"] = await delivery.member_pace_trend(member.id)
    return render(request, "clips/record.html", context)


async def takes(request: Request) -> Response:
    member = await access.get_member(request)
    drill = await get_drill_for_member(member, path_int(request, "drill_id"))
    return await panel_response(request, member, drill)


async def upload(request: Request) -> Response:
    """The raw body is the clip (Content-Type: the recording's type); JSON comes back."""
    member = await access.get_member(request)
    drill = await get_drill_for_member(member, path_int(request, "drill_id"))
    try:
        take, created = await service.receive_take(
            storage=storage_of(request),
            member=member,
            drill=drill,
            chunks=read_body(request),
            max_bytes=request.app.state.settings.max_clip_bytes,
            now=access.now(request),
            declared_bytes=declared_length(request),
            upload_key=request.headers.get("X-Upload-Key"),
        )
    except LeagueError as error:
        # The recorder shows this message next to the take that stays on the phone.
        return JSONResponse({"error": error.message}, status_code=error.status)
    if created:
        await after_take_stored(request, take)
    body = {
        "take_id": take.id,
        "duration_seconds": take.duration_seconds,
        "media_url": request.url_for("clips:media", take_id=take.id).path,
    }
    return JSONResponse(body, status_code=201 if created else 200)


async def after_take_stored(request: Request, take: Take) -> None:
    """Run the hooks `create_app` wired for new takes (e.g. queueing delivery feedback)."""
    for hook in request.app.state.services["after_take_stored"]:
        await hook(take)


async def read_body(request: Request) -> AsyncIterator[bytes]:
    try:
        async for chunk in request.stream():
            yield chunk
    except ClientDisconnect:
        raise LeagueError("The upload was interrupted before the whole take arrived.") from None


def declared_length(request: Request) -> int | None:
    return parse_digits(request.headers.get("Content-Length"))


async def media(request: Request) -> Response:
    member = await access.get_member(request)
    take = await clips_access.get_take_for_listener(member, path_int(request, "take_id"))
    return await media_response(
        storage_of(request), take, request.headers.get("Range"), request.method == "HEAD"
    )


async def delete(request: Request) -> Response:
    member = await access.get_member(request)
    take = await clips_access.get_own_take(member, path_int(request, "take_id"))
    await service.delete_take(storage_of(request), take, access.now(request))
    return await panel_response(request, member, await Drill.get(id=take.drill_id))  # type: ignore[attr-defined]


async def submit(request: Request) -> Response:
    """Submitting is a moment: the panel opens with what the entry earned and what's next."""
    member = await access.get_member(request)
    take = await clips_access.get_own_take(member, path_int(request, "take_id"))
    entry = await service.submit_take(take, access.now(request), reactions_of(request))
    drill = await Drill.get(id=take.drill_id)  # type: ignore[attr-defined]
    if not wants_fragment(request):
        # A plain form post: the record screen shows the moment for ?submitted=<entry id>.
        record_url = request.url_for("clips:record", drill_id=drill.id).path
        return redirect_to_url(request, f"{record_url}?submitted={entry.id}#takes-panel")
    moment = await load_submit_moment(await entry.round, member.id, points_weights(request))
    return await panel_response(request, member, drill, {"moment": moment})


def points_weights(request: Request) -> PointsWeights:
    return PointsWeights.from_settings(request.app.state.settings)


async def submitted_moment(
    request: Request, member_id: int, entry: Entry | None
) -> SubmitMoment | None:
    """The moment for the entry named by ?submitted=, if it is the member's standing entry
    for this drill in the open round (a reload after withdrawing shows nothing)."""
    named = request.query_params.get("submitted", "")
    if entry is None or entry.withdrawn_at is not None or named != str(entry.id):
        return None
    return await load_submit_moment(await entry.round, member_id, points_weights(request))


async def withdraw(request: Request) -> Response:
    member = await access.get_member(request)
    entry = await clips_access.get_own_entry(member, path_int(request, "entry_id"))
    await service.withdraw_entry(entry, access.now(request), reactions_of(request))
    return await panel_response(request, member, await Drill.get(id=entry.drill_id))  # type: ignore[attr-defined]


async def panel_response(
    request: Request, member: Membership, drill: Drill, extra: dict[str, Any] | None = None
) -> Response:
    """The takes panel for htmx; a plain browser goes back to the record screen."""
    if not wants_fragment(request):
        return redirect_to(request, "clips:record", drill_id=drill.id)
    context = {**await panel_context(request, member, drill), **(extra or {})}
    return render(request, "clips/_takes.html", context)


async def panel_context(request: Request, member: Membership, drill: Drill) -> dict[str, Any]:
    now = access.now(request)
    round_ = await service.find_open_round(drill)
    entry = await service.find_entry(member.id, round_.id, drill.id) if round_ else None
    takes = await service.list_takes(member, drill)
    listening = request.app.state.settings.delivery_feedback
    return {
        "drill": drill,
        "round": round_,
        "entry": entry,
        "takes": takes,
        "listening": listening,
        "feedback_by_take": (
            await delivery.feedback_for_takes([t.id for t in takes]) if listening else {}
        ),
        "accepting": round_ is not None and now <= round_.submit_closes_at,
        "time_zone": round_.season.time_zone if round_ else member.team.time_zone,
    }


routes = [
    Route("/drills/{drill_id:int}/record", record, name="record"),
    Route("/drills/{drill_id:int}/takes", takes, name="takes"),
    Route("/drills/{drill_id:int}/takes", upload, methods=["POST"], name="upload"),
    Route("/clips/{take_id:int}/media", media, methods=["GET", "HEAD"], name="media"),
    Route("/takes/{take_id:int}/delete", delete, methods=["POST"], name="delete"),
    Route("/takes/{take_id:int}/submit", submit, methods=["POST"], name="submit"),
    Route("/entries/{entry_id:int}/withdraw", withdraw, methods=["POST"], name="withdraw"),
]
