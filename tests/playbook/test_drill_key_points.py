from __future__ import annotations

from league.accounts.models import Team
from league.playbook import service
from league.playbook.models import Drill, ItemKind


async def test_it_joins_the_items_key_points_in_playbook_order_once_each(team: Team) -> None:
    objection = await service.create_item(
        team.id,
        service.ItemInput(
            ItemKind.OBJECTION,
            "Price",
            prompt="Too dear.",
            body="Compare.",
            key_points=["one slipped deal", "start small"],
        ),
    )
    value = await service.create_item(
        team.id,
        service.ItemInput(
            ItemKind.VALUE_PROPOSITION,
            "Why us",
            body="We help.",
            key_points=["forecast you can defend", "Start small"],
        ),
    )
    drill = await service.create_drill(
        team.id,
        service.DrillInput(title="Both", prompt="Go.", item_ids=[objection.id, value.id]),
    )
    assert await service.drill_key_points(drill) == [
        "forecast you can defend",
        "Start small",
        "one slipped deal",
    ]
    # An archived item still counts: the drill was built from it.
    await service.archive(value, value.created_at)
    assert len(await service.drill_key_points(drill)) == 3


async def test_it_gives_an_open_drill_no_key_points(drills: list[Drill]) -> None:
    plain = await service.create_drill(
        drills[0].team_id,  # type: ignore[attr-defined]
        service.DrillInput(title="Open", prompt="Anything."),
    )
    assert await service.drill_key_points(plain) == []
    assert await service.drill_key_points(drills[-1]) == [
        "a forecast you can defend",
        "deals that need attention this week",
        "uses the CRM data you already have",
        "live in 30 days, no data team",
        "7 in 10 slipped deals went quiet first",
        "14 days without a buyer reply",
        "still marked as commit",
    ]
