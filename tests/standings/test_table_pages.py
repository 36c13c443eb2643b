"""A big team's Standings on a phone: the top of each table, the member's neighbourhood and
their pinned row; the rest of a table loads on demand, a page at a time.

The team is built with the app's own services (bench/league_data.py): 25 reps, two weekly
rounds, three reviews per entry, the last round in review.
"""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette

from bench.league_data import BuiltLeague, build_league
from league.accounts.models import Membership
from league.live.board import TOP_ROWS
from league.settings import Settings
from league.standings import routes
from tests.conftest import ClientFactory

REPS = 25


@pytest.fixture
async def big_team(app: Starlette, settings: Settings) -> BuiltLeague:
    return await build_league(REPS, 2, settings)


def season_ranks(html: str, prefix: str) -> list[int]:
    """Member ids of the `prefix` rows in the HTML, in order."""
    return [int(m) for m in re.findall(rf'<li id="{prefix}-row-(\d+)"', html)]


def section(html: str, element_id: str) -> str:
    return html.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


async def test_a_rep_low_in_the_table_sees_top_neighbours_and_own_row(
    big_team: BuiltLeague, make_client: ClientFactory
) -> None:
    manager = await make_client(await Membership.get(id=big_team.manager_id))
    full = (await manager.get("/standings/rows?table=season&start=0")).text
    order = season_ranks(full, "season")
    assert len(order) == REPS
    me = order[20]  # 21st: well below the top ten
    phone = await make_client(await Membership.get(id=me))
    page = (await phone.get("/standings?show=season")).text

    top = section(page, "standings-season")
    assert season_ranks(top, "season") == order[:TOP_ROWS]
    near = section(page, "standings-near")
    assert season_ranks(near, "near") == order[18:23]
    assert "is-in-top" not in page.split('id="standings-near"', 1)[1].split(">", 1)[0]
    pinned = page.split('id="standings-me"', 1)[1].split("</a>", 1)[0]
    assert "<strong>You</strong>" in pinned
    assert f'href="/standings/members/{me}"' in pinned
    assert f"Show all {REPS}" in page
    # No other table rows are on the page: the tops of both tables and 5 around me.
    rows = re.findall(r'<li id="[a-z]+-row-(\d+)"', page)
    assert len(rows) == TOP_ROWS * 2 + 5


async def test_show_all_loads_the_rest_of_the_table_a_page_at_a_time(
    big_team: BuiltLeague, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "MORE_ROWS", 10)
    phone = await make_client(await Membership.get(id=big_team.rep_ids[0]))
    htmx = {"HX-Request": "true"}
    first = await phone.get("/standings/rows?table=season&start=10", headers=htmx)
    assert first.status_code == 200
    assert "<html" not in first.text
    assert len(season_ranks(first.text, "season")) == 10
    assert 'start="11"' in first.text
    assert "Show more (5 left)" in first.text
    assert 'hx-get="/standings/rows?table=season&amp;start=20"' in first.text
    last = await phone.get("/standings/rows?table=season&start=20", headers=htmx)
    assert len(season_ranks(last.text, "season")) == REPS - 20
    assert "Show more" not in last.text
    # The round's table (the race while the round is in review) pages the same way.
    race = await phone.get("/standings/rows?table=round&start=10", headers=htmx)
    assert len(season_ranks(race.text, "round")) == 10
    assert "race-row" in race.text


async def test_the_rows_page_works_without_htmx_and_refuses_bad_input(
    big_team: BuiltLeague, make_client: ClientFactory
) -> None:
    phone = await make_client(await Membership.get(id=big_team.rep_ids[0]))
    page = await phone.get("/standings/rows?table=season")
    assert page.status_code == 200
    assert "<html" in page.text and "Season table" in page.text
    assert len(season_ranks(page.text, "season")) == REPS - TOP_ROWS
    for query in ("table=everyone", "table=season&start=-1", "table=season&start=x"):
        refused = await phone.get(f"/standings/rows?{query}")
        assert refused.status_code == 400, query


async def test_mine_sends_the_members_own_parts_for_a_live_refresh(
    big_team: BuiltLeague, make_client: ClientFactory
) -> None:
    me = big_team.rep_ids[3]
    phone = await make_client(await Membership.get(id=me))
    mine = await phone.get("/standings/mine", headers={"HX-Request": "true"})
    assert mine.status_code == 200
    assert 'id="standings-near"' in mine.text and 'id="standings-me"' in mine.text
    assert mine.text.count('hx-swap-oob="morph"') == 2
    assert f'id="near-row-{me}"' in mine.text


async def test_signed_out_visitors_get_no_rows(
    big_team: BuiltLeague, client: httpx.AsyncClient
) -> None:
    for path in ("/standings/rows?table=season", "/standings/mine"):
        response = await client.get(path)
        assert response.status_code in (302, 303, 401), path
        assert "season-row-" not in response.text
