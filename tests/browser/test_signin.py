from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in


def test_a_demo_rep_signs_in_and_sees_the_tabs(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "accounts-signin")
    sign_in(page, live_server, "rep1@demo.test")
    tabs = page.get_by_role("navigation", name="Main")
    for label in ("Today", "Drills", "Standings", "Team", "Me"):
        expect(tabs.get_by_role("link", name=label)).to_be_visible()
    screenshot(page, "today")
