"""Who may see a rep's coaching data: the rep themself (practice parts only) and their coaches.

A manager sees the reps of the team they run, an admin every team of their organisation;
anyone else gets the same 404 as for a member who does not exist.
"""

from __future__ import annotations

from league.accounts.models import Membership, Role
from league.accounts.permissions import can_coach_team
from league.coaching.models import AgreedAction
from league.web.errors import NotFound, found_or_404

REP_NOT_FOUND = "We couldn't find that rep."


async def get_rep_for_viewer(viewer: Membership, member_id: int) -> Membership:
    """A rep whose coaching page the viewer may open: their own, or a rep they coach."""
    rep = await found_or_404(
        Membership.get_or_none(
            id=member_id,
            organisation_id=viewer.organisation_id,  # type: ignore[attr-defined]
        ).select_related("user", "team"),
        REP_NOT_FOUND,
    )
    if rep.id == viewer.id or await can_coach_team(viewer, rep.team_id):  # type: ignore[attr-defined]
        return rep
    raise NotFound(REP_NOT_FOUND)


async def get_rep_for_coach(coach: Membership, member_id: int) -> Membership:
    """A rep on a team the coach runs; their own row or anyone else's is a 404."""
    rep = await get_rep_for_viewer(coach, member_id)
    if rep.id == coach.id or rep.role != Role.REP:
        raise NotFound(REP_NOT_FOUND)
    return rep


async def get_action_for_coach(coach: Membership, action_id: int) -> AgreedAction:
    """An agreed action from a 1:1 with a rep the coach runs; anything else is a 404."""
    action = await found_or_404(
        AgreedAction.get_or_none(
            id=action_id,
            one_on_one__team__organisation_id=coach.organisation_id,  # type: ignore[attr-defined]
        ).select_related("one_on_one")
    )
    await get_rep_for_coach(coach, action.one_on_one.member_id)  # type: ignore[attr-defined]
    return action
