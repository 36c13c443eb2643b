"""Who may hear a take, and loading takes and entries with that check.

A take is its rep's private practice until it is submitted: nobody else, managers and
admins included, can list or play it. Once it stands as an entry, others may hear it:
the coaches of its team (managers of that team, admins of the organisation), reviewers
assigned to that entry, and the whole team once the round's results are out. A withdrawn
entry is private again. Everyone else gets the same 404 as for a take that never existed.
"""

from __future__ import annotations

from league.accounts import permissions
from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.reviews.models import Review
from league.seasons.models import RoundState
from league.web.errors import NotFound, found_or_404


async def can_hear_take(member: Membership, take: Take) -> bool:
    if take.deleted_at is not None:
        return False
    if take.member_id == member.id:  # type: ignore[attr-defined]
        return True
    entries = Entry.filter(take_id=take.id, withdrawn_at=None)
    if not await entries.exists():
        return False  # unsubmitted practice stays the rep's own
    if await permissions.can_coach_team(member, take.team_id):  # type: ignore[attr-defined]
        return True
    if await Review.exists(reviewer_id=member.id, entry__take_id=take.id, entry__withdrawn_at=None):
        return True
    if member.team_id != take.team_id:  # type: ignore[attr-defined]
        return False
    return await entries.filter(round__state=RoundState.RESULTS).exists()


async def get_take_for_listener(member: Membership, take_id: int) -> Take:
    take = await Take.get_or_none(id=take_id, deleted_at=None)
    if take is None or not await can_hear_take(member, take):
        raise NotFound()
    return take


async def get_own_take(member: Membership, take_id: int) -> Take:
    """One of the member's own takes (to delete or submit); anyone else's is a 404."""
    own = Take.get_or_none(id=take_id, deleted_at=None, **permissions.own_scope(member))
    return await found_or_404(own)


async def get_own_entry(member: Membership, entry_id: int) -> Entry:
    own = Entry.get_or_none(id=entry_id, **permissions.own_scope(member))
    return await found_or_404(own.select_related("round"))
