"""Every page, opened by a rep, a manager, an admin, a signed-out visitor and the office
TV on a 390x844 phone, breaks no rule of the Content-Security-Policy.

A violation is caught twice: in the page (`securitypolicyviolation` events, listened to
from a script Playwright adds before any of the page's own) and at the server, where
Chromium posts a report to the policy's `report-uri` (/csp-report logs it). The pages are
every GET route of the route table (tests/browser/csp_world.py): those with ids in their
path over the route-access test's world (factories), the members' and coaches' pages over
the demo league with its people signed in through the sign-in form. The control shows
both detectors work: the sign-in page served with an inline script added gets the script
blocked, an event and a report.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from league.accounts.access import SESSION_COOKIE
from tests.browser.conftest import LiveServer, sign_in, start_server, stop_server

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""
LOGGED = "content security policy violation"
CONTROL_MARK = "csp-control"
DEMO_PEOPLE = {"rep": "rep1@demo.test", "manager": "manager@demo.test", "admin": "admin@demo.test"}
REPORT_WAIT_SECONDS = 10


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo league as `make run` loads it, plus the route-access test's world."""
    server = start_server(tmp_path_factory.mktemp("csp"), demo_args=())
    yield server
    stop_server(server)


def build_world(server: LiveServer) -> dict[str, Any]:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.browser.csp_world"],
        env=server.env,
        check=True,
        capture_output=True,
        text=True,
    )
    world: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return world


def reported(server: LiveServer) -> list[str]:
    log = (server.data_dir / "server.log").read_text(errors="replace")
    return [line for line in log.splitlines() if LOGGED in line]


def new_context(browser: Browser, args: dict[str, Any]) -> BrowserContext:
    context = browser.new_context(**args)
    context.add_init_script(LISTEN)
    return context


def visit(page: Page, server: LiveServer, who: str, paths: list[str]) -> tuple[int, list[str]]:
    """Open each HTML page; returns how many were opened and what the pages saw blocked."""
    seen: list[str] = []
    opened = 0
    for path in dict.fromkeys(paths):  # once each, in order
        answer = page.request.get(f"{server.url}{path}", max_redirects=0)
        assert answer.status < 500, f"{who} {path}: {answer.status}"
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue  # a clip, a download, JSON or a redirect: no document to check
        response = page.goto(f"{server.url}{path}")
        assert response is not None and response.status < 500, f"{who} {path}"
        page.wait_for_load_state("networkidle")
        opened += 1
        seen += [f"{who} {path}: {v}" for v in page.evaluate("window.__cspViolations")]
    return opened, seen


def with_session(browser: Browser, args: dict[str, Any], url: str, cookie: str) -> Page:
    context = new_context(browser, args)
    context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": url}])
    return context.new_page()


def test_no_page_breaks_the_content_security_policy(
    browser: Browser, browser_context_args: dict[str, Any], server: LiveServer
) -> None:
    world = build_world(server)
    seen: list[str] = []
    opened = 0
    for who, paths in world["paths"].items():
        if who in ("visitor", "tv"):
            page = new_context(browser, browser_context_args).new_page()
            if who == "tv":
                page.goto(f"{server.url}{world['tv_link']}")
                page.wait_for_url(f"{server.url}/tv")
        else:
            page = with_session(browser, browser_context_args, server.url, world["cookies"][who])
        count, violations = visit(page, server, who, paths)
        opened, seen = opened + count, seen + violations
        page.context.close()
    # The demo league's pages (no ids in the path) as its own people, full of real data.
    for who, paths in world["demo_paths"].items():
        page = new_context(browser, browser_context_args).new_page()
        sign_in(page, server, DEMO_PEOPLE[who])
        count, violations = visit(page, server, f"demo {who}", paths)
        opened, seen = opened + count, seen + violations
        page.context.close()
    time.sleep(1)  # a report still on its way would land now
    print(f"{opened} pages opened")
    assert opened >= 40, opened
    assert not seen, "\n".join(seen)
    assert not reported(server), "\n".join(reported(server))


def test_a_blocked_inline_script_is_seen_by_the_page_and_reported(
    browser: Browser, browser_context_args: dict[str, Any], server: LiveServer
) -> None:
    """The control: the detectors above do catch a violation."""

    def add_inline_script(route: Route) -> None:
        original = route.fetch()
        html = original.text().replace(
            "</head>", f"<script>document.title = '{CONTROL_MARK}';</script></head>", 1
        )
        headers = {
            name: value
            for name, value in original.headers.items()
            if name not in ("content-encoding", "content-length")
        }
        route.fulfill(status=original.status, headers=headers, body=html)

    before = len(reported(server))
    page = new_context(browser, browser_context_args).new_page()
    page.route(f"{server.url}/signin?{CONTROL_MARK}", add_inline_script)
    page.goto(f"{server.url}/signin?{CONTROL_MARK}")
    page.wait_for_load_state("networkidle")
    assert page.title() != CONTROL_MARK  # the script was blocked
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
    deadline = time.monotonic() + REPORT_WAIT_SECONDS
    while len(reported(server)) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    new = reported(server)[before:]
    assert new and CONTROL_MARK in new[0] and "inline" in new[0], new
    page.context.close()
