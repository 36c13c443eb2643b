"""The live socket, the office screen (/tv) and the manager's screen settings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from league.accounts import access as accounts
from league.accounts import throttle
from league.clips.models import Take
from league.clips.playback import media_response
from league.live import access, events, screens, service
from league.live.hub import CLOSE_SIGNED_OUT
from league.live.models import KudosSharing
from league.reactions import reactions_of
from league.reviews.models import CoachPick
from league.seasons.models import RoundState
from league.web.errors import LeagueError, NotFound
from league.web.forms import path_int, read_form
from league.web.htmx import hx_redirect
from league.web.responses import redirect_to, redirect_to_url
from league.web.templating import render

# Anonymous TVs create a pairing row each: a few per address per 15 minutes is plenty.
PAIRINGS_PER_ADDRESS = 20
CLOSE_OTHER_SITE = 4400  # live.js neither reloads nor retries: the page is not ours


async def socket(websocket: WebSocket) -> None:
    wants_tv = "tv" in (websocket.query_params.get("views") or "").split(",")
    viewer = await access.find_viewer(websocket, prefer_screen=wants_tv)
    await websocket.accept()
    if not access.is_same_origin(websocket):
        await websocket.close(CLOSE_OTHER_SITE)
        return
    if viewer is None:
        await websocket.close(CLOSE_SIGNED_OUT)
        return
    allowed = service.SCREEN_VIEWS if viewer.screen_id else service.MEMBER_VIEWS
    views = service.parse_views(websocket.query_params.get("views"), allowed)
    await websocket.app.state.hub.serve(websocket, viewer, views)


async def tv(request: Request) -> Response:
    screen = await access.find_screen(request)
    now = accounts.now(request)
    if screen is None:
        token = access.read_screen_token(request)
        if not await screens.is_pairing_pending(token, now):
            address = request.client.host if request.client else ""
            await throttle.take_allowance(
                f"tv-pairing\n{address}", PAIRINGS_PER_ADDRESS, now, "new screen codes"
            )
        token, pairing = await screens.start_pairing(token, now)
        context = {"code": screens.format_code(pairing.code), "expires_at": pairing.expires_at}
        response = render(request, "tv/pair.html", context)
        access.set_screen_cookie(request, response, token)
        return response
    await screens.mark_seen(screen, now)
    board = await service.load_team_board(request.app, screen.team_id)  # type: ignore[attr-defined]
    fragments = service.page_fragments(request, board)
    context = {"board": board, "screen": screen, "fragments": fragments}
    response = render(request, "tv/board.html", context)
    access.set_screen_cookie(request, response, access.read_screen_token(request) or "")
    return response


async def tv_status(request: Request) -> Response:
    """Polled by the pairing page: reload /tv once paired, or once the code has expired."""
    now = accounts.now(request)
    token = access.read_screen_token(request)
    if await access.find_screen(request) or not await screens.is_pairing_pending(token, now):
        return hx_redirect(Response(status_code=204), request.url_for("live:tv").path)
    return Response(status_code=204)


async def pick_media(request: Request) -> Response:
    """The coach's pick clip, for the office screen of the same team once results are out."""
    screen = await access.find_screen(request)
    if screen is None:
        raise NotFound()
    pick = await CoachPick.get_or_none(
        id=path_int(request, "pick_id"),
        team_id=screen.team_id,  # type: ignore[attr-defined]
        round__state=RoundState.RESULTS,
    ).select_related("entry")
    take = await Take.get_or_none(id=pick.entry.take_id, deleted_at=None) if pick else None  # type: ignore[attr-defined]
    if take is None:
        raise NotFound()
    storage = request.app.state.storage
    head_only = request.method == "HEAD"
    return await media_response(storage, take, request.headers.get("range"), head_only)


async def screens_page(request: Request) -> Response:
    coach = await accounts.get_coach(request)
    team_screens = await screens.list_screens(coach.team_id)  # type: ignore[attr-defined]
    values = {"code": request.query_params.get("code", ""), "name": ""}
    paired = request.query_params.get("paired", "")
    just_paired = next((s for s in team_screens if str(s.id) == paired), None)
    context = {"screens": team_screens, "values": values, "just_paired": just_paired}
    return render(request, "live/screens.html", context)


