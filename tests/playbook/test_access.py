from __future__ import annotations

import pytest

from league.accounts.models import Membership
from league.playbook.access import get_drill_for_member, get_item_for_coach
from league.playbook.models import Drill, PlaybookItem
from league.web.errors import Forbidden, NotFound


async def test_it_gives_a_member_their_teams_drill_even_archived(
    rep: Membership, drills: list[Drill]
) -> None:
    drills[0].archived_at = drills[0].created_at
    await drills[0].save()
    drill = await get_drill_for_member(rep, drills[0].id)
    assert drill.id == drills[0].id
    assert len(drill.items) == 1  # prefetched


async def test_it_hides_another_organisations_drill(
    outsider: Membership, drills: list[Drill]
) -> None:
    with pytest.raises(NotFound):
        await get_drill_for_member(outsider, drills[0].id)


async def test_it_gives_items_only_to_coaches_of_the_team(
    manager: Membership, rep: Membership, outsider: Membership, objection: PlaybookItem
) -> None:
    assert (await get_item_for_coach(manager, objection.id)).id == objection.id
    with pytest.raises(Forbidden):
        await get_item_for_coach(rep, objection.id)
    with pytest.raises(NotFound):
        await get_item_for_coach(outsider, objection.id)
