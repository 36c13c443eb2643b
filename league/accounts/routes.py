"""Sign-up, sign-in, the Me tab, the Team tab and invitations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access, permissions, resets, service
from league.accounts.models import Membership, Role, Team
from league.demo import find_demo_accounts
from league.live import events
from league.live.service import load_team_board
from league.reactions import reactions_of
from league.standings.cards import season_card_context
from league.web import csrf
from league.web.errors import LeagueError, TooManyRequests
from league.web.forms import parse_int, path_int, query_start, read_form
from league.web.htmx import wants_fragment
from league.web.responses import redirect_to, redirect_to_url
from league.web.templating import render


def safe_next(target: str | None) -> str:
    """Only a path on this site may follow sign-in, never another host."""
    # Browsers read "/\\host" like "//host", so a backslash is refused as well; control
    # characters could split a header or be dropped by a browser to form "//host".
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return "/"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target) or len(target) > 2000:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


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
    csrf.rotate_token(response, secure=request.url.scheme == "https")
    return response


async def signup(request: Request) -> Response:
    if request.method != "POST":  # GET, or the HEAD Starlette adds to it
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
    if request.method != "POST":
        context = {"values": {"next": target}, "demo": await find_demo_accounts()}
        return render(request, "accounts/signin.html", context)
    form = await read_form(request)
    try:
        membership = await service.authenticate(
            form.get("email", ""),
            form.get("password", ""),
            access.now(request),
            request.client.host if request.client else "",
            request.app.state.settings.signin_slowdown_seconds,
        )
    except TooManyRequests:
        raise
    except LeagueError as error:
        return form_page(request, "accounts/signin.html", error, form)
    return await signed_in_response(request, membership.id, form.get("next", target))


async def signout(request: Request) -> Response:
    session = await access.find_session(request)
    token = access.read_session_token(request)
    if token:
        await service.end_session(token)
    access.forget_sessions(request)
    if session is not None:
        team_id = session.membership.team_id  # type: ignore[attr-defined]
        await events.publish_session_ended(reactions_of(request), team_id, session.id)
    response = redirect_to(request, "accounts:signin")
    access.clear_session_cookie(response)
    return response


async def me(request: Request) -> Response:
    """The member's season card first (their own progress), their settings below it."""
    member = await access.get_member(request)
    card = await season_card_context(request.app, member)
    return render(request, "accounts/me.html", {"profile": member.user, **card})


async def password(request: Request) -> Response:
    member = await access.get_member(request)
    if request.method != "POST":
        return render(request, "accounts/password.html", {"values": {}})
    form = await read_form(request)
    session = await access.find_session(request)
    try:
        await service.change_password(
            member.user,
            form.get("current_password", ""),
            form.get("new_password", ""),
            form.get("confirm_password", ""),
            keep_session=access.read_session_token(request),
        )
    except LeagueError as error:
        return form_page(request, "accounts/password.html", error, form)
    await sign_out_sockets(request, member, keep_session_id=session.id if session else None)
    return render(request, "accounts/password.html", {"values": {}, "saved": True})


# The member list shows this many, then "Show more"; the round's race its top TEAM_RACE_ROWS
# (and the member's own row), with the rest on the Standings tab.
TEAM_PAGE_SIZE = 25
TEAM_RACE_ROWS = 10


async def team(request: Request) -> Response:
    member = await access.get_member(request)
    organisation_id = member.organisation_id  # type: ignore[attr-defined]
    start = query_start(request)
    page = await service.list_members(permissions.team_scope(member), start, TEAM_PAGE_SIZE)
    context = {
        "members": page.members,
        "active_count": page.active,
        "next_start": start + TEAM_PAGE_SIZE if page.total > start + TEAM_PAGE_SIZE else None,
        "members_left": max(0, page.total - start - TEAM_PAGE_SIZE),
        "race_rows": TEAM_RACE_ROWS,
    }
    if start and wants_fragment(request):
        return render(request, "accounts/_member_rows.html", context)
    context["team_count"] = await Team.filter(organisation_id=organisation_id).count()
    # Who is in this round, points and streaks: the team as a team, not only a list.
    context["board"] = await load_team_board(request.app, member.team_id)  # type: ignore[attr-defined]
    return render(request, "accounts/team.html", context)


async def invitations_context(request: Request, coach: Membership) -> dict[str, Any]:
    scope = permissions.team_scope(coach)
    return {
        "invitations": await service.list_open_invitations(scope, access.now(request)),
        "teams": await permissions.list_teams_for_coach(coach),
    }


async def render_invitations(
    request: Request, coach: Membership, extra: dict[str, Any] | None = None
) -> Response:
    """The invitations fragment for htmx, or the whole page for a plain form."""
    context = {**await invitations_context(request, coach), **(extra or {})}
    template = "accounts/_invitations.html" if wants_fragment(request) else "accounts/invite.html"
    return render(request, template, context)


async def invitations(request: Request) -> Response:
    coach = await access.get_coach(request)
    return render(request, "accounts/invite.html", await invitations_context(request, coach))


