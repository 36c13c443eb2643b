from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.playbook.models import ItemKind, PlaybookItem
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


async def test_it_archives_an_item_out_of_the_playbook(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    client = await make_client(manager)
    response = await client.post(f"/playbook/items/{objection.id}/archive")
    assert response.status_code == 303
    assert response.headers["location"] == "/playbook"
    await objection.refresh_from_db()
    assert objection.archived_at is not None
    page = await client.get("/playbook")
    assert "Archived items (1)" in page.text
    assert f"/playbook/items/{objection.id}/restore" in page.text
    assert f'id="item-{objection.id}"' not in page.text


async def test_it_restores_an_archived_item_at_the_end_of_its_section(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    first = next(item for item in items if item.kind == ItemKind.DIFFERENTIATOR)
    client = await make_client(manager)
    await client.post(f"/playbook/items/{first.id}/archive")
    response = await client.post(f"/playbook/items/{first.id}/restore")
    assert response.status_code == 303
    await first.refresh_from_db()
    assert first.archived_at is None
    differentiators = await PlaybookItem.filter(kind=ItemKind.DIFFERENTIATOR).order_by("position")
    assert differentiators[-1].id == first.id


async def test_it_refuses_to_restore_a_second_value_proposition(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    value = items[0]
    client = await make_client(manager)
    await client.post(f"/playbook/items/{value.id}/archive")
    data = {"kind": "value_proposition", "title": "New line", "body": "A fresh message."}
    assert (await client.post("/playbook/items/new", data=data)).status_code == 303
    response = await client.post(f"/playbook/items/{value.id}/restore")
    assert response.status_code == 422
    assert "already has a value proposition" in response.text


async def test_it_hides_another_organisations_item(
    make_client: ClientFactory, manager: Membership, foreign_item: PlaybookItem
) -> None:
    response = await (await make_client(manager)).post(f"/playbook/items/{foreign_item.id}/archive")
    assert response.status_code == 404
    await foreign_item.refresh_from_db()
    assert foreign_item.archived_at is None


async def test_it_forbids_reps(
    make_client: ClientFactory, rep: Membership, objection: PlaybookItem
) -> None:
    client = await make_client(rep)
    assert (await client.post(f"/playbook/items/{objection.id}/archive")).status_code == 403
    assert (await client.post(f"/playbook/items/{objection.id}/restore")).status_code == 403


async def test_it_rejects_get(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).get(f"/playbook/items/{objection.id}/archive")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(
    client: httpx.AsyncClient, objection: PlaybookItem
) -> None:
    response = await client.post(f"/playbook/items/{objection.id}/archive")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_sections(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).post(
        f"/playbook/items/{objection.id}/archive", headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="section-objection"' in response.text
    assert "Archived items (1)" in response.text
