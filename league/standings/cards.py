"""A member's season card: place, points, streak, personal bests per criterion, progress
against their own baseline, badges, and where they are in the round in play.

Shown on the member's own Me tab and, for teammates, from the Standings table.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from league.accounts.models import Membership
from league.live import service as live
from league.live.board import initials_of, ordinal
from league.standings import tables
from league.standings.personal import load_baseline_progress, load_skill_bests


async def season_card_context(app: Starlette, member: Membership) -> dict[str, Any]:
    """What `standings/_card.html` renders for `member` (user loaded)."""
    board = await live.load_team_board(app, member.team_id)  # type: ignore[attr-defined]
    season = board.season
    context: dict[str, Any] = {
        "board": board,
        "other": member,
        "initials": initials_of(member.user.name),
        "ordinal": ordinal,
        "card": None,
        "skills": [],
        "baseline": None,
        "race_row": board.race.row_for(member.id) if board.race else None,
    }
    if season is not None:
        context["card"] = await tables.member_season_card(season.id, member.id)
        context["skills"] = await load_skill_bests(season.id, member.id)
        context["baseline"] = await load_baseline_progress(season.id, member.id)
    return context
