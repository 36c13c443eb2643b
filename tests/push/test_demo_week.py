"""Done means: a demo rep opts in, gets the week's reminders, and nothing is sent twice.

The demo league from seeds/ (round 1 open on the day it loads), rep1's phone subscribed
at the local push service, and the round's own durable jobs walking it through the week
on a controllable clock. Every message is checked and decrypted by the push service.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.demo import SEEDS_DIR, create_demo_league
from league.jobs.service import run_due_jobs
from league.push.models import Notification, ReminderKind
from league.seasons.models import Round, RoundState
from tests.conftest import ClientFactory
from tests.factories import make_entry
from tests.push.conftest import job_context, run_jobs
from tests.push.push_service import LocalPushService, Subscriber


@pytest.fixture
async def demo_round(app: Starlette, clock: FrozenClock) -> Round:
    """The demo league, loaded now; the clock moved to 10:00 (team time) on round 1's first day,
    outside quiet hours whenever the test runs."""
    assert await create_demo_league(SEEDS_DIR)
    round_ = await Round.get(number=1).prefetch_related("team")
    assert round_.state == RoundState.OPEN
    local_open = round_.opens_at.astimezone(ZoneInfo(round_.team.time_zone))
    clock.set(local_open.replace(hour=10).astimezone(round_.opens_at.tzinfo))
    return round_


async def demo_member(email: str) -> Membership:
    return await Membership.get(user__email=email).prefetch_related("team", "user")


async def opt_in(
    make_client: ClientFactory, member: Membership, local: LocalPushService
) -> Subscriber:
    """What the Me tab's button does once the browser has a subscription: post it."""
    phone = local.new_subscriber()
    response = await (await make_client(member)).post("/push/subscriptions", json=phone.as_json())
    assert response.status_code == 201
    return phone


async def run_twice(app: Starlette) -> None:
    """Run the due jobs with two racing workers, then once more: a retry or a restart."""
    await asyncio.gather(run_due_jobs(job_context(app)), run_due_jobs(job_context(app)))
    await run_jobs(app)


async def test_the_round_open_reminder_reaches_rep1_once_decrypted(
    app: Starlette,
    make_client: ClientFactory,
    push_service: LocalPushService,
    demo_round: Round,
) -> None:
    rep1 = await demo_member("rep1@demo.test")
    phone = await opt_in(make_client, rep1, push_service)

    await run_twice(app)
    await run_twice(app)

    assert push_service.problems == []  # VAPID JWT verified, payload decrypted
    [opened] = push_service.payloads_for(phone)
    assert opened["title"] == "Round 1 is open"
    for drill in await demo_round.drills.all():
        assert drill.title in opened["body"]
    assert opened["url"] == app.url_path_for("seasons:today")
    assert await Notification.filter(member_id=rep1.id).count() == 1
    # Tapping it opens the Today screen, where the round's drills are.
    today = await (await make_client(rep1)).get(opened["url"])
    assert today.status_code == 200
    assert (await demo_round.drills.all().first()).title in today.text  # type: ignore[union-attr]


async def test_a_demo_rep_gets_the_whole_week_and_nothing_twice(
    app: Starlette,
    make_client: ClientFactory,
    push_service: LocalPushService,
    clock: FrozenClock,
    demo_round: Round,
) -> None:
    rep1 = await demo_member("rep1@demo.test")
    rep2 = await demo_member("rep2@demo.test")
    phone = await opt_in(make_client, rep1, push_service)
    other_phone = await opt_in(make_client, rep2, push_service)
    drills = await demo_round.drills.all().order_by("id")

    # Day 1, 10:00: the round is open.
    await run_twice(app)
    # rep2 practises both drills straight away; rep1 leaves it to the last day.
    for drill in drills:
        await make_entry(demo_round, rep2, clock.now(), drill)

    # Two hours before submissions close: only rep1 still has drills to do.
    clock.set(demo_round.submit_closes_at - timedelta(hours=2))
    await run_twice(app)
    for drill in drills:
        await make_entry(demo_round, rep1, clock.now(), drill)

    # Submissions close: the round's own job assigns reviews, and reviewers hear of it.
    clock.set(demo_round.submit_closes_at)
    await run_twice(app)
    # Results (the review and results moments fall on the same afternoon in the demo).
    clock.set(demo_round.results_at)
    await run_twice(app)
    clock.set(demo_round.results_at + timedelta(days=1))
    await run_twice(app)

    assert (await Round.get(id=demo_round.id)).state == RoundState.RESULTS
    assert push_service.problems == []
    rep1_titles = [payload["title"] for payload in push_service.payloads_for(phone)]
    assert rep1_titles == [
        "Round 1 is open",
        "Round 1 closes at 18:00",
        "Round 1: your teammates' clips are in",
        "Round 1 results are out",
    ]
    rep2_titles = [payload["title"] for payload in push_service.payloads_for(other_phone)]
    assert rep2_titles == [
        "Round 1 is open",
        "Round 1: your teammates' clips are in",
        "Round 1 results are out",
    ]
    urls = [payload["url"] for payload in push_service.payloads_for(phone)]
    assert urls == [
        app.url_path_for("seasons:today"),
        app.url_path_for("seasons:today"),
        app.url_path_for("reviews:queue"),
        app.url_path_for("standings:table"),
    ]
    # The results reminder carries rep1's own highlight, not a generic line.
    results = push_service.payloads_for(phone)[-1]
    assert results["body"].startswith("You ") and "points" in results["body"]
    kinds = {n.kind for n in await Notification.filter(member_id=rep1.id)}
    assert await Notification.filter(member_id=rep1.id).count() == len(kinds) == 4
    assert kinds == {
        ReminderKind.ROUND_OPEN,
        ReminderKind.DEADLINE,
        ReminderKind.REVIEW,
        ReminderKind.RESULTS,
    }
    # Each message went out once: the push service saw exactly one request per reminder.
    assert len(push_service.received) == len(rep1_titles) + len(rep2_titles)
