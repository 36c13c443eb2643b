"""Live standings in a real Chromium: a phone and the office TV side by side.

The demo league's round 1 is open with no entries yet, so `put_round_in_review` (run in a
subprocess against the server's data directory) adds entries from the demo reps and moves
the round into review, running the round hooks the way the worker does. Everything after
that goes through the app: pairing the TV, sending reviews, the pages updating.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Response,
    ViewportSize,
    WebSocket,
    expect,
)

from tests.browser.conftest import PHONE, LiveServer, screenshot, sign_in, start_server, stop_server
from tests.browser.test_reviews import score_and_send

TV = {"width": 1920, "height": 1080}
SUBMITTERS = [f"rep{number}@demo.test" for number in range(1, 7)]
# The page keeps this across live updates; a reload would lose it.
NO_RELOAD_MARK = "window.__noReload = 'still here'"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo league with its first round in review (see the module docstring)."""
    server = start_server(tmp_path_factory.mktemp("live"))
    result = subprocess.run(
        [sys.executable, "-m", "tests.browser.test_live"],
        env=server.env,
        check=True,
        capture_output=True,
        text=True,
    )
    server.env["REVIEWS"] = result.stdout.strip().splitlines()[-1]
    yield server
    stop_server(server)


def reviews_of(server: LiveServer) -> dict[str, Any]:
    return json.loads(server.env["REVIEWS"])  # type: ignore[no-any-return]


def new_context(browser: Browser, viewport: dict[str, int], mobile: bool) -> BrowserContext:
    return browser.new_context(
        viewport=ViewportSize(width=viewport["width"], height=viewport["height"]),
        device_scale_factor=2 if mobile else 1,
        is_mobile=mobile,
        has_touch=mobile,
    )


def send_review(context: BrowserContext, server: LiveServer, review: dict[str, Any]) -> None:
    """POST the review form the way the review page does (CSRF header from the cookie)."""
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "league_csrf")
    form: dict[str, str | float | bool] = {f"score_{key}": "4" for key in review["criteria"]}
    form.update(kudos="Clear opener and a great closing question.", next_rep="Pause after it.")
    response = context.request.post(
        f"{server.url}/reviews/{review['id']}/submit",
        form=form,
        headers={"X-CSRF-Token": csrf},
        max_redirects=0,
    )
    assert response.status in (200, 303), response.text()


def pair_tv(tv: Page, manager: Page, server: LiveServer) -> None:
    tv.goto(f"{server.url}/tv")
    code = tv.locator(".tv-pair-code").inner_text()
    screenshot(tv, "live-tv-pairing")
    manager.goto(f"{server.url}/screens")
    manager.get_by_label("Code shown on the TV").fill(code)
    manager.get_by_label("Name of the screen").fill("Sales floor")
    manager.get_by_role("button", name="Pair screen").click()
    expect(manager.get_by_text("Sales floor", exact=True)).to_be_visible()
    screenshot(manager, "live-screens")
    # The TV notices within a few seconds, with nobody touching it.
    expect(tv.locator("#tv-table")).to_be_visible(timeout=10_000)


# Runs in a page: note the moment `selector` first contains `text` (on the browser's
# clock, which every page and the network timings share).
WATCH_TEXT = """([selector, text]) => {
  window.__changedAt = null;
  const check = () => {
    const element = document.querySelector(selector);
    if (window.__changedAt === null && element && element.textContent.includes(text)) {
      window.__changedAt = Date.now();
    }
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, characterData: true});
}"""
PROMISED_SECONDS = 1.0


def watch_text(page: Page, selector: str, text: str) -> None:
    page.evaluate(WATCH_TEXT, [selector, text])


def finished_at(response: Response) -> float:
    """When the response finished, in epoch milliseconds on the browser's clock."""
    response.finished()
    timing = response.request.timing
    return float(timing["startTime"] + timing["responseEnd"])


def seconds_until_changed(page: Page, since_ms: float) -> float:
    page.wait_for_function("() => window.__changedAt !== null", timeout=5_000)
    return (float(page.evaluate("window.__changedAt")) - since_ms) / 1000


def send_review_on_the_phone(page: Page, server: LiveServer, review: dict[str, Any]) -> float:
    """Score, write kudos and tap Send on the review page; returns when the send finished."""
    page.goto(f"{server.url}/reviews/{review['id']}")
    score_and_send(page, 4, "Clear opener and a great closing question.")
    with page.expect_response(re.compile(r"/reviews/\d+/submit$")) as sent:
        page.get_by_role("button", name="Send review").click()
    assert sent.value.status in (200, 303), sent.value.status
    return finished_at(sent.value)


def wait_until_live(page: Page) -> None:
    page.wait_for_function("() => document.querySelector('[ws-connect]') !== null")
    page.wait_for_timeout(500)  # the socket's snapshot arrives right after it opens
    page.evaluate(NO_RELOAD_MARK)


def still_same_page(page: Page) -> bool:
    return page.evaluate("window.__noReload") == "still here"  # type: ignore[no-any-return]


