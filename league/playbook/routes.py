"""The playbook page, its import and export, and the Drills tab with the drill editor."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.accounts.models import Membership
from league.clips.progress import load_drills_progress
from league.playbook import drill_service, exporting, forms, generating, importing, item_service
from league.playbook.access import get_drill_for_coach, get_item_for_coach
from league.playbook.models import (
    MAX_DRILL_SECONDS,
    MIN_DRILL_SECONDS,
    Drill,
    DrillKind,
    ItemKind,
    PlaybookItem,
)
from league.playbook.rubric import MAX_CRITERIA, default_rubric
from league.web.errors import LeagueError, NotFound
from league.web.forms import MAX_ID, parse_digits, path_int, read_form_data
from league.web.htmx import wants_fragment
from league.web.responses import redirect_to, redirect_to_url
from league.web.templating import render


def team_id(member: Membership) -> int:
    return int(member.team_id)  # type: ignore[attr-defined]


def page_or_fragment(
    request: Request, page: str, fragment: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """The whole page, or only its fragment for an htmx swap; the markup lives in the fragment."""
    template = fragment if wants_fragment(request) else page
    return render(request, template, context, status_code=status_code)


def query_count(request: Request, name: str) -> int | None:
    """A count a redirect carried in the query string, for the notice after an action."""
    raw = request.query_params.get(name, "")
    number = parse_digits(raw)
    return number if number is not None and number <= MAX_ID else None


# --- Playbook ---------------------------------------------------------------------


async def playbook_context(member: Membership) -> dict[str, Any]:
    items = await item_service.list_items(team_id(member))
    archived = (
        await item_service.list_items(team_id(member), archived=True) if member.is_coach else []
    )
    return {
        "sections": item_service.group_items(items),
        "archived": archived,
        "has_value_proposition": any(i.kind == ItemKind.VALUE_PROPOSITION for i in items),
    }


async def render_playbook(request: Request, member: Membership) -> Response:
    context = await playbook_context(member)
    context["imported"] = query_count(request, "imported")
    return page_or_fragment(request, "playbook/playbook.html", "playbook/_sections.html", context)


async def playbook(request: Request) -> Response:
    return await render_playbook(request, await access.get_member(request))


def parse_kind(request: Request, form: FormData | None) -> ItemKind:
    raw = form.get("kind") if form is not None else None
    return item_service.parse_item_kind(str(raw or request.query_params.get("kind", "")))


def render_item_form(
    request: Request, context: dict[str, Any], error: LeagueError | None = None
) -> Response:
    if error:
        context["error"] = error.message
    return page_or_fragment(
        request,
        "playbook/item_form.html",
        "playbook/_item_form.html",
        context,
        status_code=error.status if error else 200,
    )


async def item_new(request: Request) -> Response:
    coach = await access.get_coach(request)
    form = await read_form_data(request) if request.method == "POST" else None
    kind = parse_kind(request, form)
    context: dict[str, Any] = {"kind": kind, "item": None, "values": {}}
    if form is None:
        return render_item_form(request, context)
    try:
        item = await item_service.create_item(team_id(coach), forms.item_input(form, kind))
    except LeagueError as error:
        return render_item_form(request, {**context, "values": dict(form)}, error)
    return redirect_to_url(request, playbook_anchor(request, item.id))


async def item_edit(request: Request) -> Response:
    _, item = await load_item_for_coach(request)
    context: dict[str, Any] = {"kind": item.kind, "item": item, "values": forms.item_values(item)}
    if request.method != "POST":
        return render_item_form(request, context)
    form = await read_form_data(request)
    try:
        await item_service.update_item(item, forms.item_input(form, item.kind))
    except LeagueError as error:
        return render_item_form(request, {**context, "values": dict(form)}, error)
    return redirect_to_url(request, playbook_anchor(request, item.id))


def playbook_anchor(request: Request, item_id: int) -> str:
    return request.url_for("playbook:playbook").path + f"#item-{item_id}"


async def load_item_for_coach(request: Request) -> tuple[Membership, PlaybookItem]:
    """The signed-in coach and the playbook item named in the path."""
    coach = await access.get_coach(request)
    return coach, await get_item_for_coach(coach, path_int(request, "item_id"))


async def after_item_change(request: Request, coach: Membership) -> Response:
    if wants_fragment(request):
        return render(request, "playbook/_sections.html", await playbook_context(coach))
    return redirect_to(request, "playbook:playbook")


async def item_archive(request: Request) -> Response:
    coach, item = await load_item_for_coach(request)
    await item_service.archive(item, access.now(request))
    return await after_item_change(request, coach)


async def item_restore(request: Request) -> Response:
    coach, item = await load_item_for_coach(request)
    await item_service.restore_item(item)
    return await after_item_change(request, coach)


async def reorder(request: Request) -> Response:
    coach, item = await load_item_for_coach(request)
    form = await read_form_data(request)
    directions = {"up": -1, "down": 1}
    if form.get("direction") not in directions:
        raise LeagueError("Move an item up or down.")
    await item_service.move_item(item, directions[str(form["direction"])])
    return await after_item_change(request, coach)


# --- Import and export ------------------------------------------------------------


def render_import(
    request: Request, values: dict[str, Any], error: LeagueError | None = None
) -> Response:
    context = {
        "values": values,
        "formats": list(importing.PlaybookFormat),
        "error": error.message if error else "",
    }
    return page_or_fragment(
        request,
        "playbook/import.html",
        "playbook/_import_form.html",
        context,
        status_code=error.status if error else 200,
    )


async def read_import_text(
    form: FormData, chosen: importing.PlaybookFormat
) -> tuple[str, importing.PlaybookFormat, str]:
    """The uploaded file if there is one, else the pasted text; its format; and its name."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(importing.MAX_IMPORT_BYTES + 1)
        found = importing.format_for_filename(upload.filename, chosen)
        return importing.decode(data), found, upload.filename
    return forms.text(form, "text"), chosen, ""


