"""A demo rep records on a phone with Chromium's fake microphone, submits, and survives offline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in

RECORD_MS = 2500
UPLOAD_TIMEOUT_MS = 15000


def open_first_drill(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "rep1@demo.test")
    page.get_by_role("link", name="Practise", exact=True).first.click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    expect(page.get_by_role("button", name="Record")).to_be_visible()


def record_a_take(page: Page) -> None:
    recorder = page.locator("#recorder")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    expect(recorder).to_have_class(re.compile("is-recording"))
    page.wait_for_timeout(RECORD_MS)


def play_until_it_advances(media: Locator) -> None:
    """Start a media element and wait until its clock moves: it really plays."""
    media.evaluate("element => { element.muted = true; return element.play(); }")
    media.page.wait_for_function(
        "element => element.currentTime > 0.2", arg=media.element_handle(), timeout=10000
    )
    media.evaluate("element => element.pause()")


def check_it_knows_its_length(media: Locator) -> None:
    """A stored take reports its duration and can be sought, so a phone's scrubber works
    (MediaRecorder's own WebM has neither until the server indexes it)."""
    media.evaluate("element => { element.preload = 'metadata'; element.load(); }")
    media.page.wait_for_function(
        "element => Number.isFinite(element.duration) && element.duration > 0",
        arg=media.element_handle(),
        timeout=10000,
    )
    duration = float(media.evaluate("element => element.duration"))
    assert 1.5 <= duration <= RECORD_MS / 1000 + 1.5, duration
    seekable = float(media.evaluate("e => e.seekable.length ? e.seekable.end(0) : 0"))
    assert seekable >= duration - 0.1, (seekable, duration)


def waiting_takes(page: Page) -> int:
    return int(page.evaluate("LeagueUploadQueue.list().then(items => items.length)"))


def test_a_rep_records_plays_back_and_submits_a_take(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    open_first_drill(page, live_server)
    expect(page.get_by_role("heading", name="Key points")).to_be_visible()
    expect(page.locator('[data-entry-state="open"]')).to_be_visible()
    record_box = page.get_by_role("button", name="Record").bounding_box()
    assert record_box is not None and record_box["width"] >= 96 and record_box["height"] >= 96
    screenshot(page, "clips-drill")

    # The key points can be hidden for a harder rep.
    page.get_by_role("button", name="Hide").click()
    expect(page.locator("#key-point-list")).to_be_hidden()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#key-point-list")).to_be_visible()

    record_a_take(page)
    # The clock counts down from the drill's 30 s limit while recording.
    expect(page.locator("[data-clock]")).to_have_text(re.compile(r"^0:2\d$"))
    screenshot(page, "clips-recording")
    page.get_by_role("button", name="Stop").click()

    # Listen back to the new take before keeping it.
    review = page.locator("[data-review]")
    expect(review).to_be_visible()
    play_until_it_advances(review.locator("[data-review-media]"))
    page.get_by_role("button", name="Keep take").click()

    takes = page.locator("#takes-panel .take")
    expect(takes).to_have_count(1, timeout=UPLOAD_TIMEOUT_MS)
    expect(page.locator("[data-upload-queue]")).to_be_hidden()
    assert waiting_takes(page) == 0
    # The stored take plays back from the server (with Range requests).
    check_it_knows_its_length(takes.first.locator("audio"))
    play_until_it_advances(takes.first.locator("audio"))
    screenshot(page, "clips-takes")

    takes.first.get_by_role("button", name="Submit this take").click()
    expect(page.locator('[data-entry-state="submitted"]')).to_be_visible()
    expect(takes.first.get_by_text("Your entry")).to_be_visible()
    screenshot(page, "clips-submitted")


def test_a_take_recorded_offline_uploads_itself_back_online(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    open_first_drill(page, live_server)
    before = page.locator("#takes-panel .take").count()

    context.set_offline(True)
    record_a_take(page)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Keep take").click()

    queue = page.locator("[data-upload-queue]")
    expect(queue).to_be_visible()
    expect(queue.get_by_text("1 take waiting to upload")).to_be_visible()
    expect(queue.get_by_text("You're offline")).to_be_visible()
    assert waiting_takes(page) == 1
    screenshot(page, "clips-offline-queue")

    # Reloading while offline would lose the page, not the take: it is in IndexedDB.
    context.set_offline(False)
    expect(page.locator("#takes-panel .take")).to_have_count(before + 1, timeout=UPLOAD_TIMEOUT_MS)
    expect(queue).to_be_hidden()
    assert waiting_takes(page) == 0


def test_a_take_left_in_the_queue_uploads_on_the_next_visit(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    open_first_drill(page, live_server)
    record_url = page.url
    before = page.locator("#takes-panel .take").count()
    context.set_offline(True)
    record_a_take(page)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Keep take").click()
    expect(page.locator("[data-upload-queue]")).to_be_visible()

    # The phone closes the page while offline; the take waits in the browser for next time.
    page.goto("about:blank")
    context.set_offline(False)
    page.goto(record_url)
    expect(page.locator("#takes-panel .take")).to_have_count(before + 1, timeout=UPLOAD_TIMEOUT_MS)
    assert waiting_takes(page) == 0


# Chromium's fake device always grants the microphone; these replace getUserMedia (or
# MediaRecorder) before the page loads to stand in for a phone that says no.
REFUSALS = [
    (
        "navigator.mediaDevices.getUserMedia = () => "
        "Promise.reject(new DOMException('denied', 'NotAllowedError'));",
        "Microphone access is blocked",
    ),
    (
        "navigator.mediaDevices.getUserMedia = () => "
        "Promise.reject(new DOMException('none', 'NotFoundError'));",
        "We couldn't find a microphone",
    ),
    ("delete window.MediaRecorder;", "This browser can't record here"),
]


@pytest.mark.parametrize(("script", "message"), REFUSALS)
def test_it_explains_why_recording_cannot_start(
    page: Page, live_server: LiveServer, script: str, message: str
) -> None:
    page.add_init_script(script)
    open_first_drill(page, live_server)
    page.get_by_role("button", name="Record").click()
    error = page.locator("[data-recorder-error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text(message)
    expect(page.get_by_role("button", name="Record")).to_be_enabled()
    if "NotAllowedError" in script:
        screenshot(page, "clips-microphone-blocked")


def test_a_failed_upload_is_retried_by_itself(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    open_first_drill(page, live_server)
    before = page.locator("#takes-panel .take").count()
    uploads: list[str] = []

    def drop_the_first_upload(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        uploads.append(route.request.url)
        if len(uploads) == 1:
            route.abort("connectionreset")  # the network drops mid-upload
        else:
            route.continue_()

    # On the context, so a retry sent by the service worker is seen too.
    context.route(re.compile(r"/drills/\d+/takes$"), drop_the_first_upload)
    record_a_take(page)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Keep take").click()
    expect(page.locator("#takes-panel .take")).to_have_count(before + 1, timeout=UPLOAD_TIMEOUT_MS)
    expect(page.locator("[data-upload-queue]")).to_be_hidden()
    assert len(uploads) >= 1
    assert waiting_takes(page) == 0


def test_it_shows_the_upload_progress_until_the_take_is_stored(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    open_first_drill(page, live_server)
    before = page.locator("#takes-panel .take").count()
    held: list[Route] = []

    def hold_uploads(route: Route) -> None:
        if route.request.method == "POST":
            held.append(route)  # a slow network: the upload is still on its way
        else:
            route.continue_()

    context.route(re.compile(r"/drills/\d+/takes$"), hold_uploads)
    record_a_take(page)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Keep take").click()
    queue = page.locator("[data-upload-queue]")
    expect(queue.get_by_text("Uploading 1 take…")).to_be_visible()
    expect(queue.get_by_role("progressbar", name="Upload progress")).to_be_visible()
    screenshot(page, "clips-uploading")

    for _ in range(100):  # Playwright hands the request over while the page waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the upload never left the phone"
    for route in held:
        route.continue_()
    context.unroute(re.compile(r"/drills/\d+/takes$"))
    expect(page.locator("#takes-panel .take")).to_have_count(before + 1, timeout=UPLOAD_TIMEOUT_MS)
    expect(queue).to_be_hidden()
    assert waiting_takes(page) == 0


def test_a_rep_may_record_video_too(page: Page, live_server: LiveServer) -> None:
    open_first_drill(page, live_server)
    before = page.locator("#takes-panel .take").count()
    page.get_by_label("Record video too").check()
    record_a_take(page)
    expect(page.locator("[data-camera]")).to_be_visible()
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("[data-camera]")).to_be_hidden()
    play_until_it_advances(page.locator("video[data-review-media]"))
    page.get_by_role("button", name="Keep take").click()

    takes = page.locator("#takes-panel .take")
    expect(takes).to_have_count(before + 1, timeout=UPLOAD_TIMEOUT_MS)
    newest = takes.first
    expect(newest).to_contain_text("video")
    play_until_it_advances(newest.locator("video"))
    screenshot(page, "clips-video-take")


def test_it_asks_for_the_microphone_only_when_the_rep_taps_record(
    page: Page, live_server: LiveServer
) -> None:
    page.add_init_script(
        "window.microphoneAsks = 0;"
        "const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);"
        "navigator.mediaDevices.getUserMedia = (wanted) => {"
        " window.microphoneAsks += 1; return ask(wanted); };"
    )
    open_first_drill(page, live_server)
    expect(page.get_by_text("The microphone is only asked for when you tap")).to_be_visible()
    assert page.evaluate("window.microphoneAsks") == 0
    record_a_take(page)
    assert page.evaluate("window.microphoneAsks") == 1
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Discard").click()
    expect(page.get_by_text("Take discarded")).to_be_visible()
