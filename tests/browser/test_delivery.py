"""A rep records a take out loud (an espeak-ng voice as Chromium's microphone) and sees
pace, pauses and key points appear on the take within seconds of the upload, pushed over
the live socket: the page asks for nothing while it waits."""

from __future__ import annotations

import re
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import BrowserType, Page, WebSocket, expect

from bench.speech_corpus import ESPEAK_RATE, speak
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    LiveServer,
    screenshot,
    sign_in,
)

FEEDBACK_TIMEOUT_MS = 30_000
PAUSE_SECONDS = 1.5


def write_speech_wav(path: Path, key_points: list[str]) -> float:
    """Say two key points with a long pause between them; returns the length in seconds."""
    first = speak(f"Here is the point. {key_points[0]}.", "en-us", 160)
    second = speak(f"And also, {key_points[1]}.", "en-us", 160)
    gap = np.zeros(int(PAUSE_SECONDS * ESPEAK_RATE), dtype=np.int16)
    lead = np.zeros(int(0.5 * ESPEAK_RATE), dtype=np.int16)
    samples = np.concatenate([lead, first, gap, second, lead])
    # A plain 16-bit mono WAV, the format Chromium's fake capture device reads.
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(ESPEAK_RATE)
        out.writeframes(samples.astype("<i2").tobytes())
    return len(samples) / ESPEAK_RATE


def demo_key_points(page: Page, server: LiveServer) -> tuple[str, list[str]]:
    sign_in(page, server, "rep2@demo.test")
    page.get_by_role("link", name="Practise", exact=True).first.click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    return page.url, page.locator("#key-point-list li").all_inner_texts()


def test_a_spoken_take_shows_pace_pauses_and_key_points(
    browser_type: BrowserType, live_server: LiveServer, tmp_path: Path
) -> None:
    browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_context(**phone_context()).new_page()
    drill_url, key_points = demo_key_points(page, live_server)
    assert len(key_points) >= 2
    seconds = write_speech_wav(tmp_path / "speech.wav", key_points)
    page.context.close()
    browser.close()

    # A second browser whose microphone says those words once, then goes quiet.
    speaking = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            f"--use-file-for-fake-audio-capture={tmp_path / 'speech.wav'}%noloop",
        ],
    )
    try:
        page = speaking.new_context(**phone_context()).new_page()
        sign_in(page, live_server, "rep2@demo.test")
        feedback_requests: list[str] = []
        page.on(
            "request",
            lambda request: (
                feedback_requests.append(request.url) if FEEDBACK_PATH.search(request.url) else None
            ),
        )
        pushed: list[str] = []
        page.on("websocket", lambda socket: watch_feedback(socket, pushed))
        page.goto(drill_url)
        expect(page.locator("[data-feedback-socket]")).to_have_count(1)
        page.get_by_role("button", name="Record").click()
        expect(page.get_by_role("button", name="Stop")).to_be_visible()
        page.wait_for_timeout(int((seconds + 0.5) * 1000))
        page.get_by_role("button", name="Stop").click()
        page.get_by_role("button", name="Keep take").click()

        takes = page.locator("#takes-panel .take")
        expect(takes).to_have_count(1, timeout=15_000)
        uploaded_at = time.monotonic()
        feedback = takes.first.locator(".delivery")
        expect(feedback.locator("[data-pace]")).to_be_visible(timeout=FEEDBACK_TIMEOUT_MS)
        waited = time.monotonic() - uploaded_at

        expect(feedback.locator("[data-pace]")).to_have_text(re.compile(r"^\d{2,3} words/min$"))
        expect(feedback.locator("[data-pauses]")).to_have_text("1")
        expect(feedback.locator("[data-key-point]")).to_have_count(len(key_points))
        expect(feedback.get_by_text("Missing")).to_have_count(0)
        expect(page.locator("#pace-trend [data-pace-point]")).to_have_count(1)
        # It came over the socket, and the page never polled for it.
        take_id = takes.first.get_attribute("id").removeprefix("take-")  # type: ignore[union-attr]
        assert any(f'id="feedback-{take_id}"' in frame for frame in pushed)
        assert feedback_requests == []
        # The pushed result works like a loaded one: a miss can be marked as said (two of
        # the drill's key points were never said, so there is one to mark).
        unsure = feedback.locator('[data-key-point="not sure"]').first
        unsure.get_by_role("button", name="I said it").click()
        expect(unsure.locator("[data-disputed]")).to_be_visible()
        feedback.scroll_into_view_if_needed()
        screenshot(page, "delivery-feedback")
        print(f"feedback shown {waited:.1f} s after the upload")
        assert waited < FEEDBACK_TIMEOUT_MS / 1000
    finally:
        speaking.close()


FEEDBACK_PATH = re.compile(r"/takes/\d+/feedback$")  # the fallback poll's address


def watch_feedback(socket: WebSocket, pushed: list[str]) -> None:
    socket.on("framereceived", lambda payload: pushed.append(str(payload)))


def phone_context() -> dict[str, Any]:
    return {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def test_with_the_live_connection_down_the_take_screen_polls_slowly_for_its_result(
    page: Page, live_server: LiveServer
) -> None:
    # Every live connection the page opens is cut at once, as when a proxy drops sockets.
    page.route_web_socket(re.compile(r"/live\b"), lambda socket: socket.close(code=1011))
    polls: list[str] = []
    page.on(
        "request",
        lambda request: polls.append(request.url) if FEEDBACK_PATH.search(request.url) else None,
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "rep3@demo.test")
    page.get_by_role("link", name="Practise", exact=True).first.click()
    page.wait_for_url(re.compile(r"/drills/\d+/record$"))
    # Two seconds of the fake microphone's beeps: enough to be listened to.
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    page.wait_for_timeout(2000)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Keep take").click()

    feedback = page.locator("#takes-panel .take").first.locator(".delivery")
    expect(feedback).to_have_attribute(
        "data-feedback", re.compile("^(done|failed)$"), timeout=60_000
    )
    assert polls, "the slow poll brought the result while the live connection was down"