async def import_playbook(request: Request) -> Response:
    coach = await access.get_coach(request)
    if request.method != "POST":
        return render_import(request, {"format": "markdown", "mode": "append"})
    form = await read_form_data(request)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    filename = ""
    try:
        chosen = importing.parse_format(values.get("format", ""))
        mode = item_service.parse_import_mode(values.get("mode", ""))
        text, chosen, filename = await read_import_text(form, chosen)
        items = importing.parse_playbook(text, chosen)
        created = await item_service.import_items(team_id(coach), items, mode, access.now(request))
    except LeagueError as error:
        if filename:
            # The file input is empty when the form comes back: say which file was wrong.
            error = LeagueError(f"{filename}: {error.message}", status=error.status)
        return render_import(request, values, error)
    url = request.url_for("playbook:playbook").path + f"?imported={len(created)}"
    return redirect_to_url(request, url)


EXPORT_TYPES = {
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "yaml": ("application/yaml; charset=utf-8", "yaml"),
}


async def export(request: Request) -> Response:
    member = await access.get_member(request)
    chosen = request.path_params["format"]
    if chosen not in EXPORT_TYPES:
        raise NotFound("Export as markdown or yaml.")
    items = await item_service.list_items(team_id(member))
    team_name = member.team.name
    write = exporting.export_markdown if chosen == "markdown" else exporting.export_yaml
    media_type, extension = EXPORT_TYPES[chosen]
    disposition = f'attachment; filename="playbook.{extension}"'
    return Response(
        write(team_name, items),
        media_type=media_type,
        headers={"Content-Disposition": disposition},
    )


# --- Drills -----------------------------------------------------------------------


async def drills_context(request: Request, member: Membership) -> dict[str, Any]:
    drills = await drill_service.list_drills(team_id(member))
    archived = (
        await drill_service.list_drills(team_id(member), archived=True) if member.is_coach else []
    )
    return {
        "drills": drills,
        "archived": archived,
        "made": query_count(request, "made"),
        "skipped": query_count(request, "skipped"),
    }


async def drills(request: Request) -> Response:
    """The drills with the member's progress on each, filtered by ?kind= when given."""
    member = await access.get_member(request)
    context = await drills_context(request, member)
    context["all_drills"] = context["drills"]
    kind = request.query_params.get("kind", "")
    if kind in {item.value for item in DrillKind}:
        context["drills"] = [drill for drill in context["drills"] if drill.kind == kind]
    context["kind"] = kind
    progress = await load_drills_progress(member.id, team_id(member))
    # This round's drills lead the list: they are what the week asks for.
    context["drills"] = sorted(
        context["drills"], key=lambda drill: drill.id not in progress.in_round
    )
    context["progress"] = progress
    return page_or_fragment(request, "playbook/drills.html", "playbook/_drill_list.html", context)


async def drill_form_context(
    member: Membership, drill: Drill | None, values: dict[str, Any], rows: list[Any]
) -> dict[str, Any]:
    items = await item_service.list_items(team_id(member))
    # Items archived since the drill was built stay ticked, so saving doesn't drop them.
    items += [item for item in (drill.items if drill else []) if item.archived_at]
    items.sort(key=item_service.playbook_order)
    return {
        "drill": drill,
        "values": values,
        "rubric_rows": rows,
        "kinds": list(DrillKind),
        "sections": item_service.group_items(items),
        "picked": [item.title for item in items if item.id in values["item_ids"]],
        "min_seconds": MIN_DRILL_SECONDS,
        "max_seconds": MAX_DRILL_SECONDS,
        "max_criteria": MAX_CRITERIA,
    }


