from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.playbook.models import PlaybookItem
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


async def test_it_shows_the_playbook_in_order_with_manager_controls(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(manager)).get("/playbook")
    assert response.status_code == 200
    text = response.text
    headings = ["Value proposition", "Differentiators", "Insights", "Objections"]
    assert [text.index(f">{heading} <") for heading in headings] == sorted(
        text.index(f">{heading} <") for heading in headings
    )
    assert "Forecasts you can defend" in text
    assert "How would you know today which of your commit deals have gone quiet?" in text
    assert "We already track the forecast in spreadsheets" in text
    assert "a forecast you can defend" in text  # a key point
    assert f"/playbook/items/{items[0].id}/edit" in text
    assert "/playbook/import" in text


async def test_it_lets_a_rep_read_without_controls(
    make_client: ClientFactory, rep: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(rep)).get("/playbook")
    assert response.status_code == 200
    assert "Forecasts you can defend" in response.text
    assert "/edit" not in response.text
    assert "/playbook/import" not in response.text
    assert "Archive" not in response.text


async def test_it_hides_another_organisations_items(
    make_client: ClientFactory, outsider: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(outsider)).get("/playbook")
    assert response.status_code == 200
    assert "Forecasts you can defend" not in response.text


async def test_it_rejects_post(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).post("/playbook")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/playbook")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_returns_the_sections_fragment_for_htmx(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(manager)).get("/playbook", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="section-objection"' in response.text
