"""Loading playbook items and drills through `permissions`. Another team's ids are 404."""

from __future__ import annotations

from league.accounts import permissions
from league.accounts.models import Membership
from league.playbook.models import Drill, PlaybookItem
from league.web.errors import found_or_404

DRILL_NOT_FOUND = "We couldn't find that drill. It may belong to another team."
ITEM_NOT_FOUND = "We couldn't find that playbook item. It may belong to another team."


async def get_drill_for_member(member: Membership, drill_id: int) -> Drill:
    """A drill of a team the member may see, archived or not (rounds and clips keep old drills)."""
    drill = Drill.get_or_none(id=drill_id, **permissions.team_scope(member))
    return await found_or_404(drill.prefetch_related("items"), DRILL_NOT_FOUND)


async def get_drill_for_coach(coach: Membership, drill_id: int) -> Drill:
    permissions.ensure_coach(coach)
    return await get_drill_for_member(coach, drill_id)


async def get_item_for_coach(coach: Membership, item_id: int) -> PlaybookItem:
    permissions.ensure_coach(coach)
    item = PlaybookItem.get_or_none(id=item_id, **permissions.team_scope(coach))
    return await found_or_404(item, ITEM_NOT_FOUND)
