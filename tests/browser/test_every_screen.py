"""Every main screen, as a rep and as a manager, on a 390x844 phone: no tap target under
44x44 px, no sideways scrolling, no console error. A screenshot of each for a person.

Inline links inside a sentence are exempt from the size rule (as in WCAG 2.5.8); so are
elements that are not shown. A checkbox or radio counts by its label, which is what a
thumb actually hits.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page

from tests.browser.conftest import LiveServer, screenshot, sign_in

MIN_TAP_PX = 44

# Runs in the page: every visible control smaller than the minimum, described.
SMALL_TARGETS = """(minimum) => {
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
  const small = [];
  for (const element of controls) {
    if (element.closest('[hidden], .visually-hidden, .skip-link')) continue;
    let box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (element.matches('input[type=checkbox], input[type=radio]')) {
      const label = element.closest('label')
        || document.querySelector(`label[for="${element.id}"]`);
      if (label) box = label.getBoundingClientRect();
    }
    // A link inside running text is sized by the text around it.
    if (element.tagName === 'A' && style.display === 'inline') {
      const block = element.parentElement.closest('p, li, dd, td, blockquote, span');
      const text = block ? block.textContent.replace(element.textContent, '').trim() : '';
      if (text.length > 0) continue;
    }
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const name = (element.getAttribute('aria-label') || element.textContent || element.name
        || element.type || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${element.tagName.toLowerCase()} "${name}" ${size}`);
    }
  }
  return small;
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


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
    round_ = page.locator('a[href^="/seasons/rounds/"]').first.get_attribute("href")
    return [
        "/",
        "/seasons",
        str(season),
        str(round_),
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
    ]


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
        for small in page.evaluate(SMALL_TARGETS, MIN_TAP_PX):
            problems.append(f"{who} {path}: tap target {small}")
        overflow = int(page.evaluate(OVERFLOW))
        if overflow > 0:
            problems.append(f"{who} {path}: scrolls sideways by {overflow} px")
        problems.extend(f"{who} {path}: console error {error}" for error in errors)
    return problems


def test_every_main_screen_has_thumb_sized_targets_no_sideways_scroll_and_no_errors(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> None:
    problems: list[str] = []
    for email, who, list_screens in (
        ("rep1@demo.test", "rep", rep_screens),
        ("manager@demo.test", "manager", manager_screens),
    ):
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        sign_in(page, live_server, email)
        problems.extend(walk(page, live_server, who, list_screens(page, live_server)))
        context.close()
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
