from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.playbook.models import Drill
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


async def test_it_shows_every_active_drill_as_a_card(
    make_client: ClientFactory, rep: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(rep)).get("/drills")
    assert response.status_code == 200
    assert response.text.count('class="card drill-card"') == len(drills) == 8
    assert "Objection: we already use spreadsheets" in response.text
    assert "45 s" in response.text
    assert f"/drills/{drills[0].id}/record" in response.text


async def test_it_gives_managers_the_tools(
    make_client: ClientFactory, manager: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(manager)).get("/drills")
    assert "New drill" in response.text
    assert "Generate drills" in response.text
    assert f"/drills/{drills[0].id}/edit" in response.text
    assert f"/drills/{drills[0].id}/archive" in response.text


async def test_it_shows_reps_no_manager_tools(
    make_client: ClientFactory, rep: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(rep)).get("/drills")
    assert "New drill" not in response.text
    assert "Generate drills" not in response.text
    assert "/edit" not in response.text
    assert "/playbook" in response.text


async def test_it_shows_an_empty_tab_kindly(make_client: ClientFactory, rep: Membership) -> None:
    response = await (await make_client(rep)).get("/drills")
    assert response.status_code == 200
    assert "No drills yet" in response.text


async def test_it_hides_another_organisations_drills(
    make_client: ClientFactory, outsider: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(outsider)).get("/drills")
    assert "Open a discovery call" not in response.text


async def test_it_rejects_post(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).post("/drills")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/drills")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_list(
    make_client: ClientFactory, rep: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(rep)).get("/drills", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'class="drill-cards"' in response.text
