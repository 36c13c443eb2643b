"""The Standings tab (live over the socket) and each member's season card."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access, permissions
from league.live import service as live
from league.live.board import Board, near_rows
from league.live.models import KudosSharing
from league.standings.cards import season_card_context
from league.web.forms import path_int
from league.web.htmx import wants_fragment
from league.web.templating import render

SHOW_MODES = ("season", "round", "near")


async def table(request: Request) -> Response:
    member = await access.get_member(request)
    board = await live.load_team_board(request.app, member.team_id)  # type: ignore[attr-defined]
    show = request.query_params.get("show") or default_show(board)
    sharing = await KudosSharing.get_or_none(member_id=member.id)
    context = {
        "board": board,
        "me": member.id,
        "near": near_rows(board.near_source, member.id),
        "show": show if show in SHOW_MODES else default_show(board),
        "allow_quotes": bool(sharing and sharing.allow_quotes),
    }
    template = "standings/_live.html" if wants_fragment(request) else "standings/table.html"
    return render(request, template, context)


def default_show(board: Board) -> str:
    """The round's race while a round is in play; otherwise the season table once someone
    has a place in it (in a first round, the round's table)."""
    if board.race is not None:
        return "round"
    return "season" if board.has_season_places else "round"


async def card(request: Request) -> Response:
    member = await access.get_member(request)
    other = await permissions.get_membership_for_member(member, path_int(request, "membership_id"))
    context = await season_card_context(request.app, other)
    template = "standings/_card.html" if wants_fragment(request) else "standings/card.html"
    return render(request, template, context)


routes = [
    Route("/standings", table, name="table"),
    Route("/standings/members/{membership_id:int}", card, name="card"),
]
