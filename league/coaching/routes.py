"""The coach's side: sales-metrics import, focus skills, the 1:1 packet and the team view."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.accounts.models import Membership
from league.coaching import focus, importing, metrics_service, packet, practice
from league.coaching.access import get_action_for_coach, get_rep_for_coach, get_rep_for_viewer
from league.coaching.team import build_team_view
from league.seasons.service import current_round
from league.web.errors import LeagueError
from league.web.forms import parse_int, path_int, read_form, read_form_data
from league.web.htmx import wants_fragment
from league.web.responses import redirect_to_url
from league.web.templating import render


def coach_team_id(coach: Membership) -> int:
    return int(coach.team_id)  # type: ignore[attr-defined]


# --- sales metrics ----------------------------------------------------------------------


async def metrics(request: Request) -> Response:
    coach = await access.get_coach(request)
    return await render_metrics(request, coach, {})


async def render_metrics(
    request: Request,
    coach: Membership,
    values: dict[str, str],
    preview: importing.ImportPreview | None = None,
    error: LeagueError | None = None,
) -> Response:
    context = {
        "periods": await metrics_service.list_periods(coach_team_id(coach)),
        "columns": importing.COLUMNS,
        "values": values,
        "preview": preview,
        "error": error.message if error else None,
        "imported": request.query_params.get("imported"),
    }
    template = "coaching/_import.html" if wants_fragment(request) else "coaching/metrics.html"
    return render(request, template, context, status_code=error.status if error else 200)


async def read_csv_form(form: FormData) -> tuple[dict[str, str], bytes]:
    """The form's text fields, and the CSV from the chosen file or the pasted text."""
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(importing.MAX_CSV_BYTES + 1)
        values["csv_text"] = importing.decode_csv(data)
    return values, values.get("csv_text", "").encode()


def chosen_mapping(values: dict[str, str]) -> dict[str, str] | None:
    """The mapping picked on the preview, or None on a first upload (guess it then)."""
    if "mapped" not in values:
        return None
    return {column.key: values.get(f"map_{column.key}", "") for column in importing.COLUMNS}


async def preview_metrics(request: Request) -> Response:
    coach = await access.get_coach(request)
    values: dict[str, str] = {}
    try:
        values, data = await read_csv_form(await read_form_data(request))
        importing.check_period(values.get("period", ""))
        reps = await metrics_service.list_reps(coach_team_id(coach))
        preview = importing.preview_import(data, reps, chosen_mapping(values))
    except LeagueError as error:
        return await render_metrics(request, coach, values, error=error)
    return await render_metrics(request, coach, values, preview)


async def import_metrics(request: Request) -> Response:
    coach = await access.get_coach(request)
    values: dict[str, str] = {}
    try:
        values, data = await read_csv_form(await read_form_data(request))
        period = importing.check_period(values.get("period", ""))
        reps = await metrics_service.list_reps(coach_team_id(coach))
        preview = importing.preview_import(data, reps, chosen_mapping(values))
    except LeagueError as error:
        return await render_metrics(request, coach, values, error=error)
    if not preview.is_ready:
        refused = LeagueError("Nothing was saved: fix the lines listed below and preview again.")
        return await render_metrics(request, coach, values, preview, refused)
    saved = await metrics_service.replace_period(
        coach_team_id(coach), period, preview.rows, access.now(request)
    )
    url = request.url_for("coaching:metrics").path + f"?imported={saved}&period={period}"
    return redirect_to_url(request, url)


# --- the team view ----------------------------------------------------------------------


async def team(request: Request) -> Response:
    coach = await access.get_coach(request)
    now = access.now(request)
    season = await focus.find_season(coach_team_id(coach), now)
    round_ = await current_round(coach_team_id(coach), now)
    view = await build_team_view(coach_team_id(coach), season, round_)
    return render(request, "coaching/team.html", {"view": view, "season": season})


async def guide(request: Request) -> Response:
    await access.get_coach(request)
    return render(request, "coaching/guide.html", {})


# --- the 1:1 packet ---------------------------------------------------------------------


