from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.playbook.models import ItemKind, PlaybookItem
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX

OBJECTION = {
    "kind": "objection",
    "title": "Happy with our agency",
    "prompt": "Our agency already does our reporting.",
    "body": "Great: keep them. Brightwave gives them cleaner data to work from.",
    "key_points": "keep the agency\n- cleaner data\n\n",
}


async def test_it_shows_a_form_for_the_kind(
    make_client: ClientFactory, manager: Membership
) -> None:
    response = await (await make_client(manager)).get("/playbook/items/new?kind=insight")
    assert response.status_code == 200
    assert "Add insight" in response.text
    assert 'name="question"' in response.text


async def test_it_adds_an_objection_at_the_end_of_its_section(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(manager)).post("/playbook/items/new", data=OBJECTION)
    assert response.status_code == 303
    item = await PlaybookItem.get(title="Happy with our agency")
    assert response.headers["location"] == f"/playbook#item-{item.id}"
    assert item.kind == ItemKind.OBJECTION
    assert item.prompt == OBJECTION["prompt"]
    assert item.key_points == ["keep the agency", "cleaner data"]
    others = [i for i in items if i.kind == ItemKind.OBJECTION]
    assert item.position > max(other.position for other in others)


async def test_it_shows_the_form_again_with_the_message_and_typed_values(
    make_client: ClientFactory, manager: Membership
) -> None:
    data = {**OBJECTION, "body": "  "}
    response = await (await make_client(manager)).post("/playbook/items/new", data=data)
    assert response.status_code == 422
    assert "An objection needs a response." in response.text
    assert "Our agency already does our reporting." in response.text
    assert not await PlaybookItem.exists(title="Happy with our agency")


async def test_it_refuses_a_second_value_proposition(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    data = {"kind": "value_proposition", "title": "Another", "body": "Also great."}
    response = await (await make_client(manager)).post("/playbook/items/new", data=data)
    assert response.status_code == 422
    assert "already has a value proposition" in response.text


async def test_it_refuses_an_unknown_kind(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).get("/playbook/items/new?kind=pricing")
    assert response.status_code == 422
    assert "Choose a kind" in response.text


async def test_it_forbids_reps(make_client: ClientFactory, rep: Membership) -> None:
    response = await (await make_client(rep)).post("/playbook/items/new", data=OBJECTION)
    assert response.status_code == 403
    assert not await PlaybookItem.exists(title="Happy with our agency")


async def test_it_rejects_put(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).put("/playbook/items/new")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/playbook/items/new?kind=insight")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_form_or_a_redirect(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    form = await client.get("/playbook/items/new?kind=objection", headers=HTMX)
    assert form.status_code == 200
    assert form.text.lstrip().startswith("<form")
    bad = await client.post("/playbook/items/new", data={**OBJECTION, "title": ""}, headers=HTMX)
    assert bad.status_code == 422
    assert bad.text.lstrip().startswith("<form")
    assert "needs a title" in bad.text
    saved = await client.post("/playbook/items/new", data=OBJECTION, headers=HTMX)
    assert saved.status_code == 204
    assert saved.headers["HX-Redirect"].startswith("/playbook#item-")


async def test_it_strips_control_characters_from_what_it_stores(
    make_client: ClientFactory, manager: Membership
) -> None:
    form = {**OBJECTION, "title": "Too\x00 expensive\x1b[31m", "body": "Line one\nLine\x07 two"}
    response = await (await make_client(manager)).post("/playbook/items/new", data=form)
    assert response.status_code == 303, response.text
    item = await PlaybookItem.get(title__startswith="Too")
    assert item.title == "Too expensive[31m"
    assert item.body == "Line one\nLine two"
