"""Loading seasons and rounds for a member, scoped to their organisation (others get 404)."""

from __future__ import annotations

from league.accounts.models import Membership
from league.seasons.models import Round, Season
from league.web.errors import NotFound


async def get_season_for_member(member: Membership, season_id: int) -> Season:
    season = await Season.get_or_none(
        id=season_id,
        team__organisation_id=member.organisation_id,  # type: ignore[attr-defined]
    )
    if season is None:
        raise NotFound("We couldn't find that season.")
    return season


async def get_round_for_member(member: Membership, round_id: int) -> Round:
    round_ = await Round.get_or_none(
        id=round_id,
        team__organisation_id=member.organisation_id,  # type: ignore[attr-defined]
    ).select_related("season")
    if round_ is None:
        raise NotFound("We couldn't find that round.")
    return round_
