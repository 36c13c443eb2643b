"""Long lists on a big team's pages come a page at a time: the manager's judging queue and
the Team tab's member list ("Show more"), and the Team tab's round shows its top rows.

The team is built with the app's own services (bench/league_data.py): 32 reps, two weekly
rounds, three reviews per entry, the last round in review.
"""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette

from bench.league_data import BuiltLeague, build_league
from league.accounts import routes as accounts_routes
from league.accounts.models import Membership
from league.clips.models import Entry
from league.reviews.judging import JUDGING_PAGE_SIZE
from league.settings import Settings
from tests.conftest import ClientFactory

REPS = 32
HTMX = {"HX-Request": "true"}


@pytest.fixture
async def big_team(app: Starlette, settings: Settings) -> BuiltLeague:
    return await build_league(REPS, 2, settings)


@pytest.fixture
async def manager(big_team: BuiltLeague, make_client: ClientFactory) -> httpx.AsyncClient:
    return await make_client(await Membership.get(id=big_team.manager_id))


def judging_names(html: str) -> list[str]:
    return re.findall(r'<h2 class="judging-name">([^<]+)</h2>', html)


async def test_the_judging_queue_shows_a_page_then_the_rest_on_demand(
    big_team: BuiltLeague, manager: httpx.AsyncClient
) -> None:
    path = f"/judging/rounds/{big_team.round_ids[-1]}"
    page = await manager.get(path)
    assert page.status_code == 200
    first = judging_names(page.text)
    assert len(first) == JUDGING_PAGE_SIZE
    entries = await Entry.filter(round_id=big_team.round_ids[-1], withdrawn_at=None).count()
    left = entries - JUDGING_PAGE_SIZE
    assert left > 0
    assert f"Show more ({left} left)" in page.text
    assert f'hx-get="{path}?start={JUDGING_PAGE_SIZE}"' in page.text
    more = await manager.get(f"{path}?start={JUDGING_PAGE_SIZE}", headers=HTMX)
    assert "<html" not in more.text
    rest = judging_names(more.text)
    assert len(rest) == left and not set(rest) & set(first)
    assert "Show more" not in more.text
    # Without htmx the same link opens the whole page from there.
    plain = await manager.get(f"{path}?start={JUDGING_PAGE_SIZE}")
    assert "<html" in plain.text and judging_names(plain.text) == rest
    assert (await manager.get(f"{path}?start=-3")).status_code == 400


async def test_the_member_list_shows_a_page_then_the_rest_on_demand(
    big_team: BuiltLeague, manager: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts_routes, "TEAM_PAGE_SIZE", 10)
    page = await manager.get("/team")
    assert page.status_code == 200
    members = REPS + 1
    assert f"{members} active members" in page.text
    first = re.findall(r'id="member-(\d+)"', page.text)
    assert len(first) == 10
    assert f"Show more ({members - 10} left)" in page.text
    second = await manager.get("/team?start=10", headers=HTMX)
    assert "<html" not in second.text
    ids = re.findall(r'id="member-(\d+)"', second.text)
    assert len(ids) == 10 and not set(ids) & set(first)
    assert f"Show more ({members - 20} left)" in second.text
    last = await manager.get(f"/team?start={members - 3}", headers=HTMX)
    assert len(re.findall(r'id="member-(\d+)"', last.text)) == 3
    assert "Show more" not in last.text
    assert (await manager.get("/team?start=ten")).status_code == 400


async def test_the_team_round_shows_its_top_and_your_own_row(
    big_team: BuiltLeague, make_client: ClientFactory
) -> None:
    phone = await make_client(await Membership.get(id=big_team.rep_ids[-1]))
    page = (await phone.get("/team")).text
    rows = re.findall(r'<li class="team-race-row( is-me)?"', page)
    assert 10 <= len(rows) <= 11
    assert any(mine for mine in rows)
    assert f"All {REPS} on the Standings tab" in page