async def pair(request: Request) -> Response:
    coach = await accounts.get_coach(request)
    form = await read_form(request)
    try:
        screen = await screens.pair_screen(
            coach, form.get("code", ""), form.get("name", ""), accounts.now(request)
        )
    except LeagueError as error:
        team_screens = await screens.list_screens(coach.team_id)  # type: ignore[attr-defined]
        context = {"screens": team_screens, "values": form, "error": error.message}
        return render(request, "live/screens.html", context, status_code=error.status)
    # The list confirms it by name: "Screen paired: Sales floor".
    return redirect_to_url(request, f"{request.url_for('live:screens').path}?paired={screen.id}")


async def create_link(request: Request) -> Response:
    """A new screen paired by a secret link, shown once on the page that answers."""
    coach = await accounts.get_coach(request)
    form = await read_form(request)
    context: dict[str, object] = {"values": {"code": "", "name": ""}}
    try:
        screen, token = await screens.create_linked_screen(coach, form.get("name", ""))
    except LeagueError as error:
        context.update(link_values=form, link_error=error.message)
        status = error.status
    else:
        link = str(request.url_for("live:open_link", token=token))
        context.update(new_link=link, new_screen=screen)
        status = 201
    context["screens"] = await screens.list_screens(coach.team_id)  # type: ignore[attr-defined]
    return render(request, "live/screens.html", context, status_code=status)


async def open_link(request: Request) -> Response:
    """Opened on the TV: remember the screen's token in this browser and show the board."""
    token = request.path_params["token"]
    if await screens.find_screen(token) is None:
        raise NotFound("This screen link was unpaired. Ask your manager for a new one.")
    response = redirect_to(request, "live:tv")
    access.set_screen_cookie(request, response, token)
    return response


async def screen_settings(request: Request) -> Response:
    coach = await accounts.get_coach(request)
    screen = await access.get_screen_for_coach(coach, path_int(request, "screen_id"))
    form = await read_form(request)
    await screens.set_slide_seconds(screen, form.get("slide_seconds", ""), reactions_of(request))
    return redirect_to(request, "live:screens")


async def revoke(request: Request) -> Response:
    coach = await accounts.get_coach(request)
    screen = await access.get_screen_for_coach(coach, path_int(request, "screen_id"))
    await screens.revoke_screen(screen, accounts.now(request), reactions_of(request))
    return redirect_to(request, "live:screens")


async def reveal(request: Request) -> Response:
    coach = await accounts.get_coach(request)
    await events.publish_reveal(reactions_of(request), coach.team_id)  # type: ignore[attr-defined]
    return redirect_to_url(request, request.url_for("live:screens").path + "?revealed=1")


async def kudos_sharing(request: Request) -> Response:
    member = await accounts.get_member(request)
    form = await read_form(request)
    await KudosSharing.update_or_create(
        defaults={"allow_quotes": form.get("allow_quotes") == "yes"}, member=member
    )
    await events.publish_team_change(reactions_of(request), member.team_id, "kudos_sharing")  # type: ignore[attr-defined]
    return redirect_to(request, "standings:table")


routes: list[BaseRoute] = [
    WebSocketRoute("/live", socket, name="socket"),
    Route("/tv", tv, name="tv"),
    Route("/tv/status", tv_status, name="tv_status"),
    Route("/tv/picks/{pick_id:int}/media", pick_media, methods=["GET", "HEAD"], name="pick_media"),
    Route("/screens", screens_page, name="screens"),
    Route("/screens", pair, methods=["POST"], name="pair"),
    Route("/screens/links", create_link, methods=["POST"], name="create_link"),
    Route("/tv/link/{token:str}", open_link, name="open_link"),
    Route("/screens/{screen_id:int}/settings", screen_settings, methods=["POST"], name="settings"),
    Route("/screens/{screen_id:int}/revoke", revoke, methods=["POST"], name="revoke"),
    Route("/screens/reveal", reveal, methods=["POST"], name="reveal"),
    Route("/live/kudos-sharing", kudos_sharing, methods=["POST"], name="kudos_sharing"),
]