def test_a_review_changes_the_phone_and_the_tv_without_a_reload(
    browser: Browser, live_server: LiveServer
) -> None:
    reviews = reviews_of(live_server)
    phone_context = new_context(browser, PHONE, mobile=True)
    tv_context = new_context(browser, TV, mobile=False)
    manager_context = new_context(browser, PHONE, mobile=True)
    reviewer_context = new_context(browser, PHONE, mobile=True)
    phone, tv = phone_context.new_page(), tv_context.new_page()
    manager, reviewer = manager_context.new_page(), reviewer_context.new_page()
    sign_in(manager, live_server, "manager@demo.test")
    pair_tv(tv, manager, live_server)
    sign_in(phone, live_server, "rep3@demo.test")
    phone.goto(f"{live_server.url}/standings")
    for page in (phone, tv):
        wait_until_live(page)
    expect(phone.locator("#live-activity")).not_to_contain_text("has done")
    sign_in(reviewer, live_server, "rep1@demo.test")
    news = "Priya Shah has done 1 review"
    watch_text(phone, "#live-activity", news)
    watch_text(tv, "#tv-ticker", news)
    sent_at = send_review_on_the_phone(reviewer, live_server, reviews["rep1@demo.test"][0])
    on_phone, on_tv = seconds_until_changed(phone, sent_at), seconds_until_changed(tv, sent_at)
    print(f"after the review was sent: phone {on_phone * 1000:.0f} ms, TV {on_tv * 1000:.0f} ms")
    assert on_phone < PROMISED_SECONDS and on_tv < PROMISED_SECONDS
    expect(phone.locator("#live-activity")).to_contain_text(news)
    expect(tv.locator("#tv-ticker")).to_contain_text(news)
    expect(phone.locator("#standings-leaders")).to_contain_text("Priya Shah")
    assert still_same_page(phone) and still_same_page(tv)
    expect(phone.locator(".table-row.is-me").first).to_contain_text("Amara Nwosu")
    screenshot(phone, "live-phone-standings")
    phone.get_by_role("link", name="Near me", exact=True).click()
    # A first round: "near me" is the round's race, a few rows around you with the gaps.
    expect(phone.locator(".standings-block").first).to_be_hidden()
    near = phone.locator("#standings-near")
    expect(near).to_contain_text("this round")
    expect(near.locator(".table-row.is-me")).to_contain_text("Amara Nwosu")
    expect(near.locator(".table-row.is-me .table-gap")).to_be_visible()
    screenshot(phone, "live-phone-near-me")
    phone.get_by_role("link", name="This round", exact=True).click()
    expect(phone.locator("#standings-round")).to_be_visible()
    screenshot(phone, "live-phone-round")
    screenshot(tv, "live-tv-board")
    manager.goto(f"{live_server.url}/screens")
    manager.get_by_role("button", name="Start the reveal").click()
    expect(tv.locator("#tv-reveal.is-running")).to_be_visible()
    # Places appear one by one from the last; the first place comes last of all.
    expect(tv.locator(".tv-reveal-place.is-shown").nth(2)).to_be_visible(timeout=10_000)
    expect(tv.locator(".tv-reveal-1")).not_to_have_class("is-shown")
    screenshot(tv, "live-tv-reveal")
    for context in (phone_context, tv_context, manager_context, reviewer_context):
        context.close()


def test_a_dropped_phone_shows_reconnecting_and_resyncs(
    browser: Browser, live_server: LiveServer
) -> None:
    reviews = reviews_of(live_server)
    phone_context = new_context(browser, PHONE, mobile=True)
    # Remember each socket the page opens, so the test can cut it like a lost network.
    phone_context.add_init_script(
        "(() => { const Native = window.WebSocket; window.__sockets = [];"
        " window.WebSocket = function (url, protocols) {"
        " const socket = new Native(url, protocols); window.__sockets.push(socket);"
        " return socket; };"
        " Object.assign(window.WebSocket, Native); window.WebSocket.prototype = Native.prototype;"
        " })();"
    )
    reviewer_context = new_context(browser, PHONE, mobile=True)
    phone, reviewer = phone_context.new_page(), reviewer_context.new_page()
    sign_in(phone, live_server, "rep4@demo.test")
    phone.goto(f"{live_server.url}/standings")
    wait_until_live(phone)
    phone_context.set_offline(True)
    phone.evaluate("window.__sockets.at(-1).close(4000)")
    expect(phone.locator("[data-live-status]")).to_be_visible()
    screenshot(phone, "live-phone-reconnecting")
    sign_in(reviewer, live_server, "rep2@demo.test")
    send_review(reviewer_context, live_server, reviews["rep2@demo.test"][0])
    expect(phone.locator("#live-activity")).not_to_contain_text("Jonas Berg has done")
    phone_context.set_offline(False)
    expect(phone.locator("[data-live-status]")).to_be_hidden(timeout=70_000)
    expect(phone.locator("#live-activity")).to_contain_text("Jonas Berg has done 1 review")
    assert still_same_page(phone)
    for context in (phone_context, reviewer_context):
        context.close()


