"""Offline practice on a phone: the worker keeps the member's Today and this round's record
screens, shows the offline page inside the app, leaves reminders alone, and sends waiting
takes by itself once the connection returns."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, Page, Response, Worker, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.test_pwa import (
    keep_a_take_offline,
    registration_id,
    stored_takes,
    wait_for_worker,
)

RECORD_MS = 2500
WAIT_S = 15
KEPT_PAGES_JS = """async () => {
  const name = (await caches.keys()).find((key) => key.startsWith("league-pages-"));
  if (!name) return [];
  const requests = await (await caches.open(name)).keys();
  return requests.map((request) => new URL(request.url).pathname).sort();
}"""


def wait_until(check: Callable[[], bool], message: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def takes_of(session: str, record_url: str) -> int:
    """How many takes a member has on a drill, asked with only their session cookie."""
    html = httpx.get(record_url, cookies={"league_session": session}).text
    return len(re.findall(r'id="take-\d+"', html))


def kept_pages(page: Page) -> list[str]:
    return list(page.evaluate(KEPT_PAGES_JS))


def sign_in_and_keep_pages(page: Page, server: LiveServer, email: str) -> list[str]:
    """Sign in online and wait until the worker keeps Today and the round's record screens."""
    sign_in(page, server, email)
    wait_for_worker(page)
    page.goto(f"{server.url}/")  # a page the worker controls tells it who is signed in
    wait_until(lambda: len(kept_pages(page)) == 4, f"pages not kept: {kept_pages(page)}")
    return kept_pages(page)


def record_and_keep(page: Page) -> None:
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    page.wait_for_timeout(RECORD_MS)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Keep take").click()
    expect(page.locator("[data-upload-queue]")).to_contain_text("1 take waiting to upload")


def is_worker_upload(response: Response) -> bool:
    request = response.request
    return request.service_worker is not None and request.method == "POST"


def watch_worker_uploads(context: BrowserContext) -> list[Response]:
    """Every answer to a take upload the service worker itself sent."""
    answers: list[Response] = []

    def remember(response: Response) -> None:
        if is_worker_upload(response):
            answers.append(response)

    context.on("response", remember)
    return answers


def refused_uploads(server: LiveServer) -> list[str]:
    """Take uploads the server refused with 403, from its access log.

    Read from the server's side because a worker that was stopped and started again may
    send its first requests before Playwright reports them.
    """
    log = (server.data_dir / "server.log").read_text()
    return re.findall(r'"POST /drills/\d+/takes HTTP/1.1" 403', log)


def wait_for_stored_take(context: BrowserContext, record_url: str, count: int) -> None:
    wait_until(lambda: stored_takes(context, record_url) == count, "the take was not uploaded")


def test_a_rep_moves_between_today_and_two_drills_offline_and_records_on_both(
    page: Page, live_server: LiveServer
) -> None:
    kept = sign_in_and_keep_pages(page, live_server, "rep6@demo.test")
    assert "/" in kept and "/offline" in kept
    record_urls = [f"{live_server.url}{path}" for path in kept if path.endswith("/record")]
    before = [stored_takes(page.context, url) for url in record_urls]

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="2 drills this week")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    screenshot(page, "offline-today")

    page.locator(".drill-action").nth(0).click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    first = page.url
    record_and_keep(page)
    screenshot(page, "offline-record")

    page.go_back()
    expect(page.get_by_role("heading", name="2 drills this week")).to_be_visible()
    page.locator(".drill-action").nth(1).click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    assert page.url != first
    record_and_keep(page)
    assert page.evaluate("LeagueUploadQueue.list().then((items) => items.length)") == 2

    page.context.set_offline(False)
    expect(page.locator("[data-upload-queue]")).to_be_hidden(timeout=WAIT_S * 1000)
    after = [stored_takes(page.context, url) for url in record_urls]
    assert after == [count + 1 for count in before]


