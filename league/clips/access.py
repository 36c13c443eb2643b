"""Who may hear a take, and loading takes, entries and drills with that check.

A take is private to its rep. Others may hear it only through its entry: reviewers assigned
to that entry, the team's managers (and the organisation's admins), and the whole team once
the round's results are out. Everyone else gets the same 404 as for a take that never existed.
"""

from __future__ import annotations

from league.accounts.models import Membership, Team
from league.clips.models import Entry, Take
from league.reviews.models import Review
from league.seasons.models import RoundState
from league.web.errors import NotFound, found_or_404


async def can_hear_take(member: Membership, take: Take) -> bool:
    if take.deleted_at is not None:
        return False
    if take.member_id == member.id:  # type: ignore[attr-defined]
        return True
    if await is_coach_of_team(member, take.team_id):  # type: ignore[attr-defined]
        return True
    # A withdrawn entry leaves review and results: only its rep and coaches hear it then.
    entries = Entry.filter(take_id=take.id, withdrawn_at=None)
    if await Review.exists(reviewer_id=member.id, entry__take_id=take.id, entry__withdrawn_at=None):
        return True
    if member.team_id != take.team_id:  # type: ignore[attr-defined]
        return False
    return await entries.filter(round__state=RoundState.RESULTS).exists()


async def is_coach_of_team(member: Membership, team_id: int) -> bool:
    """Managers run their own team; admins run every team of their organisation."""
    if member.is_admin:
        return await Team.exists(id=team_id, organisation_id=member.organisation_id)  # type: ignore[attr-defined]
    return member.is_coach and member.team_id == team_id  # type: ignore[attr-defined]


async def get_take_for_listener(member: Membership, take_id: int) -> Take:
    take = await Take.get_or_none(id=take_id, deleted_at=None)
    if take is None or not await can_hear_take(member, take):
        raise NotFound()
    return take


async def get_own_take(member: Membership, take_id: int) -> Take:
    """One of the member's own takes (to delete or submit); anyone else's is a 404."""
    return await found_or_404(Take.get_or_none(id=take_id, member_id=member.id, deleted_at=None))


async def get_own_entry(member: Membership, entry_id: int) -> Entry:
    own = Entry.get_or_none(id=entry_id, member_id=member.id).select_related("round")
    return await found_or_404(own)
