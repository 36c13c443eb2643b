"""Download my data; an admin deletes a member."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from league.accounts import access, permissions
from league.live import events
from league.privacy import erasure, export
from league.reactions import reactions_of
from league.web.errors import LeagueError
from league.web.forms import path_int, read_form
from league.web.responses import redirect_to
from league.web.templating import render


async def export_data(request: Request) -> Response:
    member = await access.get_member(request)
    await member.fetch_related("user")
    filename = export.archive_name(member)
    return StreamingResponse(
        export.stream_member_archive(request.app.state.storage, member),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def erase_member(request: Request) -> Response:
    admin = await access.get_admin(request)
    other = await permissions.get_membership_for_coach(admin, path_int(request, "membership_id"))
    context: dict[str, object] = {"other": other}
    if request.method != "POST":
        return render(request, "privacy/erase.html", context)
    form = await read_form(request)
    if form.get("confirm_name", "").strip() != other.user.name:
        error = f"Type {other.user.name} exactly to confirm."
        return render(request, "privacy/erase.html", {**context, "error": error}, status_code=400)
    try:
        await erasure.erase_member(
            request.app.state.storage,
            admin,
            other,
            request.app.state.settings,
            reactions_of(request),
        )
    except LeagueError as error:
        context["error"] = error.message
        return render(request, "privacy/erase.html", context, status_code=error.status)
    # The erased member is signed out everywhere: cached sessions and open live sockets.
    access.forget_sessions(request)
    await events.publish_member_signed_out(reactions_of(request), other.team_id, other.id)  # type: ignore[attr-defined]
    return redirect_to(request, "accounts:team")


routes = [
    Route("/me/export", export_data, name="export"),
    Route(
        "/team/members/{membership_id:int}/erase",
        erase_member,
        methods=["GET", "POST"],
        name="erase",
    ),
]
