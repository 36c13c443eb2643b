from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.playbook.models import Drill
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


async def test_it_archives_a_drill_off_the_tab_and_restores_it(
    make_client: ClientFactory, manager: Membership, drills: list[Drill]
) -> None:
    drill = drills[0]
    client = await make_client(manager)
    response = await client.post(f"/drills/{drill.id}/archive")
    assert response.status_code == 303
    assert response.headers["location"] == "/drills"
    page = await client.get("/drills")
    assert page.text.count('class="card drill-card"') == 7
    assert "Archived drills (1)" in page.text
    restored = await client.post(f"/drills/{drill.id}/restore")
    assert restored.status_code == 303
    await drill.refresh_from_db()
    assert drill.archived_at is None


async def test_it_hides_archived_drills_from_reps(
    make_client: ClientFactory, manager: Membership, rep: Membership, drills: list[Drill]
) -> None:
    await (await make_client(manager)).post(f"/drills/{drills[0].id}/archive")
    page = await (await make_client(rep)).get("/drills")
    assert drills[0].title not in page.text
    assert "Archived drills" not in page.text


async def test_it_hides_another_organisations_drill(
    make_client: ClientFactory, manager: Membership, foreign_drill: Drill
) -> None:
    client = await make_client(manager)
    assert (await client.post(f"/drills/{foreign_drill.id}/archive")).status_code == 404
    assert (await client.post(f"/drills/{foreign_drill.id}/restore")).status_code == 404
    await foreign_drill.refresh_from_db()
    assert foreign_drill.archived_at is None


async def test_it_forbids_reps(
    make_client: ClientFactory, rep: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(rep)).post(f"/drills/{drills[0].id}/archive")
    assert response.status_code == 403


async def test_it_rejects_get(
    make_client: ClientFactory, manager: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(manager)).get(f"/drills/{drills[0].id}/archive")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(
    client: httpx.AsyncClient, drills: list[Drill]
) -> None:
    response = await client.post(f"/drills/{drills[0].id}/archive")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_list(
    make_client: ClientFactory, manager: Membership, drills: list[Drill]
) -> None:
    response = await (await make_client(manager)).post(
        f"/drills/{drills[0].id}/archive", headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Archived drills (1)" in response.text
