"""The product's promise, end to end: a newcomer runs `make run`, opens the URL on a phone,
signs in as a demo rep, records a drill, and sees the office screen update within a second.

The server is the demo league at round 1 (`league demo --fresh`, see `live_server`); the
microphone is Chromium's fake device, which beeps (the one thing that cannot exist here).
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, LiveServer, screenshot, sign_in
from tests.browser.test_live import (
    PROMISED_SECONDS,
    TV,
    finished_at,
    new_context,
    pair_tv,
    seconds_until_changed,
    watch_text,
)

REP_EMAIL = "rep1@demo.test"
REP_NAME = "Priya Shah"
RECORD_MS = 2000
UPLOAD_TIMEOUT_MS = 15_000


def record_and_keep_a_take(phone: Page) -> None:
    phone.get_by_role("button", name="Record").click()
    expect(phone.get_by_role("button", name="Stop")).to_be_visible()
    phone.wait_for_timeout(RECORD_MS)
    phone.get_by_role("button", name="Stop").click()
    phone.get_by_role("button", name="Keep take").click()
    expect(phone.locator("#takes-panel .take")).to_have_count(1, timeout=UPLOAD_TIMEOUT_MS)


def submit_the_take(phone: Page) -> float:
    """Tap "Submit this take"; returns when the response finished (browser clock, ms)."""
    with phone.expect_response(re.compile(r"/takes/\d+/submit$")) as submitted:
        phone.get_by_role("button", name="Submit this take").click()
    assert submitted.value.ok, submitted.value.status
    return finished_at(submitted.value)


def test_a_newcomer_records_a_drill_and_the_office_screen_shows_it_within_a_second(
    browser: Browser, live_server: LiveServer
) -> None:
    tv_context = new_context(browser, TV, mobile=False)
    manager_context = new_context(browser, PHONE, mobile=True)
    rep_context = new_context(browser, PHONE, mobile=True)
    tv, manager, phone = tv_context.new_page(), manager_context.new_page(), rep_context.new_page()

    sign_in(manager, live_server, "manager@demo.test")
    pair_tv(tv, manager, live_server)
    expect(tv.locator("#tv-ticker")).not_to_contain_text(f"{REP_NAME} submitted")

    sign_in(phone, live_server, REP_EMAIL)
    expect(phone.get_by_role("link", name="Today")).to_be_visible()
    screenshot(phone, "walkthrough-today")
    phone.get_by_role("link", name="Practise", exact=True).first.click()
    phone.wait_for_url(re.compile(r"/drills/\d+/record$"))
    record_and_keep_a_take(phone)

    watch_text(tv, "#tv-ticker", f"{REP_NAME} submitted")
    submitted_at = submit_the_take(phone)
    expect(phone.locator('[data-entry-state="submitted"]')).to_be_visible()
    latency = seconds_until_changed(tv, submitted_at)
    print(f"office screen showed the submission {latency * 1000:.0f} ms after the response")
    assert latency < PROMISED_SECONDS

    expect(tv.locator("#tv-ticker")).to_contain_text(f"{REP_NAME} submitted")
    screenshot(phone, "walkthrough-phone-submitted")
    screenshot(tv, "walkthrough-tv")
    for context in (tv_context, manager_context, rep_context):
        context.close()