def test_the_offline_page_keeps_the_tabs_and_returns_by_itself(
    page: Page, live_server: LiveServer
) -> None:
    sign_in_and_keep_pages(page, live_server, "rep7@demo.test")
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/standings")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert page.get_by_role("link", name="Practice League").get_attribute("href") == "/"
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)
    screenshot(page, "offline-page")

    # From the offline page the rep can still get to Today, which works offline.
    page.get_by_role("link", name="Go to Today").click()
    expect(page.get_by_role("heading", name="2 drills this week")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()

    # Back online, nobody taps anything: the page the rep wanted comes back.
    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="You're offline")).to_be_hidden(timeout=WAIT_S * 1000)
    assert page.url == f"{live_server.url}/standings"
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    screenshot(page, "offline-back-online")


def fake_push_subscription(worker: Worker) -> None:
    # A real subscription needs Google's push service, which cannot be reached here. The
    # worker gets one that counts unsubscribe() calls instead.
    worker.evaluate(
        """() => {
          self.unsubscribeCalls = 0;
          const subscription = {
            endpoint: "https://push.example.test/this-phone",
            unsubscribe: async () => { self.unsubscribeCalls += 1; return true; },
          };
          self.registration.pushManager.getSubscription = async () => subscription;
        }"""
    )


def test_reminders_stay_on_across_offline_and_online_until_a_real_sign_out(
    page: Page, live_server: LiveServer
) -> None:
    kept = sign_in_and_keep_pages(page, live_server, "rep8@demo.test")
    [worker] = page.context.service_workers
    fake_push_subscription(worker)

    page.context.set_offline(True)
    for path in ("/standings", "/me", "/"):
        page.goto(f"{live_server.url}{path}")
    page.goto(f"{live_server.url}/standings")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="You're offline")).to_be_hidden(timeout=WAIT_S * 1000)
    page.goto(f"{live_server.url}/me")
    assert worker.evaluate("self.unsubscribeCalls") == 0
    assert kept_pages(page) == kept

    # Signing out is what turns this phone's reminders off and forgets the kept pages.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/signin")
    wait_until(lambda: worker.evaluate("self.unsubscribeCalls") == 1, "not unsubscribed")
    wait_until(lambda: kept_pages(page) == [], "kept pages outlived the sign-out")


def test_a_take_queued_in_a_closed_page_uploads_by_itself_after_a_browser_restart(
    context: BrowserContext, live_server: LiveServer
) -> None:
    page = context.new_page()
    sign_in_and_keep_pages(page, live_server, "rep2@demo.test")
    page.locator(".drill-action").nth(0).click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    record_url = page.url
    before = stored_takes(context, record_url)
    session = next(c["value"] for c in context.cookies() if c["name"] == "league_session")
    keep_a_take_offline(page)
    answers = watch_worker_uploads(context)

    # The rep closes the app offline, and the phone ends the browser session, which drops
    # the session-only CSRF cookie the take was queued with.
    blank = context.new_page()
    cdp, registration = registration_id(context, blank)
    page.close()
    context.clear_cookies(name="league_csrf")
    context.set_offline(False)
    # What the browser does once the network is back: a Background Sync event for the tag
    # the page registered. Sent explicitly, because whether Chromium notices the end of
    # emulated offline for a worker with no page open depends on timing.
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration,
            "tag": "league-upload-queue",
            "lastChance": False,
        },
    )

    # Counted from outside the browser: asking with the browser's cookies would set a new
    # CSRF cookie before the worker had to cope without one.
    wait_until(lambda: takes_of(session, record_url) == before + 1, "not uploaded")
    assert refused_uploads(live_server) == []
    assert all(answer.status == 201 for answer in answers)
    [worker] = context.service_workers
    assert worker.evaluate("self.LeagueUploadQueue.list().then((items) => items.length)") == 0


