from __future__ import annotations

import httpx

from league.accounts.models import Membership, Team
from league.playbook import item_service
from league.playbook.generating import generate_drills
from league.playbook.models import Drill, DrillKind, ItemKind
from league.playbook.rubric import DEFAULT_RUBRIC
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


async def test_it_makes_one_drill_per_item_once(
    make_client: ClientFactory, manager: Membership, drills: list[Drill]
) -> None:
    client = await make_client(manager)
    response = await client.post("/drills/generate")
    assert response.status_code == 303
    # The demo seeds already hold the drills for 7 of the 11 items.
    assert response.headers["location"] == "/drills?made=4&skipped=7"
    assert await Drill.all().count() == 12
    again = await client.post("/drills/generate")
    assert again.headers["location"] == "/drills?made=0&skipped=11"
    assert await Drill.all().count() == 12
    page = await client.get(again.headers["location"])
    assert "Every playbook item already has a drill." in page.text


async def test_it_makes_sensible_drills_for_each_kind(team: Team) -> None:
    add = item_service.create_item
    await add(
        team.id, item_service.ItemInput(ItemKind.VALUE_PROPOSITION, "Why us", body="We help.")
    )
    await add(
        team.id, item_service.ItemInput(ItemKind.DIFFERENTIATOR, "In the CRM", body="No tab.")
    )
    await add(
        team.id,
        item_service.ItemInput(
            ItemKind.INSIGHT, "Quiet deals", body="They go quiet.", question="Which went quiet?"
        ),
    )
    await add(
        team.id,
        item_service.ItemInput(ItemKind.OBJECTION, "Price", prompt="Too dear.", body="Compare."),
    )
    result = await generate_drills(team.id)
    assert result.skipped == 0
    made = {drill.kind: drill for drill in result.created}
    assert made[DrillKind.VALUE_PROP].prompt.startswith("Give the value proposition in 30 seconds")
    assert made[DrillKind.VALUE_PROP].time_limit_seconds == 30
    assert "“In the CRM”" in made[DrillKind.DIFFERENTIATOR].prompt
    assert made[DrillKind.INSIGHT_TO_QUESTION].prompt.endswith("“Which went quiet?” 60 seconds.")
    assert made[DrillKind.OBJECTION].prompt == "Your buyer says: “Too dear.” Respond in 45 seconds."
    for drill in result.created:
        assert drill.rubric == DEFAULT_RUBRIC
        assert len(await drill.items.all()) == 1


async def test_it_does_not_bring_back_an_archived_drill(
    make_client: ClientFactory, manager: Membership, drills: list[Drill]
) -> None:
    client = await make_client(manager)
    await client.post(f"/drills/{drills[1].id}/archive")
    response = await client.post("/drills/generate")
    assert response.headers["location"] == "/drills?made=4&skipped=7"


async def test_it_skips_archived_playbook_items(team: Team) -> None:
    item = await item_service.create_item(
        team.id, item_service.ItemInput(ItemKind.DIFFERENTIATOR, "Old edge", body="Gone.")
    )
    await item_service.archive(item, item.created_at)
    result = await generate_drills(team.id)
    assert result.created == [] and result.skipped == 0


async def test_it_forbids_reps(
    make_client: ClientFactory, rep: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(rep)).post("/drills/generate")
    assert response.status_code == 403
    assert await Drill.all().count() == 8


async def test_it_only_touches_the_managers_own_team(
    make_client: ClientFactory, outsider: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(outsider)).post("/drills/generate")
    assert response.headers["location"] == "/drills?made=0&skipped=0"
    assert await Drill.all().count() == 8


async def test_it_rejects_get(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).get("/drills/generate")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.post("/drills/generate")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_a_redirect(
    make_client: ClientFactory, manager: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(manager)).post("/drills/generate", headers=HTMX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/drills?made=4&skipped=7"
