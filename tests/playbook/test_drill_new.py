from __future__ import annotations

from typing import Any

import httpx

from league.accounts.models import Membership
from league.playbook.models import Drill, DrillKind, PlaybookItem
from league.playbook.rubric import DEFAULT_RUBRIC
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


def rubric_fields(criteria: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}-"
        fields[prefix + "key"] = criterion.get("key", "")
        fields[prefix + "name"] = criterion["name"]
        fields[prefix + "weight"] = str(criterion["weight"])
        for level, text in enumerate(criterion["levels"], start=1):
            fields[f"{prefix}level-{level}"] = text
    return fields


def drill_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "title": "Pricing pushback",
        "prompt": "Your buyer says: we can't afford it this year. 45 seconds.",
        "kind": "objection",
        "time_limit_seconds": "45",
        **rubric_fields(DEFAULT_RUBRIC),
    }
    form.update(changes)
    return form


async def test_it_shows_a_form_with_the_default_rubric(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(manager)).get("/drills/new")
    assert response.status_code == 200
    assert 'name="criteria-4-name" value="Ends with a question"' in response.text
    assert "Hard to follow; the point gets lost." in response.text
    assert items[0].title in response.text  # the item picker


async def test_it_creates_a_drill_from_playbook_items(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    data = drill_form(item_ids=[str(objection.id)])
    response = await (await make_client(manager)).post("/drills/new", data=data)
    assert response.status_code == 303
    drill = await Drill.get(title="Pricing pushback").prefetch_related("items")
    assert response.headers["location"] == f"/drills#drill-{drill.id}"
    assert drill.kind == DrillKind.OBJECTION
    assert drill.time_limit_seconds == 45
    assert [item.id for item in drill.items] == [objection.id]
    assert [c["key"] for c in drill.rubric] == [c["key"] for c in DEFAULT_RUBRIC]


async def test_it_keeps_the_time_limit_between_15_and_120_seconds(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    for seconds in ("14", "121", "0", "-5", "forty"):
        response = await client.post("/drills/new", data=drill_form(time_limit_seconds=seconds))
        assert response.status_code == 422, seconds
        assert "seconds" in response.text
    for seconds in ("15", "120"):
        data = drill_form(time_limit_seconds=seconds, title=f"Edge {seconds}")
        assert (await client.post("/drills/new", data=data)).status_code == 303
    assert await Drill.filter(title__startswith="Edge").count() == 2
    assert not await Drill.exists(title="Pricing pushback")


async def test_it_shows_the_form_again_keeping_what_was_typed(
    make_client: ClientFactory, manager: Membership
) -> None:
    data = drill_form(prompt="", **{"criteria-0-name": "Crisp opening"})
    response = await (await make_client(manager)).post("/drills/new", data=data)
    assert response.status_code == 422
    assert "A drill needs a prompt" in response.text
    assert 'value="Pricing pushback"' in response.text
    assert 'value="Crisp opening"' in response.text


async def test_it_refuses_another_organisations_items(
    make_client: ClientFactory, manager: Membership, foreign_item: PlaybookItem
) -> None:
    data = drill_form(item_ids=[str(foreign_item.id)])
    response = await (await make_client(manager)).post("/drills/new", data=data)
    assert response.status_code == 422
    assert not await Drill.exists(title="Pricing pushback")


async def test_it_forbids_reps(make_client: ClientFactory, rep: Membership) -> None:
    client = await make_client(rep)
    assert (await client.get("/drills/new")).status_code == 403
    assert (await client.post("/drills/new", data=drill_form())).status_code == 403


async def test_it_rejects_put(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).put("/drills/new")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/drills/new")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_form_or_a_redirect(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    bad = await client.post("/drills/new", data=drill_form(title=""), headers=HTMX)
    assert bad.status_code == 422
    assert bad.text.lstrip().startswith("<form")
    saved = await client.post("/drills/new", data=drill_form(), headers=HTMX)
    assert saved.status_code == 204
    assert saved.headers["HX-Redirect"].startswith("/drills#drill-")
