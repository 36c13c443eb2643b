from __future__ import annotations

from league.accounts.models import Team
from league.demo import SEEDS_DIR
from league.playbook import item_service
from league.playbook.demo import load_demo_playbook
from league.playbook.models import Drill, DrillKind, ItemKind


async def test_it_loads_a_full_playbook_and_its_drills(team: Team) -> None:
    drills = await load_demo_playbook(team, SEEDS_DIR)
    items = await item_service.list_items(team.id)
    kinds = [item.kind for item in items]
    assert kinds.count(ItemKind.VALUE_PROPOSITION) == 1
    assert kinds.count(ItemKind.DIFFERENTIATOR) == 3
    assert kinds.count(ItemKind.INSIGHT) == 3
    assert kinds.count(ItemKind.OBJECTION) == 4
    assert all(3 <= len(item.key_points) <= 4 for item in items)
    assert len(drills) == 8
    assert {drill.kind for drill in drills} == set(DrillKind)
    assert all(15 <= drill.time_limit_seconds <= 120 for drill in drills)


async def test_it_is_idempotent_per_team(team: Team) -> None:
    first = await load_demo_playbook(team, SEEDS_DIR)
    second = await load_demo_playbook(team, SEEDS_DIR)
    assert sorted(drill.id for drill in second) == sorted(drill.id for drill in first)
    assert await Drill.filter(team_id=team.id).count() == 8
    assert len(await item_service.list_items(team.id)) == 11
