"""During the round, on a phone and the office TV: the race fills in as entries land, and
submitting an entry is a moment (what it earned, the next move).

A module of its own, so its server is fresh: round 1 of the demo league is open and four
teammates have already entered (real WebM/Opus takes stored through the clips service in
a separate process, like the CLI); the rep under test records through the fake microphone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer, run_beside, screenshot, sign_in
from tests.browser.test_live import TV, new_context, pair_tv
from tests.browser.test_walkthrough import record_and_keep_a_take

EARLY_BIRDS = [f"rep{number}@demo.test" for number in (2, 3, 4, 5)]
REP = "rep1@demo.test"
TEAM_SIZE = 8


async def enter_early_birds() -> str:
    """Four demo reps enter the first drill of the open round."""
    from league.accounts.models import Membership
    from league.clips import service as clips
    from league.clips.storage import open_storage
    from league.db import open_database
    from league.reactions import Reactions
    from league.seasons.models import Round, RoundState
    from league.settings import Settings
    from tests.clips.media import webm_opus

    settings = Settings.from_env()
    async with open_database(settings.database_url, "none"):
        round_ = await Round.get(number=1, state=RoundState.OPEN)
        drill = (await round_.drills.all().order_by("id"))[0]
        storage = open_storage(settings)
        for email in EARLY_BIRDS:
            member = await Membership.get(user__email=email)

            async def chunks() -> Any:
                yield webm_opus(2)

            take, _ = await clips.receive_take(
                storage=storage,
                member=member,
                drill=drill,
                chunks=chunks(),
                max_bytes=settings.max_clip_bytes,
                now=datetime.now(UTC),
            )
            await clips.submit_take(take, datetime.now(UTC), Reactions())
    return "ok"


def run_in_server_env(server: LiveServer) -> None:
    run_beside(server, "tests.browser.test_round_race", "enter_early_birds")


def test_the_round_is_a_race_on_the_phone_and_the_tv_and_submitting_is_a_moment(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> None:
    run_in_server_env(live_server)
    tv_context = new_context(browser, TV, mobile=False)
    manager_context = browser.new_context(**browser_context_args)
    rep_context = browser.new_context(**browser_context_args)
    watcher_context = browser.new_context(**browser_context_args)
    tv, manager = tv_context.new_page(), manager_context.new_page()
    phone, watcher = rep_context.new_page(), watcher_context.new_page()

    sign_in(manager, live_server, "manager@demo.test")
    pair_tv(tv, manager, live_server)
    # The TV: "4 of 8 in", four faces lit, the countdown; no slogan beside the race.
    expect(tv.locator(".tv-race-count")).to_have_text(f"4 of {TEAM_SIZE}")
    expect(tv.locator(".tv-face.is-in")).to_have_count(4)
    expect(tv.locator("[data-countdown]")).to_be_visible()
    expect(tv.locator("#tv-slides")).not_to_contain_text("Every rep practises")
    screenshot(tv, "race-tv-4-of-8")

    # A teammate watches Standings: the race is the default view while the round is open.
    sign_in(watcher, live_server, "rep6@demo.test")
    watcher.goto(f"{live_server.url}/standings")
    race = watcher.locator("#standings-round")
    expect(race).to_be_visible()
    expect(race.locator(".race-count")).to_contain_text(f"4 of {TEAM_SIZE} in")
    expect(race.locator(".race-row")).to_have_count(TEAM_SIZE)
    expect(race.locator(".race-row", has_text="Priya Shah")).to_contain_text("not in yet")
    expect(race.locator(".race-row", has_text="Jonas Berg")).to_contain_text("1 of 2 drills in")
    screenshot(watcher, "race-standings-phone")

    # Priya records and submits: the moment shows what it earned and the next drill.
    sign_in(phone, live_server, REP)
    phone.get_by_role("link", name="Practise", exact=True).first.click()
    phone.wait_for_url(re.compile(r"/drills/\d+/record$"))
    record_and_keep_a_take(phone)
    phone.get_by_role("button", name="Submit this take").click()
    moment = phone.locator('[data-moment="submitted"]')
    expect(moment).to_be_visible()
    expect(moment).to_contain_text("Entry in!")
    expect(moment).to_contain_text("+10 points for showing up in round 1")
    expect(moment).to_contain_text("1 of 2 drills in this round")
    expect(moment).to_contain_text(f"5 of {TEAM_SIZE} in so far")
    next_drill = moment.get_by_role("link", name=re.compile(r"^Next drill: "))
    expect(next_drill).to_be_visible()
    screenshot(phone, "race-submit-moment")

    # Without a reload, the TV and the teammate's Standings light Priya up.
    expect(tv.locator(".tv-race-count")).to_have_text(f"5 of {TEAM_SIZE}")
    expect(tv.locator(".tv-face.is-in")).to_have_count(5)
    expect(race.locator(".race-count")).to_contain_text(f"5 of {TEAM_SIZE} in")
    expect(race.locator(".race-row", has_text="Priya Shah")).to_contain_text("1 of 2 drills in")
    screenshot(tv, "race-tv-5-of-8")
    screenshot(watcher, "race-standings-phone-updated")

    # The next drill's screen opens from the moment.
    next_drill.click()
    phone.wait_for_url(re.compile(r"/drills/\d+/record$"))
    expect(phone.get_by_role("heading", name="Why not just another dashboard?")).to_be_visible()
    for context in (tv_context, manager_context, rep_context, watcher_context):
        context.close()
