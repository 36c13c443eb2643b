"""A rep's own corner on a phone: Me opens on the season card, install and reminders
explain themselves, Team shows who is in the round, takes show their real length and a
drill opened from Today keeps Today lit.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.test_walkthrough import record_and_keep_a_take

# Headless Chromium never offers installation (that needs a persistent profile and an
# engagement check), so the test hands the page the event the browser would send, with
# the same prompt()/userChoice shape.
OFFER_INSTALL = """() => {
  const offer = new Event("beforeinstallprompt");
  offer.prompt = () => { window.__installPrompted = true; };
  offer.userChoice = Promise.resolve({ outcome: "accepted" });
  window.dispatchEvent(offer);
}"""


def test_me_team_and_takes_show_the_reps_own_progress(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> None:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, live_server, "rep2@demo.test")

    # Me: the season card first, settings below it.
    page.goto(f"{live_server.url}/me")
    card = page.locator("#season-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Place")
    expect(card).to_contain_text("Round 1: not in yet")
    card_top = card.bounding_box()
    settings_top = page.get_by_role("heading", name="Settings").bounding_box()
    assert card_top and settings_top and card_top["y"] < settings_top["y"]
    screenshot(page, "own-me-card")

    # Install: a button appears only when the browser offers installation.
    install = page.locator("[data-install-offer]")
    expect(install).to_be_hidden()
    page.evaluate(OFFER_INSTALL)
    expect(install).to_be_visible()
    screenshot(page, "own-me-install-offered")
    page.get_by_role("button", name="Install the app").click()
    assert page.evaluate("window.__installPrompted") is True
    expect(install).to_be_hidden()

    # Reminders: a refusal is explained with a next step, never a silent nothing.
    page.get_by_role("button", name="Turn on reminders on this device").click()
    refusal = page.locator(
        '[data-push-state="denied"]:visible, [data-push-state="dismissed"]:visible'
    )
    expect(refusal).to_have_count(1)
    expect(refusal.get_by_role("button")).to_be_visible()
    refusal.scroll_into_view_if_needed()
    screenshot(page, "own-me-reminders-refused")

    # Team: who is in this round, with points.
    page.goto(f"{live_server.url}/team")
    round_card = page.locator(".team-round")
    expect(round_card).to_contain_text("Round 1: 0 of 8 in")
    expect(round_card.locator(".status-chip", has_text="not yet")).to_have_count(8)
    screenshot(page, "own-team-round")

    # A drill from Today keeps Today lit; the take shows its real length and plays.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Practise", exact=True).first.click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    tabs = page.get_by_role("navigation", name="Main")
    expect(tabs.locator('[aria-current="page"]')).to_have_text("Today")
    record_and_keep_a_take(page)
    take = page.locator("#takes-panel .take").first
    time = take.locator("[data-time]")
    expect(time).to_have_text(re.compile(r"^0:00 / 0:0[1-4]$"))
    take.get_by_role("button", name=re.compile(r"^Play take")).click()
    expect(take.locator("[data-take-player]")).to_have_class(re.compile("is-playing"))
    expect(time).not_to_have_text(re.compile(r"^0:00 /"), timeout=5000)
    expect(take.locator(".take-actions").get_by_role("button")).to_have_count(2)
    screenshot(page, "own-take-playing")
    context.close()
