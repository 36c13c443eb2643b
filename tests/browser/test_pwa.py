"""Installable app in Chromium: manifest, active service worker, offline page."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, Playwright, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer, screenshot, sign_in


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
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
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

    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_signing_out_leaves_only_the_public_caches(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "rep3@demo.test")
    wait_for_worker(page)
    page.goto(f"{live_server.url}/me")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/signin")
    names = page.evaluate("caches.keys()")
    assert names and all(name.startswith(("league-static-", "league-offline-")) for name in names)
    offline = page.evaluate("caches.match('/offline').then(response => response.text())")
    assert "rep3@demo.test" not in offline and "Sign out" not in offline
