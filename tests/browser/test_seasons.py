from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOT_DIR, LiveServer, screenshot, sign_in


def test_a_demo_rep_sees_the_open_round_on_today(page: Page, live_server: LiveServer) -> None:
    page.clock.install()  # fake timers, so the countdown can be moved on below
    sign_in(page, live_server, "rep1@demo.test")
    expect(page.get_by_role("heading", name="2 drills this week")).to_be_visible()
    expect(page.get_by_text("0 done")).to_be_visible()
    practise = page.get_by_role("link", name="Practise", exact=True)
    expect(practise).to_have_count(2)
    countdown = page.locator("time[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^\d+ (day|hour|min)"))
    screenshot(page, "seasons-today-rep")
    before = countdown.inner_text()
    page.clock.fast_forward("05:00:00")
    expect(countdown).not_to_have_text(before)
    box = practise.first.bounding_box()
    assert box is not None and box["height"] >= 44


def test_a_demo_manager_plans_and_creates_a_season_on_a_phone(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "manager@demo.test")
    page.get_by_role("link", name="Manage Spring league").click()
    expect(page.get_by_role("heading", name="Spring league")).to_be_visible()
    actions = page.locator("#season-actions")
    expect(actions.locator(".action").first).to_contain_text("Nudge who hasn't entered")
    expect(page.locator("#round-1").get_by_text("Open", exact=True)).to_be_visible()
    # Later rounds are folded into one line until opened.
    round_2 = page.locator("#round-2")
    expect(round_2).to_be_hidden()
    page.get_by_text("Later rounds").click()
    expect(round_2.get_by_text("Planned")).to_be_visible()
    screenshot(page, "seasons-detail-manager")

    # Give the team an extra hour to submit round 1, from the actions panel.
    actions.get_by_text("Extend a deadline in round 1").click()
    actions.get_by_label(re.compile("New time")).fill("19:00")
    actions.get_by_role("button", name="Extend", exact=True).click()
    submissions = page.locator("#round-1 .round-times div", has_text="Submissions close")
    expect(submissions.locator("dd")).to_have_text(re.compile(r"19:00$"))
    page.locator("#round-1").screenshot(path=str(SCREENSHOT_DIR / "seasons-round-open.png"))

    # Plan round 2 on its own page: swap its first drill (htmx replaces just the card).
    actions.get_by_role("link", name=re.compile("^Plan round 2")).click()
    page.wait_for_url(re.compile(r"/seasons/rounds/\d+$"))
    swap = page.locator("#round-2 form.swap-form").first
    choice = swap.locator("select option").nth(1).inner_text()
    swap.locator("select").select_option(label=choice)
    swap.get_by_role("button", name="Swap").click()
    expect(page.locator("#round-2 .round-drills")).to_contain_text(choice)
    screenshot(page, "seasons-round-planned")

    page.goto(f"{live_server.url}/seasons/new")
    expect(page.get_by_label("Season name")).to_have_value(re.compile(r"Season \d+"))
    screenshot(page, "seasons-new-form")
    # The suggested start comes after the demo season, so the defaults just work.
    page.get_by_label("Season name").fill("Summer league")
    page.get_by_label("Weekly rounds").fill("4")
    page.get_by_role("button", name="Create season").click()
    page.wait_for_url(re.compile(r"/seasons/\d+$"))
    expect(page.get_by_role("heading", name="Summer league")).to_be_visible()
    expect(page.locator(".round-card")).to_have_count(4)


def test_a_demo_manager_finds_their_pages_in_the_coachs_corner(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "manager@demo.test")
    corner = page.locator(".coach-corner")
    expect(corner.get_by_role("heading", name="Coach's corner")).to_be_visible()
    tiles = corner.locator(".corner-link")
    for index in range(tiles.count()):
        box = tiles.nth(index).bounding_box()
        assert box is not None and box["height"] >= 48
    corner.screenshot(path=str(SCREENSHOT_DIR / "seasons-coach-corner.png"))
    corner.get_by_role("link", name=re.compile("^Seasons")).click()
    page.wait_for_url(f"{live_server.url}/seasons")
    page.get_by_role("link", name=re.compile("Spring league")).click()
    page.locator("#round-1").get_by_role("link", name="Round 1").click()
    expect(page.get_by_role("heading", name="Entries")).to_be_visible()
    screenshot(page, "seasons-round-entries")


def test_mid_season_the_season_page_is_short_with_its_actions_first(
    page: Page, mid_season_server: LiveServer
) -> None:
    """Three rounds played: they fold into one line, and the moves sit at the top, reachable
    without scrolling past the rounds."""
    sign_in(page, mid_season_server, "manager@demo.test")
    page.get_by_role("link", name="Manage Spring league").click()
    expect(page.get_by_role("heading", name="Spring league")).to_be_visible()
    screenshot(page, "seasons-detail-mid-season")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * 844, f"the season page is {height} px tall"
    expect(page.get_by_text("Earlier rounds")).to_be_visible()
    expect(page.locator("#round-1")).to_be_hidden()
    actions = page.locator("#season-actions .action")
    expect(actions.first).to_contain_text("Nudge who hasn't entered")
    tab_bar_top = page.locator("nav.tabs").bounding_box()["y"]  # type: ignore[index]
    next_move = actions.first.bounding_box()
    assert next_move is not None and next_move["y"] + next_move["height"] <= tab_bar_top
    # Every move is a thumb-sized control, and the panel comes before any round.
    for index in range(actions.count()):
        control = actions.nth(index).locator("a, summary").first
        box = control.bounding_box()
        assert box is not None and box["height"] >= 44, control.inner_text()
    assert page.evaluate(
        "document.querySelector('#season-actions').compareDocumentPosition("
        "document.querySelector('#rounds')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    actions.first.click()
    page.wait_for_url(re.compile(r"/reminders/rounds/\d+$"))
    expect(page.get_by_role("heading", name=re.compile("Round 4 reminders"))).to_be_visible()