async def packet_page(request: Request) -> Response:
    viewer = await access.get_member(request)
    rep = await get_rep_for_viewer(viewer, path_int(request, "member_id"))
    return await render_packet(request, viewer, rep)


async def render_packet(
    request: Request, viewer: Membership, rep: Membership, error: LeagueError | None = None
) -> Response:
    now = access.now(request)
    week_of = packet.week_from(request.query_params.get("week"), now, rep.team.time_zone)
    season = await focus.find_season(rep.team.id, now)
    for_coach = viewer.id != rep.id
    built = await packet.build_packet(rep, season, week_of, for_coach)
    context = {"packet": built, "error": error.message if error else None}
    status = error.status if error else 200
    return render(request, "coaching/packet.html", context, status_code=status)


async def set_focus(request: Request) -> Response:
    coach = await access.get_coach(request)
    rep = await get_rep_for_coach(coach, path_int(request, "member_id"))
    season = await focus.find_season(rep.team.id, access.now(request))
    form = await read_form_data(request)
    try:
        if season is None:
            raise LeagueError("Start a season first: focus skills belong to a season.")
        await focus.set_focus_skills(rep, season, [str(v) for v in form.getlist("skill")])
    except LeagueError as error:
        return await render_packet(request, coach, rep, error)
    return back_to_packet(request, rep, str(form.get("week", "")))


async def assign_practice(request: Request) -> Response:
    coach = await access.get_coach(request)
    rep = await get_rep_for_coach(coach, path_int(request, "member_id"))
    form = await read_form(request)
    try:
        drill_id = parse_int(form.get("drill_id"), "Drill")
        await practice.assign_extra_practice(
            rep, drill_id, form.get("skill", ""), access.now(request)
        )
    except LeagueError as error:
        return await render_packet(request, coach, rep, error)
    return back_to_packet(request, rep, form.get("week", ""))


async def save_notes(request: Request) -> Response:
    coach = await access.get_coach(request)
    rep = await get_rep_for_coach(coach, path_int(request, "member_id"))
    form = await read_form(request)
    week_of = packet.week_from(form.get("week"), access.now(request), rep.team.time_zone)
    actions = packet.parse_actions(form.get("actions", ""))
    await packet.save_notes(rep, week_of, form.get("notes", ""), actions)
    return back_to_packet(request, rep, week_of.isoformat())


async def mark_action(request: Request) -> Response:
    coach = await access.get_coach(request)
    action = await get_action_for_coach(coach, path_int(request, "action_id"))
    form = await read_form(request)
    await packet.mark_action(action, form.get("done") == "yes")
    rep_id = action.one_on_one.member_id  # type: ignore[attr-defined]
    week_of = action.one_on_one.week_of + packet.ONE_WEEK
    url = request.url_for("coaching:packet", member_id=rep_id).path
    return redirect_to_url(request, f"{url}?week={week_of.isoformat()}#last-week")


def back_to_packet(request: Request, rep: Membership, week: str) -> Response:
    url = request.url_for("coaching:packet", member_id=rep.id).path
    return redirect_to_url(request, f"{url}?week={week}" if week else url)


routes = [
    Route("/coaching/metrics", metrics, name="metrics"),
    Route("/coaching/metrics/preview", preview_metrics, methods=["POST"], name="preview"),
    Route("/coaching/metrics/import", import_metrics, methods=["POST"], name="import"),
    Route("/coaching", team, name="team"),
    Route("/coaching/guide", guide, name="guide"),
    Route("/coaching/reps/{member_id:int}", packet_page, name="packet"),
    Route("/coaching/reps/{member_id:int}/focus", set_focus, methods=["POST"], name="focus"),
    Route("/coaching/reps/{member_id:int}/notes", save_notes, methods=["POST"], name="notes"),
    Route(
        "/coaching/reps/{member_id:int}/practice",
        assign_practice,
        methods=["POST"],
        name="practice",
    ),
    Route("/coaching/actions/{action_id:int}", mark_action, methods=["POST"], name="action"),
]
