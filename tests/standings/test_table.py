"""The Standings tab: season and round tables, categories, you pinned, near me."""

from __future__ import annotations

import re
from typing import Any

import httpx

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, publish, review_everything, send_review
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
    # The tables are the same HTML for everyone (live.js marks "you" in them); the
    # member's own rows around them are marked on the server.
    assert re.search(f'id="near-row-{me.id}" class="table-row[^"]* is-me', page.text)
    assert not re.search(f'id="(season|round)-row-{me.id}" class="[^"]*is-me', page.text)
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
    # A first round: nobody has a season place, so "near me" is the round's race.
    near = page.text.split('id="standings-near"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"this round, of \d+<", near)
    rows = re.findall(r'<li id="near-row-(\d+)" class="table-row race-row', near)
    assert str(me.id) in rows
    assert 3 <= len(rows) <= 5
    assert "pts to" in page.text  # the gap to the row above: a race to win


async def test_an_unknown_view_falls_back_to_the_default(
    league: League, make_client: ClientFactory
) -> None:
    page = await (await make_client(league.reps[0])).get("/standings?show=sideways")
    assert 'data-show="round"' in page.text


async def test_a_first_round_opens_on_its_race_and_the_season_once_it_has_places(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    phone = await make_client(league.reps[0])
    first = (await phone.get("/standings")).text
    assert 'data-show="round"' in first
    assert "appear once the first round's results are out" in first
    await review_everything(
        league, app_services, clock.now(), scores_by_author={league.reps[1].id: 5}
    )
    await publish(league.round, app_services, clock)
    page = (await phone.get("/standings")).text
    assert 'data-show="season"' in page
    # "Around you" now reads from the season table.
    assert 'Around you <span class="small muted">season, of ' in page
    season = page.split('id="standings-season-leaders"', 1)[1].split("</section>", 1)[0]
    top = re.search(r'leader-top_score">.*?class="leader-name[^"]*"[^>]*>([^<]+)<', season, re.S)
    assert top and top.group(1) == league.reps[1].user.name
    assert "Best reviewer" in season and "No streaks yet" in season
    assert "Up for grabs" not in page
    assert "provisional" not in page.split('id="standings-leaders"', 1)[1].split("</h2>", 1)[0]


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
