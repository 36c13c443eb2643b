from __future__ import annotations

from league.accounts.models import Team
from league.playbook import drill_service, item_service
from league.playbook.models import Drill, ItemKind


async def test_it_joins_the_items_key_points_in_playbook_order_once_each(team: Team) -> None:
    objection = await item_service.create_item(
        team.id,
        item_service.ItemInput(
            ItemKind.OBJECTION,
            "Price",
            prompt="Too dear.",
            body="Compare.",
            key_points=["one slipped deal", "start small"],
        ),
    )
    value = await item_service.create_item(
        team.id,
        item_service.ItemInput(
            ItemKind.VALUE_PROPOSITION,
            "Why us",
            body="We help.",
            key_points=["forecast you can defend", "Start small"],
        ),
    )
    drill = await drill_service.create_drill(
        team.id,
        drill_service.DrillInput(title="Both", prompt="Go.", item_ids=[objection.id, value.id]),
    )
    assert await drill_service.drill_key_points(drill) == [
        "forecast you can defend",
        "Start small",
        "one slipped deal",
    ]
    # An archived item still counts: the drill was built from it.
    await item_service.archive(value, value.created_at)
    assert len(await drill_service.drill_key_points(drill)) == 3


async def test_it_gives_an_open_drill_no_key_points(drills: list[Drill]) -> None:
    plain = await drill_service.create_drill(
        drills[0].team_id,  # type: ignore[attr-defined]
        drill_service.DrillInput(title="Open", prompt="Anything."),
    )
    assert await drill_service.drill_key_points(plain) == []
    assert await drill_service.drill_key_points(drills[-1]) == [
        "a forecast you can defend",
        "deals that need attention this week",
        "uses the CRM data you already have",
        "live in 30 days, no data team",
        "7 in 10 slipped deals went quiet first",
        "14 days without a buyer reply",
        "still marked as commit",
    ]
