"""Loading reviews, entries and rounds with the reviews feature's permission rules.

A review belongs to its reviewer until results, then its entry's author may read it.
Anything else (someone else's review, another organisation's entry) is the same 404.
"""

from __future__ import annotations

from league.accounts.models import Membership
from league.clips.access import is_coach_of_team
from league.clips.models import Entry
from league.reviews.models import Review
from league.seasons.models import Round
from league.web.errors import Forbidden, NotFound


async def get_review_for_reviewer(member: Membership, review_id: int) -> Review:
    review = await Review.get_or_none(
        id=review_id, reviewer_id=member.id, is_judgement=False, entry__withdrawn_at=None
    ).select_related("entry__drill", "entry__member__user", "entry__round__season", "round__season")
    if review is None:
        raise NotFound("We couldn't find that review. It may have been reassigned.")
    if review.entry.member_id == member.id:  # type: ignore[attr-defined]
        raise Forbidden("You can't review your own clip. Your teammates will.")
    return review


async def get_review_for_author(member: Membership, review_id: int) -> Review:
    review = await Review.get_or_none(id=review_id, entry__member_id=member.id).select_related(
        "entry", "round"
    )
    if review is None:
        raise NotFound()
    return review


async def get_entry_for_coach(coach: Membership, entry_id: int) -> Entry:
    entry = await Entry.get_or_none(
        id=entry_id,
        team__organisation_id=coach.organisation_id,  # type: ignore[attr-defined]
        withdrawn_at=None,
    ).select_related("drill", "member__user", "round__season")
    if entry is None:
        raise NotFound("We couldn't find that entry. It may have been withdrawn.")
    if not await is_coach_of_team(coach, entry.team_id):  # type: ignore[attr-defined]
        raise Forbidden()
    if entry.member_id == coach.id:  # type: ignore[attr-defined]
        raise Forbidden("You can't judge your own clip.")
    return entry


async def get_round_for_coach(coach: Membership, round_id: int) -> Round:
    round_ = await Round.get_or_none(
        id=round_id,
        team__organisation_id=coach.organisation_id,  # type: ignore[attr-defined]
    ).select_related("season")
    if round_ is None:
        raise NotFound("We couldn't find that round.")
    if not await is_coach_of_team(coach, round_.team_id):  # type: ignore[attr-defined]
        raise Forbidden()
    return round_


async def get_round_for_author(member: Membership, round_id: int) -> Round:
    round_ = await Round.get_or_none(
        id=round_id,
        team_id=member.team_id,  # type: ignore[attr-defined]
    ).select_related("season")
    if round_ is None:
        raise NotFound("We couldn't find that round.")
    return round_