def test_without_background_sync_opening_any_page_sends_waiting_takes(
    context: BrowserContext, live_server: LiveServer
) -> None:
    # As in Safari and Firefox, which have no Background Sync.
    context.add_init_script("delete ServiceWorkerRegistration.prototype.sync;")
    page = context.new_page()
    sign_in_and_keep_pages(page, live_server, "rep3@demo.test")
    page.locator(".drill-action").nth(1).click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    record_url = page.url
    before = stored_takes(context, record_url)
    keep_a_take_offline(page)
    answers = watch_worker_uploads(context)

    page.goto("about:blank")
    context.set_offline(False)
    page.wait_for_timeout(2000)
    assert answers == [] and stored_takes(context, record_url) == before

    page.goto(f"{live_server.url}/standings")  # not the drill: any page of the app
    wait_for_stored_take(context, record_url, before + 1)
    assert refused_uploads(live_server) == []
    assert all(answer.status == 201 for answer in answers)


def kept_pages_cache(page: Page) -> list[str]:
    names = page.evaluate("caches.keys()")
    return [name for name in names if name.startswith("league-pages-")]


def test_a_phone_shows_nobody_the_last_members_kept_pages(
    page: Page, live_server: LiveServer
) -> None:
    sign_in_and_keep_pages(page, live_server, "rep4@demo.test")
    [first_member] = kept_pages_cache(page)

    # The session ends without a sign-out (it expired): the next page is signed out.
    page.context.clear_cookies(name="league_session")
    page.goto(f"{live_server.url}/me")
    page.wait_for_url(re.compile(r"/signin"))
    wait_until(lambda: kept_pages_cache(page) == [], "kept pages outlived the session")

    sign_in_and_keep_pages(page, live_server, "rep5@demo.test")
    [second_member] = kept_pages_cache(page)
    assert second_member != first_member


def test_a_take_recorded_on_a_kept_page_after_a_browser_restart_uploads(
    page: Page, live_server: LiveServer
) -> None:
    kept = sign_in_and_keep_pages(page, live_server, "rep6@demo.test")
    record_url = next(f"{live_server.url}{path}" for path in kept if path.endswith("/record"))
    before = stored_takes(page.context, record_url)
    refused: list[str] = []

    def remember_refusals(response: Response) -> None:
        if response.status == 403:
            refused.append(response.url)

    page.context.on("response", remember_refusals)
    # The browser restarts offline: its session-only CSRF cookie is gone, and the kept
    # record screen still carries the token from when it was kept.
    page.context.set_offline(True)
    page.context.clear_cookies(name="league_csrf")
    page.goto(record_url)
    record_and_keep(page)
    page.context.set_offline(False)

    expect(page.locator("[data-upload-queue]")).to_be_hidden(timeout=WAIT_S * 1000)
    assert stored_takes(page.context, record_url) == before + 1
    assert refused == []


def test_a_waiting_take_uploads_only_as_the_member_who_recorded_it(
    context: BrowserContext, live_server: LiveServer
) -> None:
    page = context.new_page()
    kept = sign_in_and_keep_pages(page, live_server, "rep7@demo.test")
    record_url = next(f"{live_server.url}{path}" for path in kept if path.endswith("/record"))
    page.goto(record_url)
    before = stored_takes(context, record_url)
    keep_a_take_offline(page)
    answers = watch_worker_uploads(context)

    # The phone goes to a teammate while the take waits: rep7's session is over.
    page.goto("about:blank")
    context.clear_cookies(name="league_session")
    context.set_offline(False)
    sign_in_and_keep_pages(page, live_server, "rep8@demo.test")
    page.goto(record_url)  # same drill, the teammate's screen: not their take to upload
    expect(page.get_by_role("button", name="Record")).to_be_visible()
    page.wait_for_timeout(2000)
    expect(page.locator("[data-upload-queue]")).to_be_hidden()
    [worker] = context.service_workers
    assert answers == []
    assert worker.evaluate("self.LeagueUploadQueue.list().then((items) => items.length)") == 1

    page.goto(f"{live_server.url}/me")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/signin")
    sign_in(page, live_server, "rep7@demo.test")
    wait_for_stored_take(context, record_url, before + 1)
    assert refused_uploads(live_server) == []
