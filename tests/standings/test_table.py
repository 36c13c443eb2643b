"""The Standings tab: season and round tables, categories, you pinned, near me."""

from __future__ import annotations

import httpx

from league.accounts.models import Membership
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, send_review
from tests.reviews.conftest import league as league  # noqa: F401 - shared fixture


async def test_it_shows_the_live_tables_with_you_marked(
    league: League, make_client: ClientFactory
) -> None:
    me = league.reps[2]
    await send_review(make_client, league.reps[0], await league.review_of(league.reps[0]))
    page = await (await make_client(me)).get("/standings")
    assert page.status_code == 200
    assert 'ws-connect="/live?views=standings,activity"' in page.text
    assert f'data-me="{me.id}"' in page.text
    assert f'id="season-row-{me.id}" class="table-row is-me' in page.text
    for member in league.reps:
        assert member.user.name in page.text
    assert "Round 1" in page.text and "provisional" in page.text
    assert "Best reviewer" in page.text
    assert f'href="/standings/members/{me.id}"' in page.text
    assert "bottom" not in page.text.lower()


async def test_near_me_shows_the_rows_around_you(
    league: League, make_client: ClientFactory
) -> None:
    me = league.reps[0]
    page = await (await make_client(me)).get("/standings?show=near")
    assert 'data-show="near"' in page.text
    assert page.text.count("is-near") >= 3


async def test_an_unknown_view_falls_back_to_the_season(
    rep: Membership, make_client: ClientFactory
) -> None:
    page = await (await make_client(rep)).get("/standings?show=sideways")
    assert 'data-show="season"' in page.text


async def test_it_welcomes_a_team_before_its_first_season(
    rep: Membership, make_client: ClientFactory
) -> None:
    page = await (await make_client(rep)).get("/standings")
    assert page.status_code == 200
    assert "Every rep starts level" in page.text


async def test_it_sends_the_live_fragment_to_htmx(
    rep: Membership, make_client: ClientFactory
) -> None:
    response = await (await make_client(rep)).get("/standings", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="standings-season"' in response.text


async def test_it_needs_signing_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/standings")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_refuses_other_methods(rep: Membership, make_client: ClientFactory) -> None:
    assert (await (await make_client(rep)).post("/standings")).status_code == 405
