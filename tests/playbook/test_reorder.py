from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.playbook.models import ItemKind, PlaybookItem
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


async def titles(kind: ItemKind) -> list[str]:
    items = await PlaybookItem.filter(kind=kind, archived_at__isnull=True).order_by("position")
    return [item.title for item in items]


async def test_it_moves_an_item_up_and_down(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    before = await titles(ItemKind.INSIGHT)
    last = await PlaybookItem.get(title=before[-1])
    client = await make_client(manager)
    response = await client.post(f"/playbook/items/{last.id}/move", data={"direction": "up"})
    assert response.status_code == 303
    assert await titles(ItemKind.INSIGHT) == [before[0], before[2], before[1]]
    await client.post(f"/playbook/items/{last.id}/move", data={"direction": "down"})
    assert await titles(ItemKind.INSIGHT) == before


async def test_it_leaves_the_ends_in_place(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    before = await titles(ItemKind.OBJECTION)
    first = await PlaybookItem.get(title=before[0])
    client = await make_client(manager)
    response = await client.post(f"/playbook/items/{first.id}/move", data={"direction": "up"})
    assert response.status_code == 303
    assert await titles(ItemKind.OBJECTION) == before


async def test_it_refuses_an_unknown_direction(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).post(
        f"/playbook/items/{objection.id}/move", data={"direction": "sideways"}
    )
    assert response.status_code == 400


async def test_it_hides_another_organisations_item(
    make_client: ClientFactory, manager: Membership, foreign_item: PlaybookItem
) -> None:
    response = await (await make_client(manager)).post(
        f"/playbook/items/{foreign_item.id}/move", data={"direction": "up"}
    )
    assert response.status_code == 404


async def test_it_forbids_reps(
    make_client: ClientFactory, rep: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(rep)).post(
        f"/playbook/items/{objection.id}/move", data={"direction": "down"}
    )
    assert response.status_code == 403


async def test_it_rejects_get(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).get(f"/playbook/items/{objection.id}/move")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(
    client: httpx.AsyncClient, objection: PlaybookItem
) -> None:
    response = await client.post(f"/playbook/items/{objection.id}/move", data={"direction": "down"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_reordered_sections(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).post(
        f"/playbook/items/{objection.id}/move", data={"direction": "down"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    text = response.text
    assert text.index("Our CRM already forecasts") < text.index("We already use spreadsheets")
