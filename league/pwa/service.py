"""What a member's phone keeps so practice goes on without a connection."""

from __future__ import annotations

from datetime import datetime

from league.accounts.models import Membership
from league.seasons.today import today_for_member


async def drills_to_keep_offline(member: Membership, now: datetime) -> list[int]:
    """The drills the member can record right now: those Today lists for an open round."""
    view = await today_for_member(member, now)
    if view.phase != "open":
        return []
    return [status.drill.id for status in view.drills]
