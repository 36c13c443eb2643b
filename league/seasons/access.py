"""Loading seasons and rounds through `permissions`: rounds of teams the member may see.

Pages that change or reveal a round are for the coaches of its team: managers run their
own team, admins every team of their organisation; a rep gets 403, anyone else 404.
"""

from __future__ import annotations

from league.accounts import permissions
from league.accounts.models import Membership
from league.seasons.models import Round, Season
from league.web.errors import found_or_404

ROUND_NOT_FOUND = "We couldn't find that round."
SEASON_NOT_FOUND = "We couldn't find that season."


async def get_season_for_member(member: Membership, season_id: int) -> Season:
    season = Season.get_or_none(id=season_id, **permissions.team_scope(member))
    return await found_or_404(season, SEASON_NOT_FOUND)


async def get_season_for_coach(coach: Membership, season_id: int) -> Season:
    permissions.ensure_coach(coach)
    return await get_season_for_member(coach, season_id)


async def get_round_for_member(member: Membership, round_id: int) -> Round:
    round_ = Round.get_or_none(id=round_id, **permissions.team_scope(member))
    return await found_or_404(round_.select_related("season"), ROUND_NOT_FOUND)


async def get_round_for_coach(coach: Membership, round_id: int) -> Round:
    permissions.ensure_coach(coach)
    return await get_round_for_member(coach, round_id)
