"""What the worker keeps for offline practice, and the offline page it shows."""

from __future__ import annotations

from datetime import timedelta

import httpx
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.seasons.models import RoundState
from tests import factories
from tests.conftest import CSRF_TOKEN, ClientFactory


async def open_round_with_two_drills(team: Team, clock: FrozenClock) -> list[int]:
    drills = [
        await factories.make_drill(team, title="Value proposition"),
        await factories.make_drill(team, title="Price objection"),
    ]
    season = await factories.make_season(team, starts_on=clock.now().date())
    await factories.make_round(
        season, drills, opens_at=clock.now() - timedelta(hours=1), state=RoundState.OPEN
    )
    return [drill.id for drill in drills]


async def test_it_lists_today_the_offline_page_and_the_open_rounds_record_screens(
    make_client: ClientFactory, rep: Membership, team: Team, clock: FrozenClock
) -> None:
    first, second = await open_round_with_two_drills(team, clock)
    response = await (await make_client(rep)).get("/offline/pages")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "member": rep.id,
        "csrf_token": CSRF_TOKEN,
        "pages": ["/", "/offline", f"/drills/{first}/record", f"/drills/{second}/record"],
    }


async def test_it_keeps_no_record_screen_when_no_round_is_open(
    make_client: ClientFactory, rep: Membership, team: Team, clock: FrozenClock
) -> None:
    season = await factories.make_season(team)
    drill = await factories.make_drill(team)
    await factories.make_round(season, [drill], opens_at=clock.now() + timedelta(days=3))
    response = await (await make_client(rep)).get("/offline/pages")
    assert response.json()["pages"] == ["/", "/offline"]


async def test_it_hides_another_teams_round(
    make_client: ClientFactory, outsider: Membership, team: Team, clock: FrozenClock
) -> None:
    await open_round_with_two_drills(team, clock)
    response = await (await make_client(outsider)).get("/offline/pages")
    assert response.json()["pages"] == ["/", "/offline"]


async def test_signed_out_it_keeps_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/offline/pages")
    assert response.status_code == 200
    assert response.json() == {"member": None, "csrf_token": CSRF_TOKEN, "pages": []}


async def test_a_browser_without_a_token_gets_a_new_one_with_its_cookie(app: Starlette) -> None:
    # The worker's upload after the browser restarted: the session-only CSRF cookie is
    # gone, and the answer sets a new one whose value the worker can then send.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/offline/pages")
        assert response.json()["csrf_token"] == client.cookies["league_csrf"]


async def test_it_rejects_post(client: httpx.AsyncClient) -> None:
    assert (await client.post("/offline/pages")).status_code == 405


async def test_signed_in_the_offline_page_keeps_the_tabs(
    make_client: ClientFactory, rep: Membership
) -> None:
    page = (await (await make_client(rep)).get("/offline")).text
    assert "You're offline" in page
    assert 'class="tabs"' in page
    assert '<a class="brand" href="/">' in page
    assert "data-offline-page" in page
