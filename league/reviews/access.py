"""Loading reviews, entries and rounds with the reviews feature's permission rules.

A review belongs to its reviewer until results, then its entry's author may read it.
Anything else (someone else's review, another organisation's entry) is the same 404.
"""

from __future__ import annotations

from league.accounts import permissions
from league.accounts.models import Membership
from league.clips.models import Entry
from league.reviews.models import Review
from league.seasons.access import ROUND_NOT_FOUND
from league.seasons.models import Round
from league.web.errors import Forbidden, found_or_404


async def get_review_for_reviewer(member: Membership, review_id: int) -> Review:
    assigned = Review.get_or_none(
        id=review_id, reviewer_id=member.id, is_judgement=False, entry__withdrawn_at=None
    ).select_related("entry__drill", "entry__member__user", "entry__round__season", "round__season")
    review = await found_or_404(
        assigned, "We couldn't find that review. It may have been reassigned."
    )
    if review.entry.member_id == member.id:  # type: ignore[attr-defined]
        raise Forbidden("You can't review your own clip. Your teammates will.")
    return review


async def get_review_for_author(member: Membership, review_id: int) -> Review:
    own = Review.get_or_none(id=review_id, entry__member_id=member.id)
    return await found_or_404(own.select_related("entry", "round"))


async def get_entry_for_coach(coach: Membership, entry_id: int) -> Entry:
    permissions.ensure_coach(coach)
    standing = Entry.get_or_none(
        id=entry_id, withdrawn_at=None, **permissions.team_scope(coach)
    ).select_related("drill", "member__user", "round__season")
    entry = await found_or_404(standing, "We couldn't find that entry. It may have been withdrawn.")
    if entry.member_id == coach.id:  # type: ignore[attr-defined]
        raise Forbidden("You can't judge your own clip.")
    return entry


async def get_round_for_author(member: Membership, round_id: int) -> Round:
    own_team = Round.get_or_none(id=round_id, team_id=member.team_id)  # type: ignore[attr-defined]
    return await found_or_404(own_team.select_related("season"), ROUND_NOT_FOUND)
