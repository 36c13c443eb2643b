"""A demo round from submissions to results on a phone: review three clips, judge, feedback,
then standings built from the calibrated scores.

The demo reps' entries are real WebM/Opus clips made with PyAV and stored through the clips
service. Round transitions are the server's own durable jobs: the test only moves a
round's times to "now" and waits for the server's worker to run them (and their hooks).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.screens import screen_problems

ROOT = Path(__file__).resolve().parents[2]
REVIEWER = "rep1@demo.test"
DEMO_REPS = [f"rep{number}@demo.test" for number in range(1, 9)]


# --- Steps run inside the server's data directory (a separate process, like the CLI) ------


async def enter_and_close_submissions() -> str:
    """Every demo rep submits a real clip for the first drill; submissions close now."""
    from league.accounts.models import Membership
    from league.clips import service as clips
    from league.clips.storage import open_storage
    from league.reactions import Reactions
    from league.seasons.models import Round, RoundState
    from league.settings import Settings
    from tests.clips.media import webm_opus

    settings = Settings.from_env()
    storage = open_storage(settings)
    round_ = await Round.get(number=1, state=RoundState.OPEN)
    drill = (await round_.drills.all().order_by("id"))[0]
    now = datetime.now(UTC)
    for email in DEMO_REPS:
        member = await Membership.get(user__email=email)

        async def chunks() -> Any:
            yield webm_opus(2)

        take, _ = await clips.receive_take(
            storage=storage,
            member=member,
            drill=drill,
            chunks=chunks(),
            max_bytes=settings.max_clip_bytes,
            now=now,
        )
        await clips.submit_take(take, now, Reactions())
    await move_round_time(round_, "submit_closes_at", now + timedelta(seconds=1))
    return str(round_.id)


# How far each demo reviewer leans from a clip's quality: Jonas scores generously, Amara
# strictly. Calibration should take the lean out, so standings differ from the plain mean.
LEAN_BY_EMAIL = {"rep2@demo.test": 2, "rep3@demo.test": -1}


async def review_the_rest_and_publish() -> str:
    """Everyone else sends their reviews; then reviews close and results come out now."""
    from league.reactions import Reactions
    from league.reviews import service
    from league.reviews.models import Review, ReviewStatus
    from league.seasons.models import Round, RoundState
    from league.settings import Settings

    settings = Settings.from_env()
    round_ = await Round.get(number=1, state=RoundState.REVIEWING).select_related("season")
    now = datetime.now(UTC)
    waiting = Review.filter(round_id=round_.id, is_judgement=False).exclude(
        status=ReviewStatus.SUBMITTED
    )
    related = ("entry__drill", "entry__member__user", "reviewer__user", "round__season")
    for review in await waiting.select_related(*related):
        rubric = review.entry.drill.rubric
        quality = 2 + DEMO_REPS.index(review.entry.member.user.email) % 3
        lean = LEAN_BY_EMAIL.get(review.reviewer.user.email, 0)
        data = service.ReviewInput(
            scores={
                c["key"]: min(5, max(1, quality + lean + index % 2))
                for index, c in enumerate(rubric)
            },
            kudos="Confident open and a clear question at the end.",
            next_rep="Pause after the key number so it lands.",
        )
        await service.submit_review(review, data, rubric, now, settings, Reactions())
    await move_round_time(round_, "review_closes_at", now + timedelta(seconds=1))
    await move_round_time(round_, "results_at", now + timedelta(seconds=2))
    return str(round_.id)


async def read_entry_scores() -> str:
    """Round 1's entry scores as JSON: member id -> [calibrated score, plain mean]."""
    from league.reviews.models import EntryScore

    scores = await EntryScore.filter(round__number=1).select_related("entry")
    return json.dumps(
        {score.entry.member_id: [score.score, score.plain_mean] for score in scores}  # type: ignore[attr-defined]
    )


async def read_round_state() -> str:
    from league.seasons.models import Round

    round_ = await Round.get(number=1, season__name="Spring league")
    return round_.state.value


