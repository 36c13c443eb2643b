"""The practice loop end to end on phones: a demo rep enters this week's round, the manager sees it.

A module of its own, so its server is fresh: nobody has submitted anything when it starts.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.test_recording import (
    UPLOAD_TIMEOUT_MS,
    play_until_it_advances,
    record_a_take,
)

DRILL = "Value proposition in 30 seconds"


def open_round_one_entries(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "manager@demo.test")
    page.get_by_role("link", name="Manage Spring league").click()
    page.locator("#round-1").get_by_role("link", name="Round 1").click()
    expect(page.get_by_role("heading", name="Entries")).to_be_visible()


def test_a_demo_rep_submits_a_take_for_this_weeks_round_and_the_manager_sees_it(
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: LiveServer,
) -> None:
    manager_context = browser.new_context(**browser_context_args)
    manager = manager_context.new_page()
    open_round_one_entries(manager, live_server)
    expect(manager.get_by_text("No entries yet.")).to_be_visible()

    # The rep starts from Today, this week's round, on a phone-sized screen.
    sign_in(page, live_server, "rep1@demo.test")
    expect(page.get_by_role("heading", name="2 drills this week")).to_be_visible()
    drill_item = page.locator(".drill-item", has_text=DRILL)
    drill_item.get_by_role("link", name="Practise", exact=True).click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    expect(page.get_by_role("heading", name=DRILL)).to_be_visible()

    # Record, listen back before keeping it, then hear the stored take and submit it.
    record_a_take(page)
    page.get_by_role("button", name="Stop").click()
    play_until_it_advances(page.locator("[data-review] [data-review-media]"))
    page.get_by_role("button", name="Keep take").click()
    take = page.locator("#takes-panel .take")
    expect(take).to_have_count(1, timeout=UPLOAD_TIMEOUT_MS)
    play_until_it_advances(take.locator("audio"))
    take.get_by_role("button", name="Submit this take").click()
    expect(page.locator('[data-entry-state="submitted"]')).to_contain_text("Submitted")
    expect(take.get_by_text("Your entry")).to_be_visible()

    # Today counts it as done.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_text("1 done")).to_be_visible()
    expect(page.locator(".drill-item.is-done")).to_contain_text(DRILL)
    expect(page.locator(".drill-item.is-done")).to_contain_text("Submitted")
    screenshot(page, "today-rep-submitted")

    # The manager, on their own phone, finds the entry in round 1 and can play it.
    manager.reload()
    entry = manager.locator(".entry-row", has_text="Priya Shah")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(DRILL)
    expect(manager.get_by_text("1 entry submitted")).to_be_visible()
    play_until_it_advances(entry.locator("audio"))
    screenshot(manager, "seasons-round-entries-submitted")
    manager_context.close()
