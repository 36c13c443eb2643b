"""A rep in a 40-rep team opens Standings on a phone (390x844): the top ten, the rows around
them and their own row pinned above the tab bar; the whole table loads on demand.

The team is built into the demo server's database with the app's own services
(bench/league_data.py), in a separate process like the CLI: two weekly rounds, the second
in review.
"""

from __future__ import annotations

import json
import subprocess
import sys

from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOT_DIR, LiveServer, screenshot, sign_in
from tests.browser.test_reviews import ROOT

REPS = 40
PLACE = 30  # the rep under test sits 30th of 40 in the season table


async def build_big_team() -> str:
    """Build the team; return the email and name of the rep in PLACE and the top ten names."""
    from bench.league_data import PASSWORD, build_league
    from league.accounts.models import Membership
    from league.db import open_database
    from league.settings import Settings
    from league.standings import tables

    settings = Settings.from_env()  # build_league runs the reviews feature's round hook
    async with open_database(settings.database_url, "none"):
        league = await build_league(REPS, 2, settings)
        table = await tables.season_table(league.season_id)
        member = await Membership.get(id=table[PLACE - 1].member_id).select_related("user")
        return json.dumps(
            {
                "email": member.user.email,
                "name": member.user.name,
                "password": PASSWORD,
                "rank": str(table[PLACE - 1].rank),
                "top": [row.name for row in table[:10]],
                "around": [row.name for row in table[PLACE - 3 : PLACE + 2]],
            }
        )


def build_in_server_env(server: LiveServer) -> dict[str, object]:
    code = (
        "import asyncio; from tests.browser.test_big_team_standings import build_big_team; "
        "print(asyncio.run(build_big_team()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=server.env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_a_rep_in_a_big_team_sees_the_top_their_neighbours_and_their_own_row(
    page: Page, live_server: LiveServer
) -> None:
    team = build_in_server_env(live_server)
    sign_in(page, live_server, str(team["email"]), str(team["password"]))
    page.goto(f"{live_server.url}/standings?show=season")

    top = page.locator("#standings-season .table-row")
    expect(top).to_have_count(10)
    expect(top.locator(".table-who")).to_have_text(team["top"])  # type: ignore[arg-type]
    near = page.locator("#standings-near")
    expect(near).to_be_visible()
    expect(near.locator(".table-who")).to_have_text(team["around"])  # type: ignore[arg-type]
    expect(near.locator(".table-row.is-me .table-rank")).to_have_text(str(team["rank"]))

    # Your own row stays pinned above the tab bar, even at the top of the page.
    pinned = page.locator("#standings-me")
    expect(pinned).to_be_in_viewport()
    expect(pinned).to_contain_text("You")
    expect(pinned.locator(".table-rank")).to_have_text(str(team["rank"]))
    box = pinned.bounding_box()
    tabs = page.locator(".tabs").bounding_box()
    assert box is not None and tabs is not None
    assert box["y"] + box["height"] <= tabs["y"]
    assert box["height"] >= 44
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "big-team-standings-phone.png"))

    # "Show all 40" brings in the rest of the table under the top ten.
    show_all = page.get_by_role("link", name=f"Show all {REPS}")
    expect(show_all).to_be_visible()
    show_all.first.click()
    expect(page.locator("#season-more .table-row")).to_have_count(REPS - 10)
    expect(page.locator("#season-more .table-row.is-me .table-rank")).to_have_text(
        str(team["rank"])
    )
    expect(page.get_by_role("link", name=f"Show all {REPS}")).to_have_count(0)
    screenshot(page, "big-team-standings-all")
