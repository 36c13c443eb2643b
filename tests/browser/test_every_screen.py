"""Every main screen, as a rep and as a manager, on a 390x844 phone: no tap target under
44x44 px, no sideways scrolling, no console error, and no emoji or pictograph character
(in the text, a label or a style sheet's `content`: icons are the app's own SVG). A
screenshot of each for a person.

Inline links inside a sentence are exempt from the size rule (as in WCAG 2.5.8); so are
elements that are not shown. A checkbox or radio counts by its label, which is what a
thumb actually hits.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.screens import PICTOGRAPHS, screen_problems
from tests.browser.test_live import TV, new_context, pair_tv
from tests.web.test_icons import PICTOGRAPH_JS


def rep_screens(page: Page, server: LiveServer) -> list[str]:
    page.goto(f"{server.url}/standings")
    card = page.locator(".race-row .table-name").first.get_attribute("href")
    page.goto(f"{server.url}/drills")
    record = page.locator('a[href$="/record"]').first.get_attribute("href")
    return [
        "/",
        "/drills",
        str(record),
        "/standings",
        str(card),
        "/team",
        "/me",
        "/me/password",
        "/me/reminders",
        "/reviews",
        "/feedback",
        "/scoring",
        "/notifications",
    ]


def manager_screens(page: Page, server: LiveServer) -> list[str]:
    page.goto(f"{server.url}/seasons")
    season = page.locator('a[href^="/seasons/"]:not([href$="/new"])').first.get_attribute("href")
    page.goto(f"{server.url}{season}")
    # The open round's page and the next round's (from the actions panel's "Plan round").
    open_round = page.locator('.round-card.state-open a[href^="/seasons/rounds/"]')
    next_round = page.locator('#season-actions a[href^="/seasons/rounds/"]')
    return [
        "/",
        "/seasons",
        str(season),
        str(open_round.first.get_attribute("href")),
        str(next_round.first.get_attribute("href")),
        "/seasons/new",
        "/playbook",
        "/playbook/import",
        "/drills",
        "/drills/new",
        "/standings",
        "/team",
        "/team/invitations",
        "/me",
        "/judging",
        "/screens",
        "/reminders",
        *coach_screens(page, server),
    ]


def coach_screens(page: Page, server: LiveServer) -> list[str]:
    """The coach's pages: the team, a rep's 1:1 packet, the guide, sales numbers, delivery."""
    page.goto(f"{server.url}/coaching")
    packet = page.locator('a[href^="/coaching/reps/"]').first.get_attribute("href")
    return ["/coaching", str(packet), "/coaching/guide", "/coaching/metrics", "/team/delivery"]


def judging_screens(page: Page, server: LiveServer) -> list[str]:
    """Judging a round with results: the queue, one judgement, who reviewed whom."""
    page.goto(f"{server.url}/judging")
    judge = page.locator('a[href^="/judging/entries/"]').first.get_attribute("href")
    reveal = page.get_by_role("link", name="Who reviewed whom").get_attribute("href")
    return [page.url.removeprefix(server.url), str(judge), str(reveal)]


def feedback_screens(page: Page, server: LiveServer) -> list[str]:
    """After results: the rep's feedback on the last round."""
    page.goto(f"{server.url}/feedback")
    return [page.url.removeprefix(server.url)]


def walk(page: Page, server: LiveServer, who: str, paths: list[str]) -> list[str]:
    problems: list[str] = []
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in paths:
        errors.clear()
        response = page.goto(f"{server.url}{path}")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "today"
        screenshot(page, f"screens-{who}-{name}")
        problems.extend(screen_problems(page, f"{who} {path}"))
        problems.extend(f"{who} {path}: console error {error}" for error in errors)
    return problems


def walk_as(
    browser: Browser,
    browser_context_args: dict[str, Any],
    server: LiveServer,
    email: str,
    who: str,
    list_screens: Any,
) -> list[str]:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, server, email)
    problems = walk(page, server, who, list_screens(page, server))
    context.close()
    return problems


# Names on the office screen that do not fit their box (shown with an ellipsis).
CUT_NAMES_JS = """() => [...document.querySelectorAll('.slide-name, .tv-name')]
  .filter((element) => element.scrollWidth > element.clientWidth + 1)
  .map((element) => element.textContent.trim())"""


def check_tv(
    browser: Browser, browser_context_args: dict[str, Any], server: LiveServer
) -> list[str]:
    """The office screen at 1920x1080: it never scrolls, logs no error, shows no emoji, and
    shows every name on it whole."""
    tv_context = new_context(browser, TV, mobile=False)
    manager_context = browser.new_context(**browser_context_args)
    tv, manager = tv_context.new_page(), manager_context.new_page()
    errors: list[str] = []
    tv.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tv.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(manager, server, "manager@demo.test")
    pair_tv(tv, manager, server)
    tv.wait_for_load_state("networkidle")
    screenshot(tv, "screens-tv")
    problems = [f"tv: console error {error}" for error in errors]
    problems.extend(
        f"tv: shows the character {character!r}, not an SVG icon"
        for character in tv.evaluate(PICTOGRAPHS, PICTOGRAPH_JS)
    )
    scroll = tv.evaluate(
        "() => [document.documentElement.scrollWidth - innerWidth,"
        " document.documentElement.scrollHeight - innerHeight]"
    )
    if max(scroll) > 0:
        problems.append(f"tv: scrolls by {scroll} px (width, height)")
    problems.extend(f"tv: cuts the name {name!r} short" for name in tv.evaluate(CUT_NAMES_JS))
    tv_context.close()
    manager_context.close()
    return problems


def test_mid_season_screens_with_results_judging_coaching_and_the_tv(
    browser: Browser, browser_context_args: dict[str, Any], mid_season_server: LiveServer
) -> None:
    """The league as `make run` shows it: three rounds with results, round 4 open."""
    server = mid_season_server
    problems = walk_as(
        browser,
        browser_context_args,
        server,
        "rep1@demo.test",
        "mid-rep",
        lambda page, server: [*rep_screens(page, server), *feedback_screens(page, server)],
    )
    problems += walk_as(
        browser,
        browser_context_args,
        server,
        "manager@demo.test",
        "mid-manager",
        lambda page, server: [*manager_screens(page, server), *judging_screens(page, server)],
    )
    problems += check_tv(browser, browser_context_args, server)
    assert not problems, "\n".join(problems)


def test_every_main_screen_has_thumb_sized_targets_no_sideways_scroll_and_no_errors(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> None:
    problems: list[str] = []
    for email, who, list_screens in (
        ("rep1@demo.test", "rep", rep_screens),
        ("manager@demo.test", "manager", manager_screens),
    ):
        problems += walk_as(browser, browser_context_args, live_server, email, who, list_screens)
    # The office screen during the open round.
    problems += check_tv(browser, browser_context_args, live_server)
    signed_out = browser.new_context(**browser_context_args)
    page = signed_out.new_page()
    problems.extend(walk(page, live_server, "visitor", ["/signin", "/signup"]))
    # The demo is loaded here: the sign-in page names its accounts and the reset path.
    page.goto(f"{live_server.url}/signin")
    demo = page.locator(".demo-accounts")
    assert "manager@demo.test" in demo.inner_text() and "practice" in demo.inner_text()
    page.get_by_text("Forgot your password?").click()
    assert page.get_by_text("Ask your manager or admin for a reset link").is_visible()
    screenshot(page, "screens-visitor-signin-help")
    signed_out.close()
    assert not problems, "\n".join(problems)