async def move_round_time(round_: Any, field: str, moment: datetime) -> None:
    from league.seasons.jobs import TRANSITION_BY_FIELD, schedule_transition

    setattr(round_, field, moment)
    await round_.save(update_fields=[field])
    await schedule_transition(round_, TRANSITION_BY_FIELD[field])


STEPS = {
    "enter": enter_and_close_submissions,
    "publish": review_the_rest_and_publish,
    "state": read_round_state,
    "scores": read_entry_scores,
}


async def run(step: str) -> str:
    from league.db import open_database
    from league.settings import Settings

    settings = Settings.from_env()
    async with open_database(settings.database_url, "none"):
        return await STEPS[step]()


def run_step(server: LiveServer, step: str) -> str:
    code = (
        "import asyncio; from tests.browser.test_reviews import run; "
        f"print(asyncio.run(run({step!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=server.env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def wait_for_state(server: LiveServer, state: str) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if run_step(server, "state") == state:
            return
        time.sleep(0.5)
    raise AssertionError(
        f"round 1 never reached {state}:\n{(server.data_dir / 'server.log').read_text()[-3000:]}"
    )


# --- The phone --------------------------------------------------------------------------


def score_and_send(page: Page, level: int, kudos: str) -> None:
    criteria = page.locator("fieldset.criterion")
    for index in range(criteria.count()):
        criteria.nth(index).locator("label.level-button").nth(level - 1).click()
    page.locator("label.chip").first.click()
    page.get_by_label("Kudos: what worked?").fill(kudos)
    expect(page.locator("#draft-status")).to_contain_text("Draft saved")


def review_three_clips(
    page: Page, browser: Browser, context_args: dict[str, Any], server: LiveServer
) -> None:
    sign_in(page, server, REVIEWER)
    page.goto(f"{server.url}/reviews")
    expect(page.get_by_role("heading", name="3 clips to review")).to_be_visible()
    screenshot(page, "reviews-queue")
    page.locator("a.queue-item").first.click()
    for number in range(1, 3):
        expect(page.get_by_role("heading", name=f"Clip {number}")).to_be_visible()
        expect(page.locator("audio.clip-player")).to_have_attribute("src", re.compile("/media$"))
        score_and_send(page, 3 + number % 3, f"Clip {number}: a calm, confident opening.")
        if number == 1:
            screenshot(page, "reviews-form")
            # The review form is a main screen of the reviewing days: the walk's checks.
            assert not screen_problems(page, "review form")
            page.reload()  # the draft survives
            expect(page.get_by_label("Kudos: what worked?")).to_have_value(
                "Clip 1: a calm, confident opening."
            )
        page.get_by_role("button", name="Send review").click()
        # Sending is acknowledged above the next clip: "Sent, 1 of 3 done, +3 points".
        sent = page.locator('[data-moment="review-sent"]')
        expect(sent).to_contain_text(re.compile(rf"Sent, {number} of 3 done, \+\d+ points"))
        if number == 1:
            screenshot(page, "reviews-sent-moment")
    send_the_last_review_without_javascript(browser, context_args, server)
    page.goto(f"{server.url}/reviews")
    expect(page.get_by_role("heading", name="All 3 reviews sent")).to_be_visible()
    expect(page.get_by_text("Thanks for listening!")).to_be_visible()
    screenshot(page, "reviews-queue-done")


def send_the_last_review_without_javascript(
    browser: Browser, context_args: dict[str, Any], server: LiveServer
) -> None:
    """The review form is a plain form: with scripts off it sends, and the queue says so."""
    context = browser.new_context(**context_args, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, REVIEWER)
    page.goto(f"{server.url}/reviews")
    page.locator("a.queue-item:not(.is-done)").first.click()
    expect(page.get_by_role("heading", name="Clip 3")).to_be_visible()
    criteria = page.locator("fieldset.criterion")
    for index in range(criteria.count()):
        criteria.nth(index).locator("label.level-button").nth(3).click()
    page.locator("label.chip").first.click()
    page.get_by_label("Kudos: what worked?").fill("Clip 3: a calm, confident opening.")
    page.get_by_role("button", name="Send review").click()
    sent = page.locator('[data-moment="review-sent"]')
    expect(sent).to_contain_text(re.compile(r"Sent, 3 of 3 done, \+\d+ points"))
    expect(page.get_by_role("heading", name="All 3 reviews sent")).to_be_visible()
    screenshot(page, "reviews-sent-without-script")
    context.close()


def audio_is_playable(page: Page) -> None:
    status = page.evaluate(
        """async () => {
            const response = await fetch(document.querySelector('audio.clip-player').src);
            return response.status;
        }"""
    )
    assert status in (200, 206)


def judge_and_pick(browser: Browser, context_args: dict[str, Any], server: LiveServer) -> str:
    """The manager judges the clip at the top of the queue and picks one; returns the
    coach's pick's name."""
    context = browser.new_context(**context_args)
    page = context.new_page()
    sign_in(page, server, "manager@demo.test")
    page.goto(f"{server.url}/judging")
    expect(page.get_by_role("heading", name="Judging")).to_be_visible()
    page.get_by_role("link", name="Judge").first.click()
    audio_is_playable(page)
    score_and_send(page, 4, "Great structure and a natural close.")
    page.get_by_role("button", name="Save judgement").click()
    expect(page.get_by_text("Judged").first).to_be_visible()
    page.get_by_role("button", name="Make coach's pick").first.click()
    badge = page.locator(".badge-gold", has_text="Coach's pick")
    expect(badge).to_be_visible()
    expect(badge.locator("svg.icon-star")).to_be_visible()
    picked = page.locator(".judging-item", has=badge).locator(".judging-name")
    pick_name = picked.inner_text()
    expect(page.get_by_text("Blind reviews are on")).to_be_visible()
    screenshot(page, "reviews-judging")
    assert not screen_problems(page, "judging while reviewing")
    page.get_by_role("link", name="Who reviewed whom").click()
    expect(page.locator(".reveal-row").first).to_be_visible()
    screenshot(page, "reviews-reveal")
    context.close()
    return pick_name


def read_feedback(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/feedback")
    expect(page.get_by_role("heading", name="Your feedback")).to_be_visible()
    expect(page.get_by_text("Kudos:").first).to_be_visible()
    expect(page.get_by_text("Next rep:").first).to_be_visible()
    page.get_by_role("button", name="Mark helpful").first.click()
    helpful = page.get_by_role("button", name="Helpful", exact=True)
    expect(helpful).to_be_visible()
    expect(helpful.locator("svg.icon-check")).to_be_visible()
    screenshot(page, "reviews-feedback")
    page.goto(f"{server.url}/scoring")
    expect(page.get_by_role("heading", name="How scoring works")).to_be_visible()
    screenshot(page, "reviews-how-scoring-works")


def standings_show_calibrated_scores(page: Page, server: LiveServer, pick_name: str) -> None:
    """Each rep's round line shows their calibrated score, not the plain mean of reviews,
    and the coach's pick is on the standings."""
    scores = json.loads(run_step(server, "scores"))
    corrected = [
        member for member, (score, plain) in scores.items() if f"{score:.1f}" != f"{plain:.1f}"
    ]
    assert corrected, f"calibration changed no score in this round: {scores}"
    page.goto(f"{server.url}/standings?show=round")
    for member, (score, _) in scores.items():
        expect(page.locator(f"#round-row-{member} .table-detail")).to_contain_text(
            f"score {score:.1f}"
        )
    expect(page.locator("#standings-picks")).to_contain_text(pick_name)
    screenshot(page, "reviews-standings")


def test_a_round_from_reviews_to_feedback_on_a_phone(
    page: Page, browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> None:
    run_step(live_server, "enter")
    wait_for_state(live_server, "reviewing")
    review_three_clips(page, browser, browser_context_args, live_server)
    pick_name = judge_and_pick(browser, browser_context_args, live_server)
    run_step(live_server, "publish")
    wait_for_state(live_server, "results")
    read_feedback(page, live_server)
    standings_show_calibrated_scores(page, live_server, pick_name)
