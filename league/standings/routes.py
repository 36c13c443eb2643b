"""The Standings tab (live over the socket) and each member's season card.

A phone gets the top of each table, the member's neighbourhood and their own row pinned;
the rest of a table loads on demand, MORE_ROWS at a time (`rows`). The shared parts come
live over the socket; the member's own parts (`mine`) are asked for again after a change.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access, permissions
from league.accounts.models import Membership
from league.live import service as live
from league.live.board import (
    MORE_ROWS,
    TABLE_LIMITS,
    TOP_ROWS,
    Board,
    near_rows,
    neighbourhood,
    own_row,
)
from league.live.models import KudosSharing
from league.standings.cards import season_card_context
from league.web.errors import LeagueError
from league.web.forms import path_int, query_start
from league.web.htmx import wants_fragment
from league.web.templating import render

SHOW_MODES = ("season", "round", "near")
TABLES = ("season", "round")


async def table(request: Request) -> Response:
    member = await access.get_member(request)
    board = await live.load_team_board(request.app, member.team_id)  # type: ignore[attr-defined]
    show = request.query_params.get("show") or default_show(board)
    sharing = await KudosSharing.get_or_none(member_id=member.id)
    context = {
        **own_context(board, member),
        "fragments": live.page_fragments(request, board),
        "show": show if show in SHOW_MODES else default_show(board),
        "allow_quotes": bool(sharing and sharing.allow_quotes),
    }
    template = "standings/_live.html" if wants_fragment(request) else "standings/table.html"
    return render(request, template, context)


async def mine(request: Request) -> Response:
    """The member's neighbourhood and pinned row, refreshed by live.js after a change."""
    member = await access.get_member(request)
    board = await live.load_team_board(request.app, member.team_id)  # type: ignore[attr-defined]
    return render(request, "standings/_mine.html", {**own_context(board, member), "oob": True})


async def rows(request: Request) -> Response:
    """A page of a table past its top rows: "Show all" and "Show more"."""
    member = await access.get_member(request)
    board = await live.load_team_board(request.app, member.team_id)  # type: ignore[attr-defined]
    name = request.query_params.get("table", "")
    if name not in TABLES:
        raise LeagueError("Choose the season or the round table.", status=400)
    start = query_start(request, TOP_ROWS)
    all_rows = board.season_rows if name == "season" else board.round_table_rows
    context = {
        **own_context(board, member),
        "table": name,
        "rows": all_rows[start : start + MORE_ROWS],
        "start": start,
        "next_start": start + MORE_ROWS,
        "total": len(all_rows),
    }
    template = "standings/_rows.html" if wants_fragment(request) else "standings/rows.html"
    return render(request, template, context)


def own_context(board: Board, member: Membership) -> dict[str, Any]:
    return {
        "board": board,
        "me": member.id,
        "near": near_rows(board.near_source, member.id),
        "neighbours": neighbourhood(board.near_rows, member.id),
        "own_row": own_row(board.near_rows, member.id),
        **TABLE_LIMITS,
    }


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
    Route("/standings/mine", mine, name="mine"),
    Route("/standings/rows", rows, name="rows"),
    Route("/standings/members/{membership_id:int}", card, name="card"),
]