def record_frames(page: Page) -> list[str]:
    """Every message the page's live socket receives, in order."""
    frames: list[str] = []

    def listen(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", listen)
    return frames


def test_a_review_updates_the_reviewers_row_with_a_small_message(
    browser: Browser, live_server: LiveServer
) -> None:
    reviews = reviews_of(live_server)
    phone_context = new_context(browser, PHONE, mobile=True)
    tv_context = new_context(browser, TV, mobile=False)
    reviewer_context = new_context(browser, PHONE, mobile=True)
    phone, tv, reviewer = (
        phone_context.new_page(),
        tv_context.new_page(),
        reviewer_context.new_page(),
    )
    phone_frames, tv_frames = record_frames(phone), record_frames(tv)
    sign_in(reviewer, live_server, "manager@demo.test")
    pair_tv(tv, reviewer, live_server)
    sign_in(phone, live_server, "rep6@demo.test")
    phone.goto(f"{live_server.url}/standings")
    for page in (phone, tv):
        wait_until_live(page)
    row = phone.locator(".race-row", has_text="Lucia Ferreira")
    reviews_sent = re.compile(r"1 of \d+ reviews")
    expect(row).not_to_contain_text(reviews_sent)
    snapshot_bytes = max(len(frame.encode()) for frame in phone_frames)
    tv_snapshot_bytes = max(len(frame.encode()) for frame in tv_frames)
    before_phone, before_tv = len(phone_frames), len(tv_frames)
    reviewer_context.clear_cookies()
    sign_in(reviewer, live_server, "rep5@demo.test")
    send_review(reviewer_context, live_server, reviews["rep5@demo.test"][0])
    expect(row).to_contain_text(reviews_sent)
    expect(tv.locator("#tv-ticker")).to_contain_text("Lucia Ferreira has done 1 review")
    update = phone_frames[before_phone]
    tv_update = next(frame for frame in tv_frames[before_tv:] if "Lucia Ferreira" in frame)
    print(
        f"phone snapshot {snapshot_bytes} B, update {len(update.encode())} B;"
        f" TV snapshot {tv_snapshot_bytes} B, update {len(tv_update.encode())} B"
    )
    # Only what changed travels: the reviewer's rows and the new activity, not the table.
    assert update.startswith("<template data-live-patch>")
    assert len(update.encode()) < snapshot_bytes
    assert 'id="standings-season"' not in update and 'id="standings-round"' not in update
    assert all(f"tv-{name}" not in frame for frame in phone_frames for name in ("round", "table"))
    assert tv_update.startswith("<template data-live-patch>")
    assert len(tv_update.encode()) < tv_snapshot_bytes
    assert 'id="tv-round"' not in tv_update  # the round header did not change
    # The patched page is the page a fresh load shows (same rows, same order).
    patched = phone.locator("#standings-round .race-row").all_inner_texts()
    phone.reload()
    wait_until_live(phone)
    assert phone.locator("#standings-round .race-row").all_inner_texts() == patched
    expect(phone.locator(".table-row.is-me").first).to_contain_text("Kenji Watanabe")
    for context in (phone_context, tv_context, reviewer_context):
        context.close()


# --- setting the stage (runs in a subprocess against the server's data directory) ------


async def put_round_in_review() -> dict[str, list[dict[str, Any]]]:
    from league.accounts.models import Membership, Role
    from league.app import create_app
    from league.db import open_database
    from league.jobs.service import JobContext
    from league.reviews.models import Review
    from league.seasons.hooks import run_round_hooks
    from league.seasons.models import Round, RoundState
    from league.settings import Settings
    from tests.factories import make_entry

    settings = Settings.from_env()
    services = create_app(settings).state.services  # the server's round hooks
    now = datetime.now(UTC)
    async with open_database(settings.database_url, settings.database_setup):
        round_ = await Round.get(number=1, state=RoundState.OPEN).prefetch_related("drills")
        drill = sorted(round_.drills, key=lambda item: item.id)[0]
        team_id = round_.team_id  # type: ignore[attr-defined]
        reps = await Membership.filter(team_id=team_id, role=Role.REP).select_related("user")
        submitters = [member for member in reps if member.user.email in SUBMITTERS]
        for number, member in enumerate(submitters):
            await make_entry(round_, member, now, drill, storage_key=f"demo/live-{number}.webm")
        round_.state = RoundState.REVIEWING
        await round_.save(update_fields=["state"])
        await run_round_hooks(round_, RoundState.REVIEWING, JobContext(now, services))
        criteria = [str(criterion["key"]) for criterion in drill.rubric]
        reviews: dict[str, list[dict[str, Any]]] = {}
        for member in submitters:
            assigned = await Review.filter(reviewer_id=member.id).order_by("id")
            reviews[member.user.email] = [{"id": r.id, "criteria": criteria} for r in assigned]
        return reviews


if __name__ == "__main__":
    print(json.dumps(asyncio.run(put_round_in_review())))
