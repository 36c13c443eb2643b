"""Loading playbook items and drills for a member. Another team's ids are 404, never 403."""

from __future__ import annotations

from league.accounts.models import Membership
from league.playbook.models import Drill, PlaybookItem
from league.web.errors import Forbidden, found_or_404


async def get_drill_for_member(member: Membership, drill_id: int) -> Drill:
    """A drill of the member's team, archived or not (rounds and clips keep old drills)."""
    drill = Drill.get_or_none(
        id=drill_id,
        team_id=member.team_id,  # type: ignore[attr-defined]
        team__organisation_id=member.organisation_id,  # type: ignore[attr-defined]
    ).prefetch_related("items")
    return await found_or_404(drill, "We couldn't find that drill. It may belong to another team.")


async def get_drill_for_coach(coach: Membership, drill_id: int) -> Drill:
    ensure_coach(coach)
    return await get_drill_for_member(coach, drill_id)


async def get_item_for_coach(coach: Membership, item_id: int) -> PlaybookItem:
    ensure_coach(coach)
    item = PlaybookItem.get_or_none(
        id=item_id,
        team_id=coach.team_id,  # type: ignore[attr-defined]
        team__organisation_id=coach.organisation_id,  # type: ignore[attr-defined]
    )
    return await found_or_404(
        item, "We couldn't find that playbook item. It may belong to another team."
    )


def ensure_coach(member: Membership) -> None:
    if not member.is_coach:
        raise Forbidden()