def render_drill_form(
    request: Request,
    context: dict[str, Any],
    error: LeagueError | None = None,
) -> Response:
    context["error"] = error.message if error else ""
    return page_or_fragment(
        request,
        "playbook/drill_form.html",
        "playbook/_drill_form.html",
        context,
        status_code=error.status if error else 200,
    )


async def submit_drill_form(request: Request, coach: Membership, drill: Drill | None) -> Response:
    """Save the drill, or show the form again: with the message, or after a rubric button."""
    form = await read_form_data(request)
    rows = forms.rubric_rows(form)
    values = forms.form_values(form)
    context = await drill_form_context(coach, drill, values, rows)
    try:
        if form.get("rubric_action"):
            context["rubric_rows"] = forms.apply_rubric_action(str(form["rubric_action"]), rows)
            return render_drill_form(request, context)
        data = forms.drill_input(form)
        if drill is None:
            drill = await drill_service.create_drill(team_id(coach), data)
        else:
            await drill_service.update_drill(drill, data)
    except LeagueError as error:
        return render_drill_form(request, context, error)
    return redirect_to_url(request, request.url_for("playbook:drills").path + f"#drill-{drill.id}")


async def drill_new(request: Request) -> Response:
    coach = await access.get_coach(request)
    if request.method == "POST":
        return await submit_drill_form(request, coach, None)
    values = {"kind": DrillKind.OPEN.value, "time_limit_seconds": "45", "item_ids": []}
    rows = forms.rows_for(default_rubric())
    return render_drill_form(request, await drill_form_context(coach, None, values, rows))


async def drill_edit(request: Request) -> Response:
    coach, drill = await load_drill_for_coach(request)
    if request.method == "POST":
        return await submit_drill_form(request, coach, drill)
    values = forms.drill_values(drill)
    context = await drill_form_context(coach, drill, values, forms.rows_for(drill.rubric))
    return render_drill_form(request, context)


async def load_drill_for_coach(request: Request) -> tuple[Membership, Drill]:
    """The signed-in coach and the drill named in the path."""
    coach = await access.get_coach(request)
    return coach, await get_drill_for_coach(coach, path_int(request, "drill_id"))


async def after_drill_change(request: Request, coach: Membership) -> Response:
    if wants_fragment(request):
        context = await drills_context(request, coach)
        return render(request, "playbook/_drill_list.html", context)
    return redirect_to(request, "playbook:drills")


async def drill_archive(request: Request) -> Response:
    coach, drill = await load_drill_for_coach(request)
    await item_service.archive(drill, access.now(request))
    return await after_drill_change(request, coach)


async def drill_restore(request: Request) -> Response:
    coach, drill = await load_drill_for_coach(request)
    await drill_service.restore_drill(drill)
    return await after_drill_change(request, coach)


async def generate(request: Request) -> Response:
    coach = await access.get_coach(request)
    result = await generating.generate_drills(team_id(coach))
    query = f"?made={len(result.created)}&skipped={result.skipped}"
    return redirect_to_url(request, request.url_for("playbook:drills").path + query)


routes = [
    Route("/playbook", playbook, name="playbook"),
    Route("/playbook/items/new", item_new, methods=["GET", "POST"], name="item_new"),
    Route(
        "/playbook/items/{item_id:int}/edit", item_edit, methods=["GET", "POST"], name="item_edit"
    ),
    Route(
        "/playbook/items/{item_id:int}/archive", item_archive, methods=["POST"], name="item_archive"
    ),
    Route(
        "/playbook/items/{item_id:int}/restore", item_restore, methods=["POST"], name="item_restore"
    ),
    Route("/playbook/items/{item_id:int}/move", reorder, methods=["POST"], name="reorder"),
    Route("/playbook/import", import_playbook, methods=["GET", "POST"], name="import"),
    Route("/playbook/export/{format}", export, name="export"),
    Route("/drills", drills, name="drills"),
    Route("/drills/new", drill_new, methods=["GET", "POST"], name="drill_new"),
    Route("/drills/generate", generate, methods=["POST"], name="generate"),
    Route("/drills/{drill_id:int}/edit", drill_edit, methods=["GET", "POST"], name="drill_edit"),
    Route("/drills/{drill_id:int}/archive", drill_archive, methods=["POST"], name="drill_archive"),
    Route("/drills/{drill_id:int}/restore", drill_restore, methods=["POST"], name="drill_restore"),
]