async def invite(request: Request) -> Response:
    coach = await access.get_coach(request)
    form = await read_form(request)
    team_id = form.get("team_id") or str(coach.team_id)  # type: ignore[attr-defined]
    team_ = await permissions.get_team_for_coach(coach, parse_int(team_id, "The team"))
    role = parse_role(form.get("role", "rep"))
    new = await service.create_invitation(
        coach, team_, role, form.get("email", ""), access.now(request)
    )
    link = str(request.url_for("accounts:join", token=new.token))
    return await render_invitations(
        request, coach, {"new_link": link, "new_invitation": new.invitation}
    )


async def revoke_invitation(request: Request) -> Response:
    coach = await access.get_coach(request)
    invitation = await permissions.get_invitation_for_coach(
        coach, path_int(request, "invitation_id")
    )
    await service.revoke_invitation(invitation, access.now(request))
    return await render_invitations(request, coach)


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise LeagueError("Choose a role: rep, manager or admin.") from None


async def render_member_row(request: Request, row: Membership) -> Response:
    if not wants_fragment(request):
        return redirect_to(request, "accounts:team")
    team_count = await Team.filter(organisation_id=row.organisation_id).count()  # type: ignore[attr-defined]
    context = {"row": await service.find_member_row(row.id), "team_count": team_count}
    return render(request, "accounts/_member_row.html", context)


async def change_role(request: Request) -> Response:
    coach = await access.get_coach(request)
    other = await permissions.get_membership_for_coach(coach, path_int(request, "membership_id"))
    form = await read_form(request)
    await service.change_role(coach, other, parse_role(form.get("role", "")))
    await sign_out_sockets(request, other)
    return await render_member_row(request, other)


async def set_active(request: Request) -> Response:
    coach = await access.get_coach(request)
    other = await permissions.get_membership_for_coach(coach, path_int(request, "membership_id"))
    form = await read_form(request)
    await service.set_active(coach, other, form.get("active") == "true")
    await events.publish_team_change(reactions_of(request), other.team_id, "members")  # type: ignore[attr-defined]
    if not other.is_active:
        await sign_out_sockets(request, other)
    return await render_member_row(request, other)


async def sign_out_sockets(
    request: Request, member: Membership, keep_session_id: int | None = None
) -> None:
    """Live sockets follow the session: close the member's open ones (but this browser's).

    Cached sessions are forgotten too, so the member's next request sees the change.
    """
    access.forget_sessions(request)
    team_id = member.team_id  # type: ignore[attr-defined]
    await events.publish_member_signed_out(
        reactions_of(request), team_id, member.id, keep_session_id
    )


async def join(request: Request) -> Response:
    token = request.path_params["token"]
    invitation = await service.find_invitation(token, access.now(request))
    context: dict[str, Any] = {"invitation": invitation, "values": {"email": invitation.email}}
    if request.method != "POST":
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
    await events.publish_team_change(reactions_of(request), membership.team_id, "members")  # type: ignore[attr-defined]
    return await signed_in_response(request, membership.id, "/")


async def reset_link(request: Request) -> Response:
    """An admin or manager makes a one-time reset link for a member, shown once to copy."""
    coach = await access.get_coach(request)
    other = await permissions.get_member_for_reset(coach, path_int(request, "membership_id"))
    token = await resets.create_reset_link(coach, other, access.now(request))
    context = {
        "other": other,
        "link": str(request.url_for("accounts:reset", token=token)),
        "hours": resets.RESET_LINK_HOURS,
    }
    return render(request, "accounts/reset_link.html", context)


async def reset(request: Request) -> Response:
    """Where a reset link leads: choose a new password, then you are signed in."""
    token = request.path_params["token"]
    reset_ = await resets.find_reset(token, access.now(request))
    context: dict[str, Any] = {"name": reset_.membership.user.name, "token": token, "values": {}}
    if request.method != "POST":
        return render(request, "accounts/reset.html", context)
    form = await read_form(request)
    try:
        member = await resets.use_reset(
            token,
            form.get("new_password", ""),
            form.get("confirm_password", ""),
            access.now(request),
        )
    except LeagueError as error:
        context["error"] = error.message
        return render(request, "accounts/reset.html", context, status_code=error.status)
    await sign_out_sockets(request, member)
    return await signed_in_response(request, member.id, "/")


routes = [
    Route("/signup", signup, methods=["GET", "POST"], name="signup"),
    Route("/signin", signin, methods=["GET", "POST"], name="signin"),
    Route("/signout", signout, methods=["POST"], name="signout"),
    Route("/me", me, name="me"),
    Route("/me/password", password, methods=["GET", "POST"], name="password"),
    Route("/reset/{token:str}", reset, methods=["GET", "POST"], name="reset"),
    Route(
        "/team/members/{membership_id:int}/reset-link",
        reset_link,
        methods=["POST"],
        name="reset_link",
    ),
    Route("/team", team, name="team"),
    Route("/team/invitations", invitations, methods=["GET"], name="invitations"),
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
