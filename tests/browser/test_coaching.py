"""The coach's side on real screens, in the demo league as `make run` loads it (mid-season):
the manager opens a rep's 1:1 packet on a phone and a desktop and prints it; the rep sees
their focus skills on Today as training goals."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, LiveServer, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 900}


def open_priyas_packet(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "manager@demo.test")
    page.get_by_role("link", name="1:1 packets").click()
    expect(page.get_by_role("heading", name="1:1 packets")).to_be_visible()
    page.get_by_role("link", name="Priya Shah").click()
    expect(page.get_by_role("heading", name="Priya Shah", level=1)).to_be_visible()


def check_packet(page: Page) -> None:
    # Two focus skills, each a trend over the three finished rounds (rep and team lines).
    expect(page.locator(".focus-skill .line-chart")).to_have_count(2)
    expect(page.locator(".focus-skill .series-team circle")).to_have_count(6)
    expect(page.locator(".focus-skill .series-own circle")).to_have_count(6)
    expect(page.locator(".bar-chart .bar-own")).to_have_count(4)  # four funnel steps
    expect(page.locator(".clip")).to_have_count(2)  # best and weakest, with comments
    expect(page.locator(".clip .comments li").first).to_be_visible()
    expect(page.locator(".agenda-item")).to_have_count(5)
    expect(page.locator("#last-week")).to_contain_text("Record the value prop in under 25 seconds")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True


def test_the_manager_reads_a_packet_on_a_phone_and_prints_it(
    browser: Browser, mid_season_server: LiveServer
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    open_priyas_packet(page, mid_season_server)
    check_packet(page)
    box = page.locator(".focus-skill .line-chart").first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    screenshot(page, "coaching-packet-phone")
    page.emulate_media(media="print")
    expect(page.locator(".tabs")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator(".line-chart").first).to_be_visible()
    screenshot(page, "coaching-packet-print")
    context.close()


def test_the_manager_reads_a_packet_on_a_desktop(
    browser: Browser, mid_season_server: LiveServer
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_priyas_packet(page, mid_season_server)
    check_packet(page)
    screenshot(page, "coaching-packet-desktop")
    page.goto(f"{mid_season_server.url}/coaching")
    expect(page.locator(".participation-chart rect")).to_have_count(8)  # 4 rounds, 2 bars
    screenshot(page, "coaching-team-desktop")
    context.close()


def test_a_rep_sees_focus_skills_on_today(page: Page, mid_season_server: LiveServer) -> None:
    sign_in(page, mid_season_server, "rep1@demo.test")
    goals = page.locator(".training-goals")
    expect(goals).to_contain_text("Your training goals")
    expect(goals.locator("li")).to_have_count(2)
    screenshot(page, "coaching-today-goals")
    goals.get_by_role("link", name="See your progress").click()
    expect(page.get_by_role("heading", name="Your training")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Sales numbers")
