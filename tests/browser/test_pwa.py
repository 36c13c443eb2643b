"""Installable app in Chromium: manifest, active service worker, offline page."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, CDPSession, Page, Playwright, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer, screenshot, sign_in

RECORD_MS = 2500
UPLOAD_MS = 15000


def registration_id(context: BrowserContext, page: Page) -> tuple[CDPSession, str]:
    """A DevTools session on the page and the id of the site's worker registration."""
    cdp = context.new_cdp_session(page)
    found: list[str] = []

    def remember(event: dict[str, Any]) -> None:
        for registration in event["registrations"]:
            if not registration.get("isDeleted"):
                found.append(registration["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", remember)
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    assert found, "no service worker registration reported"
    return cdp, found[-1]


def wait_for_worker(page: Page) -> None:
    """Wait until the page is controlled by the active worker (reloading once if needed)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    assert page.evaluate("navigator.serviceWorker.controller.state") == "activated"


def test_the_app_is_installable(
    playwright: Playwright, live_server: LiveServer, tmp_path: Path
) -> None:
    # Chromium only answers installability questions for a real (persistent) profile.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        viewport={"width": PHONE["width"], "height": PHONE["height"]},
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/signin")
        wait_for_worker(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert manifest["url"] == f"{live_server.url}/manifest.webmanifest"
        # Chromium reports its parsed view of the manifest (enum names like kStandalone).
        parsed = manifest["manifest"]
        assert parsed["display"].lower().endswith("standalone")
        assert len(parsed["icons"]) == 3
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_the_offline_page_shows_when_the_network_is_gone(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "rep2@demo.test")
    wait_for_worker(page)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/standings")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    # Static files still come from the worker's cache: the page is styled.
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(246, 248, 247)"
    screenshot(page, "pwa-offline")
    # "Try again" asks for the page the rep wanted, not the offline page.
    retry = page.get_by_role("link", name="Try again")
    assert retry.get_attribute("href") == f"{live_server.url}/standings"


def test_signing_out_leaves_only_the_public_caches(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "rep3@demo.test")
    wait_for_worker(page)
    page.goto(f"{live_server.url}/me")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/signin")
    # The worker finishes what it was keeping for the member, then forgets all of it.
    public = ("league-static-", "league-offline-")
    for _ in range(50):
        names = page.evaluate("caches.keys()")
        if names and all(name.startswith(public) for name in names):
            break
        page.wait_for_timeout(200)
    assert names and all(name.startswith(public) for name in names)
    offline = page.evaluate("caches.match('/offline').then(response => response.text())")
    assert "rep3@demo.test" not in offline and "Sign out" not in offline

    # Back, as the next person holding the phone would press it: the last member's page
    # does not come back from the browser's cache; the server asks for a sign-in.
    page.go_back()
    page.wait_for_load_state()
    assert "rep3@demo.test" not in page.content()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def open_first_drill(page: Page, server: LiveServer, email: str) -> str:
    """Sign in, let the service worker take control, and open round 1's first drill."""
    sign_in(page, server, email)
    wait_for_worker(page)
    page.get_by_role("link", name="Practise", exact=True).first.click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    assert page.evaluate("navigator.serviceWorker.controller.state") == "activated"
    return page.url


def keep_a_take_offline(page: Page) -> None:
    """Record about two seconds with the fake microphone while offline and keep it."""
    page.context.set_offline(True)
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    page.wait_for_timeout(RECORD_MS)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Keep take").click()
    expect(page.locator("[data-upload-queue]")).to_contain_text("1 take waiting to upload")
    assert page.evaluate("LeagueUploadQueue.list().then(items => items.length)") == 1


def stored_takes(context: BrowserContext, record_url: str) -> int:
    """How many takes the server lists on the drill page (asked outside any page)."""
    html = context.request.get(record_url).text()
    return len(re.findall(r'id="take-\d+"', html))


def test_a_take_recorded_offline_uploads_when_back_online_with_the_worker_active(
    page: Page, live_server: LiveServer
) -> None:
    record_url = open_first_drill(page, live_server, "rep4@demo.test")
    before = page.locator("#takes-panel .take").count()

    keep_a_take_offline(page)
    # Offline, the page asked the browser to wake the worker once the network is back.
    tags = page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())")
    assert "league-upload-queue" in tags
    # A page the worker does not keep offline: the offline page; the take stays queued.
    page.goto(f"{live_server.url}/standings")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()

    page.context.set_offline(False)
    # The offline page returns to the standings by itself.
    expect(page.get_by_role("heading", name="You're offline")).to_be_hidden(timeout=UPLOAD_MS)
    page.goto(record_url)
    expect(page.locator("#takes-panel .take")).to_have_count(before + 1, timeout=UPLOAD_MS)
    expect(page.locator("[data-upload-queue]")).to_be_hidden()
    assert page.evaluate("LeagueUploadQueue.list().then(items => items.length)") == 0
    assert stored_takes(page.context, record_url) == before + 1


def test_the_worker_sends_a_waiting_take_by_itself_with_no_page_open(
    page: Page, live_server: LiveServer
) -> None:
    record_url = open_first_drill(page, live_server, "rep5@demo.test")
    before = stored_takes(page.context, record_url)
    keep_a_take_offline(page)
    cdp, registration = registration_id(page.context, page)

    # The phone leaves the app while offline; no page holds the queue any more.
    page.goto("about:blank")
    page.context.set_offline(False)
    # What the browser does when the network returns: a Background Sync event for the tag
    # the page registered. The worker's sync handler reads IndexedDB and uploads the take.
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration,
            "tag": "league-upload-queue",
            "lastChance": False,
        },
    )
    deadline = time.monotonic() + UPLOAD_MS / 1000
    while stored_takes(page.context, record_url) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored_takes(page.context, record_url) == before + 1
    [worker] = page.context.service_workers
    assert worker.evaluate("self.LeagueUploadQueue.list().then(items => items.length)") == 0
