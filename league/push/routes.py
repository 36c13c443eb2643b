"""Reminder settings on the Me tab, device subscriptions, the notification list, and the
manager's per-round reminders view with its nudge button."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from league.accounts import access
from league.accounts.models import Membership, Session
from league.accounts.service import token_hash
from league.push import jobs, outcomes, reminders, service, subscriptions
from league.push import preferences as push_preferences
from league.push.models import ReminderKind
from league.seasons.access import get_round_for_coach
from league.seasons.models import Round, RoundState
from league.web.errors import LeagueError
from league.web.forms import parse_json_object, path_int, read_form_data
from league.web.htmx import wants_fragment
from league.web.responses import redirect_to
from league.web.templating import render

MAX_JSON_BYTES = 4096


def endpoint_hash(endpoint: str) -> str:
    """Lets the page recognise its own device without putting the endpoint in the HTML."""
    return hashlib.sha256(endpoint.encode()).hexdigest()[:16]


async def settings_context(request: Request, member: Membership) -> dict[str, Any]:
    preference = await push_preferences.load_preference(member)
    rows = await subscriptions.list_subscriptions(member)
    last, dropped = await outcomes.last_outcomes(member.id, rows, access.now(request))
    return {
        "devices": [
            {"row": sub, "hash": endpoint_hash(sub.endpoint), "last": last.get(sub.id)}
            for sub in rows
        ],
        "dropped_devices": dropped,
        "preference": preference,
        "kinds": [(kind.value, service.KIND_SPECS[kind]) for kind in ReminderKind],
        "public_key": request.app.state.services["push"].public_key,
    }


async def render_settings(request: Request, member: Membership, **extra: Any) -> Response:
    context = {**await settings_context(request, member), **extra}
    template = "push/_settings.html" if wants_fragment(request) else "push/settings.html"
    return render(request, template, context)


async def settings(request: Request) -> Response:
    member = await access.get_member(request)
    return await render_settings(request, member)


async def read_json(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_JSON_BYTES:
        raise LeagueError("That subscription is too large.", status=413)
    return parse_json_object(body)


async def current_session_id(request: Request) -> int | None:
    token = access.read_session_token(request)
    session = await Session.get_or_none(token_hash=token_hash(token)) if token else None
    return session.id if session else None


async def subscribe(request: Request) -> Response:
    member = await access.get_member(request)
    data = await read_json(request)
    keys = data.get("keys")
    if not isinstance(keys, dict):
        keys = {}
    subscription = await subscriptions.save_subscription(
        request.app.state.services["push"].endpoints,
        member,
        await current_session_id(request),
        str(data.get("endpoint", "")),
        str(keys.get("p256dh", "")),
        str(keys.get("auth", "")),
        subscriptions.describe_device(request.headers.get("user-agent", "")),
    )
    return JSONResponse({"id": subscription.id, "device": subscription.device}, status_code=201)


async def unsubscribe(request: Request) -> Response:
    member = await access.get_member(request)
    data = await read_json(request)
    await subscriptions.remove_subscription_by_endpoint(member, str(data.get("endpoint", "")))
    return Response(status_code=204)


async def remove_device(request: Request) -> Response:
    member = await access.get_member(request)
    await subscriptions.remove_subscription(member, path_int(request, "subscription_id"))
    if not wants_fragment(request):
        return redirect_to(request, "push:settings")
    return await render_settings(request, member, saved="Device removed.")


async def preferences(request: Request) -> Response:
    member = await access.get_member(request)
    form = await read_form_data(request)
    enabled = [str(value) for value in form.getlist("kinds")]
    try:
        await push_preferences.save_preference(
            member, enabled, str(form.get("quiet_start", "")), str(form.get("quiet_end", ""))
        )
    except LeagueError as error:
        return await render_settings(request, member, error=error.message)
    if not wants_fragment(request):
        return redirect_to(request, "push:settings")
    return await render_settings(request, member, saved="Saved.")


async def notifications(request: Request) -> Response:
    member = await access.get_member(request)
    rows = await service.list_notifications(member)
    unread = {row.id for row in rows if row.read_at is None}
    await service.mark_all_read(member, access.now(request))
    time_zone = member.team.time_zone
    return render(
        request,
        "push/notifications.html",
        {"notifications": rows, "unread": unread, "time_zone": time_zone},
    )


async def load_round_for_coach(coach: Membership, round_id: int) -> Round:
    round_ = await get_round_for_coach(coach, round_id)
    await round_.fetch_related("team")
    return round_


async def rounds(request: Request) -> Response:
    coach = await access.get_coach(request)
    recent = (
        await Round.filter(team_id=coach.team_id)  # type: ignore[attr-defined]
        .select_related("season")
        .order_by("-opens_at", "-id")
        .limit(12)
    )
    return render(
        request, "push/rounds.html", {"rounds": recent, "time_zone": coach.team.time_zone}
    )


async def round_context(request: Request, round_: Round, **extra: Any) -> dict[str, Any]:
    now = access.now(request)
    rows = await reminders.round_reminders(round_)
    return {
        "round": round_,
        "rows": rows,
        "kinds": [kind for kind in ReminderKind],
        "specs": service.KIND_SPECS,
        "describe": reminders.describe,
        "now": now,
        "time_zone": round_.team.time_zone,
        "waiting": sum(1 for row in rows if not row.has_practised),
        "nudgeable": sum(1 for row in rows if row.can_nudge(now)),
        **extra,
    }


async def round_view(request: Request) -> Response:
    coach = await access.get_coach(request)
    round_ = await load_round_for_coach(coach, path_int(request, "round_id"))
    context = await round_context(request, round_)
    template = "push/_round_table.html" if wants_fragment(request) else "push/round.html"
    return render(request, template, context)


async def nudge(request: Request) -> Response:
    coach = await access.get_coach(request)
    round_ = await load_round_for_coach(coach, path_int(request, "round_id"))
    if round_.state != RoundState.OPEN:
        raise LeagueError("Nudges are for open rounds: this round isn't taking entries.")
    count = await jobs.nudge(coach, round_, access.now(request), request.app.state.services)
    message = (
        f"Nudged {count} rep{'s' if count != 1 else ''}."
        if count
        else "Everyone has either practised or was nudged in the last 12 hours."
    )
    context = await round_context(request, round_, nudged=message)
    template = "push/_round_table.html" if wants_fragment(request) else "push/round.html"
    return render(request, template, context)


routes = [
    Route("/me/reminders", settings, name="settings"),
    Route("/me/reminders/preferences", preferences, methods=["POST"], name="preferences"),
    Route(
        "/me/reminders/devices/{subscription_id:int}/remove",
        remove_device,
        methods=["POST"],
        name="remove_device",
    ),
    Route("/push/subscriptions", subscribe, methods=["POST"], name="subscribe"),
    Route("/push/unsubscribe", unsubscribe, methods=["POST"], name="unsubscribe"),
    Route("/notifications", notifications, name="notifications"),
    Route("/reminders", rounds, name="rounds"),
    Route("/reminders/rounds/{round_id:int}", round_view, name="round"),
    Route("/reminders/rounds/{round_id:int}/nudge", nudge, methods=["POST"], name="nudge"),
]
