"""The coach's side: sales-metrics import, focus skills, the 1:1 packet and the team view."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.accounts.models import Membership
from league.coaching import importing, metrics_service
from league.web.errors import LeagueError
from league.web.forms import read_form_data
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


def metrics_routes() -> list[Route]:
    return [
        Route("/coaching/metrics", metrics, name="metrics"),
        Route("/coaching/metrics/preview", preview_metrics, methods=["POST"], name="preview"),
        Route("/coaching/metrics/import", import_metrics, methods=["POST"], name="import"),
    ]


routes: list[Any] = [*metrics_routes()]
