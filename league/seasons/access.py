"""Loading seasons and rounds for a member, scoped to their organisation (others get 404).

Pages that change or reveal a round are for the coaches of its team: managers run their
own team, admins every team of their organisation; other members get 403.
"""

from __future__ import annotations

from league.accounts.models import Membership
from league.clips.access import is_coach_of_team
from league.seasons.models import Round, Season
from league.web.errors import Forbidden, found_or_404

ROUND_NOT_FOUND = "We couldn't find that round."


async def get_season_for_member(member: Membership, season_id: int) -> Season:
    season = Season.get_or_none(
        id=season_id,
        team__organisation_id=member.organisation_id,  # type: ignore[attr-defined]
    )
    return await found_or_404(season, "We couldn't find that season.")


async def get_round_for_member(member: Membership, round_id: int) -> Round:
    round_ = Round.get_or_none(
        id=round_id,
        team__organisation_id=member.organisation_id,  # type: ignore[attr-defined]
    )
    return await found_or_404(round_.select_related("season"), ROUND_NOT_FOUND)


async def get_round_for_coach(coach: Membership, round_id: int) -> Round:
    round_ = await get_round_for_member(coach, round_id)
    if not await is_coach_of_team(coach, round_.team_id):  # type: ignore[attr-defined]
        raise Forbidden()
    return round_
