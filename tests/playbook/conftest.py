"""Playbook fixtures: the demo playbook and drills, and an item of another organisation."""

from __future__ import annotations

import pytest

from league.accounts.models import Membership, Team
from league.demo import SEEDS_DIR
from league.playbook import drill_service, item_service
from league.playbook.demo import load_demo_playbook
from league.playbook.models import Drill, ItemKind, PlaybookItem


@pytest.fixture
async def drills(team: Team) -> list[Drill]:
    """The demo team's playbook (11 items) and its 8 seeded drills."""
    return await load_demo_playbook(team, SEEDS_DIR)


@pytest.fixture
async def items(drills: list[Drill], team: Team) -> list[PlaybookItem]:
    return await item_service.list_items(team.id)


@pytest.fixture
async def objection(items: list[PlaybookItem]) -> PlaybookItem:
    return next(item for item in items if item.kind == ItemKind.OBJECTION)


@pytest.fixture
async def foreign_item(outsider: Membership) -> PlaybookItem:
    return await item_service.create_item(
        outsider.team_id,  # type: ignore[attr-defined]
        item_service.ItemInput(kind=ItemKind.DIFFERENTIATOR, title="Rival edge", body="Secret."),
    )


@pytest.fixture
async def foreign_drill(outsider: Membership) -> Drill:
    return await drill_service.create_drill(
        outsider.team_id,  # type: ignore[attr-defined]
        drill_service.DrillInput(title="Rival drill", prompt="Say it."),
    )


HTMX = {"HX-Request": "true"}
