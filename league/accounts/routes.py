"""Sign-up, sign-in, the Me tab, the Team tab and invitations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access, service
from league.accounts.models import Membership, Role, Team
from league.web.errors import LeagueError, TooManyRequests
from league.web.forms import path_int, read_form
from league.web.responses import redirect_to, redirect_to_url
from league.web.templating import render


def safe_next(target: str | None) -> str:
    """Only same-site paths may follow sign-in, never another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return urlsplit(target).path or "/"


def form_page(
    request: Request, template: str, error: LeagueError, values: dict[str, Any]
) -> Response:
    """Show the form again with the message and everything the person typed (but passwords)."""
    kept = {key: value for key, value in values.items() if "password" not in key}
    return render(
        request, template, {"error": error.message, "values": kept}, status_code=error.status
    )


async def signed_in_response(request: Request, membership_id: int, target: str) -> Response:
    membership = await Membership.get(id=membership_id)
    token = await service.start_session(membership, access.now(request))
    response = redirect_to_url(request, safe_next(target))
    access.set_session_cookie(request, response, token)
    return response


async def signup(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/signup.html", {"values": {"time_zone": "UTC"}})
    form = await read_form(request)
    try:
        membership = await service.sign_up(
            organisation_name=form.get("organisation", ""),
            team_name=form.get("team", ""),
            name=form.get("name", ""),
            email=form.get("email", ""),
            password=form.get("password", ""),
            time_zone=form.get("time_zone", "UTC"),
        )
    except LeagueError as error:
        return form_page(request, "accounts/signup.html", error, form)
    return await signed_in_response(request, membership.id, "/")


async def signin(request: Request) -> Response:
    target = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return render(request, "accounts/signin.html", {"values": {"next": target}})
    form = await read_form(request)
    try:
        membership = await service.authenticate(
            form.get("email", ""),
            form.get("password", ""),
            access.now(request),
            request.app.state.settings.signin_slowdown_seconds,
        )
    except TooManyRequests:
        raise
    except LeagueError as error:
        return form_page(request, "accounts/signin.html", error, form)
    return await signed_in_response(request, membership.id, form.get("next", target))


async def signout(request: Request) -> Response:
    token = access.read_session_token(request)
    if token:
        await service.end_session(token)
    response = redirect_to(request, "accounts:signin")
    access.clear_session_cookie(response)
    return response


async def me(request: Request) -> Response:
    member = await access.get_member(request)
    return render(request, "accounts/me.html", {"profile": member.user})


async def password(request: Request) -> Response:
    member = await access.get_member(request)
    if request.method == "GET":
        return render(request, "accounts/password.html", {"values": {}})
    form = await read_form(request)
    try:
        await service.change_password(
            member.user,
            form.get("current_password", ""),
            form.get("new_password", ""),
            form.get("confirm_password", ""),
        )
    except LeagueError as error:
        return form_page(request, "accounts/password.html", error, form)
    return render(request, "accounts/password.html", {"values": {}, "saved": True})


async def team(request: Request) -> Response:
    member = await access.get_member(request)
    return render(request, "accounts/team.html", await team_context(request, member))


async def team_context(request: Request, member: Membership) -> dict[str, Any]:
    organisation_id = member.organisation_id  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "members": await service.list_members(organisation_id),
        "roles": list(Role),
    }
    if member.is_coach:
        context["invitations"] = await service.list_open_invitations(
            organisation_id, access.now(request)
        )
        context["teams"] = await Team.filter(organisation_id=organisation_id)
    return context


async def invite(request: Request) -> Response:
    coach = await access.get_coach(request)
    form = await read_form(request)
    team_id = int(form.get("team_id") or coach.team_id)  # type: ignore[attr-defined]
    team_ = await access.get_team_for_member(coach, team_id)
    role = parse_role(form.get("role", "rep"))
    new = await service.create_invitation(
        coach, team_, role, form.get("email", ""), access.now(request)
    )
    link = str(request.url_for("accounts:join", token=new.token))
    context = await team_context(request, coach)
    context.update(new_link=link, new_invitation=new.invitation)
    return render(request, "accounts/_invitations.html", context)


async def revoke_invitation(request: Request) -> Response:
    coach = await access.get_coach(request)
    invitation = await access.get_invitation_for_coach(coach, path_int(request, "invitation_id"))
    await service.revoke_invitation(invitation, access.now(request))
    context = await team_context(request, coach)
    return render(request, "accounts/_invitations.html", context)


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise LeagueError("Choose a role: rep, manager or admin.") from None


async def change_role(request: Request) -> Response:
    coach = await access.get_coach(request)
    other = await access.get_membership_for_coach(coach, path_int(request, "membership_id"))
    form = await read_form(request)
    await service.change_role(coach, other, parse_role(form.get("role", "")))
    return render(request, "accounts/_member_row.html", {"row": other})


async def set_active(request: Request) -> Response:
    coach = await access.get_coach(request)
    other = await access.get_membership_for_coach(coach, path_int(request, "membership_id"))
    form = await read_form(request)
    await service.set_active(coach, other, form.get("active") == "true")
    return render(request, "accounts/_member_row.html", {"row": other})


async def join(request: Request) -> Response:
    token = request.path_params["token"]
    invitation = await service.find_invitation(token, access.now(request))
    context: dict[str, Any] = {"invitation": invitation, "values": {"email": invitation.email}}
    if request.method == "GET":
        return render(request, "accounts/join.html", context)
    form = await read_form(request)
    try:
        membership = await service.accept_invitation(
            token,
            form.get("name", ""),
            form.get("email", ""),
            form.get("password", ""),
            access.now(request),
        )
    except LeagueError as error:
        context.update(
            error=error.message,
            values={"name": form.get("name", ""), "email": form.get("email", "")},
        )
        return render(request, "accounts/join.html", context, status_code=error.status)
    return await signed_in_response(request, membership.id, "/")


routes = [
    Route("/signup", signup, methods=["GET", "POST"], name="signup"),
    Route("/signin", signin, methods=["GET", "POST"], name="signin"),
    Route("/signout", signout, methods=["POST"], name="signout"),
    Route("/me", me, name="me"),
    Route("/me/password", password, methods=["GET", "POST"], name="password"),
    Route("/team", team, name="team"),
    Route("/team/invitations", invite, methods=["POST"], name="invite"),
    Route(
        "/team/invitations/{invitation_id:int}/revoke",
        revoke_invitation,
        methods=["POST"],
        name="revoke_invitation",
    ),
    Route(
        "/team/members/{membership_id:int}/role", change_role, methods=["POST"], name="change_role"
    ),
    Route(
        "/team/members/{membership_id:int}/active", set_active, methods=["POST"], name="set_active"
    ),
    Route("/join/{token}", join, methods=["GET", "POST"], name="join"),
]
