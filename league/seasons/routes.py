"""The Today tab, and the manager's seasons: list, create, rounds, swap drills, extend deadlines."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access, permissions
from league.accounts.models import Membership
from league.clips.service import list_round_entries
from league.coaching.focus import list_training_goals
from league.coaching.practice import list_extra_practice
from league.reactions import reactions_of
from league.reviews import judging
from league.seasons import forms, service
from league.seasons.access import get_round_for_coach, get_season_for_coach
from league.seasons.models import Round
from league.seasons.panel import load_panel
from league.seasons.schedule import WEEKDAYS, local_datetime
from league.seasons.today import TodayView, describe_duration, today_for_member
from league.standings import tables as standings
from league.web.errors import LeagueError, NotFound
from league.web.forms import parse_int, path_int, read_form, read_form_data
from league.web.htmx import wants_fragment
from league.web.responses import redirect_to, redirect_to_url
from league.web.templating import render


async def today(request: Request) -> Response:
    member = await access.get_member(request)
    now = access.now(request)
    view = await today_for_member(member, now)
    time_left = describe_duration(now, view.deadline) if view.deadline else ""
    context = {"today": view, "time_left": time_left, **await today_extras(member, view)}
    template = "seasons/_today.html" if wants_fragment(request) else "seasons/today.html"
    return render(request, template, context)


async def today_extras(member: Membership, view: TodayView) -> dict[str, Any]:
    """Around the round: the member's cheers once results are out, and a coach's reveal link."""
    cheers = []
    if view.phase == "results" and view.round is not None:
        cheers = await standings.celebrations_for(member.id, view.round.id)
    reveal_round = await judging.latest_judging_round(member) if member.is_coach else None
    goals = await list_training_goals(member, view.season.id) if view.season else []
    return {
        "cheers": cheers,
        "reveal_round": reveal_round,
        "training_goals": goals,
        "extra_practice": await list_extra_practice(member.id),
    }


async def season_list(request: Request) -> Response:
    coach = await access.get_coach(request)
    seasons = await service.list_seasons(coach.team_id)  # type: ignore[attr-defined]
    return render(request, "seasons/list.html", {"seasons": seasons})


async def new(request: Request) -> Response:
    coach = await access.get_coach(request)
    team = await permissions.get_team_for_coach(coach, coach.team_id)  # type: ignore[attr-defined]
    if request.method != "POST":
        values = await forms.default_season_values(team, access.now(request))
        return render(request, "seasons/new.html", new_season_context(values))
    form = await read_form(request)
    try:
        data = forms.parse_season_form(form)
        season = await service.create_season(team, data, access.now(request), reactions_of(request))
    except LeagueError as error:
        context = new_season_context(form, error.message)
        return render(request, "seasons/new.html", context, status_code=error.status)
    request.app.state.worker.poke()  # round 1 may be due already
    return redirect_to(request, "seasons:detail", season_id=season.id)


def new_season_context(values: dict[str, str], error: str | None = None) -> dict[str, Any]:
    return {"values": values, "error": error, "weekdays": WEEKDAYS}


async def detail(request: Request) -> Response:
    coach = await access.get_coach(request)
    season = await get_season_for_coach(coach, path_int(request, "season_id"))
    rows = await service.list_round_rows(season, access.now(request))
    context = {"season": season, "rows": rows, "panel": await load_panel(rows)}
    template = "seasons/_season.html" if wants_fragment(request) else "seasons/detail.html"
    return render(request, template, context)


async def round_page(request: Request) -> Response:
    coach, round_ = await load_round_for_coach(request)
    return await render_round(request, coach, round_)


async def plan(request: Request) -> Response:
    coach, round_ = await load_round_for_coach(request)
    form = await read_form_data(request)
    drill_ids = [parse_int(str(value), "Drill") for value in form.getlist("drill_id")]
    return await change_round(
        request, coach, round_, service.plan_round(round_, drill_ids, access.now(request))
    )


async def swap_drill(request: Request) -> Response:
    coach, round_ = await load_round_for_coach(request)
    form = await read_form(request)
    old_id = parse_int(form.get("old_drill_id"), "Drill")
    if not form.get("new_drill_id"):
        error = LeagueError("Pick the drill to swap in.")
        return await render_round(request, coach, round_, error, form)
    new_id = parse_int(form.get("new_drill_id"), "New drill")
    change = service.swap_drill(round_, old_id, new_id, access.now(request))
    return await change_round(request, coach, round_, change)


async def extend(request: Request) -> Response:
    coach, round_ = await load_round_for_coach(request)
    form = await read_form(request)
    which = form.get("which", "")
    try:
        new_at = local_datetime(
            form.get("date", ""), form.get("time", ""), round_.season.time_zone, "New deadline"
        )
    except LeagueError as error:
        return await render_round(request, coach, round_, error, form)
    change = service.extend_deadline(
        round_, which, new_at, access.now(request), reactions_of(request)
    )
    return await change_round(request, coach, round_, change, form)


async def early(request: Request) -> Response:
    coach, round_ = await load_round_for_coach(request)
    form = await read_form(request)
    if form.get("confirm") != "yes":
        error = LeagueError("Tick the box to confirm: this can't be undone.")
        return await render_round(request, coach, round_, error, form)
    change = service.bring_forward(
        round_, form.get("move", ""), access.now(request), reactions_of(request)
    )
    response = await change_round(request, coach, round_, change, form)
    request.app.state.worker.poke()  # the round's jobs are due now
    return response


async def load_round_for_coach(request: Request) -> tuple[Membership, Round]:
    coach = await access.get_coach(request)
    return coach, await get_round_for_coach(coach, path_int(request, "round_id"))


async def change_round(
    request: Request,
    coach: Membership,
    round_: Round,
    change: Awaitable[object],
    form: dict[str, str] | None = None,
) -> Response:
    """Await a service change to a round, then show the round again (or the message why not)."""
    try:
        await change
    except NotFound:
        raise
    except LeagueError as error:
        return await render_round(request, coach, round_, error, form)
    if wants_fragment(request):
        return await render_round(request, coach, await Round.get(id=round_.id))
    detail_url = request.url_for("seasons:detail", season_id=round_.season.id).path
    return redirect_to_url(request, f"{detail_url}#round-{round_.number}")


async def render_round(
    request: Request,
    coach: Membership,
    round_: Round,
    error: LeagueError | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    await round_.fetch_related("season")
    context = {
        "season": round_.season,
        "row": await service.get_round_row(round_, access.now(request)),
        "drills": await service.list_active_drills(round_.team_id),  # type: ignore[attr-defined]
        "entries": await list_round_entries(round_.id),
        "now": access.now(request),
        "error": error.message if error else None,
        "values": form or {},
    }
    template = "seasons/_round.html" if wants_fragment(request) else "seasons/round.html"
    return render(request, template, context, status_code=error.status if error else 200)


routes = [
    Route("/", today, name="today"),
    Route("/seasons", season_list, name="list"),
    Route("/seasons/new", new, methods=["GET", "POST"], name="new"),
    Route("/seasons/{season_id:int}", detail, name="detail"),
    Route("/seasons/rounds/{round_id:int}", round_page, name="round"),
    Route("/seasons/rounds/{round_id:int}/plan", plan, methods=["POST"], name="plan"),
    Route("/seasons/rounds/{round_id:int}/swap", swap_drill, methods=["POST"], name="swap_drill"),
    Route("/seasons/rounds/{round_id:int}/extend", extend, methods=["POST"], name="extend"),
    Route("/seasons/rounds/{round_id:int}/early", early, methods=["POST"], name="early"),
]
