"""Push fixtures: a local push service, a round in the team's week, subscribed members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clips.models import Entry
from league.clock import FrozenClock
from league.jobs.service import JobContext, run_due_jobs
from league.push import jobs as push_jobs
from league.push import subscriptions
from league.push.endpoints import EndpointPolicy
from league.push.vapid import PushConfig
from league.reviews.models import Review
from league.seasons.models import Round, RoundState
from league.settings import Settings
from tests import factories
from tests.push.push_service import LocalPushService, Subscriber

# The conftest clock reads Monday 2 March 2026, 09:00 UTC, which is 09:00 in London (GMT).
OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SUBMIT_CLOSES = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)  # Wednesday 18:00
REVIEW_CLOSES = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # Friday 18:00
RESULTS = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)  # next Monday 08:30


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The local push service listens on plain http on loopback: only this setting allows it.
    return replace(settings, push_allow_loopback=True)


@pytest.fixture
def push_config(app: Starlette) -> PushConfig:
    config: PushConfig = app.state.services["push"]
    return config


@pytest.fixture
async def push_service(push_config: PushConfig) -> AsyncIterator[LocalPushService]:
    local = await LocalPushService(push_config.public_key, push_config.contact).start()
    yield local
    await local.stop()


def job_context(app: Starlette) -> JobContext:
    context: JobContext = app.state.make_job_context()
    return context


async def run_jobs(app: Starlette) -> int:
    return await run_due_jobs(job_context(app))


async def run_jobs_at(app: Starlette, clock: FrozenClock, moment: datetime) -> int:
    """Move the clock to `moment` and run the jobs due then."""
    clock.set(moment)
    return await run_jobs(app)


def titles_for(local: LocalPushService, phone: Subscriber) -> list[str]:
    """The titles of the pushes `phone` received, oldest first."""
    return [payload["title"] for payload in local.payloads_for(phone)]


async def subscribe(
    member: Membership,
    local: LocalPushService,
    subscriber: Subscriber | None = None,
    device: str = "Test · Phone",
) -> Subscriber:
    """Save a subscription for `member`: a new browser of `local`, or `subscriber`."""
    subscriber = subscriber or local.new_subscriber()
    await subscriptions.save_subscription(
        EndpointPolicy(allow_loopback=True),
        member,
        None,
        subscriber.endpoint,
        subscriber.p256dh,
        subscriber.auth,
        device,
    )
    return subscriber


async def make_round(team: Team, **changes: Any) -> Round:
    """Round 1 in the week of the conftest clock, with one drill; `changes` move single times."""
    season = await factories.make_season(team)
    drill = await factories.make_drill(team, "Value prop in 30 seconds", prompt="Say it.")
    times = {
        "opens_at": OPENS,
        "submit_closes_at": SUBMIT_CLOSES,
        "review_closes_at": REVIEW_CLOSES,
        "results_at": RESULTS,
    }
    return await factories.make_round(season, [drill], **{**times, **changes})


@pytest.fixture
async def round_(team: Team) -> Round:
    return await make_round(team)


async def enter_state(app: Starlette, round_: Round, state: RoundState) -> None:
    """What the seasons feature does at each moment: save the state, then run the hook."""
    await Round.filter(id=round_.id).update(state=state)
    round_.state = state
    await push_jobs.schedule_round_reminders(round_, state, job_context(app))


async def open_round(app: Starlette, round_: Round) -> None:
    """Open the round and run what is due then: the "round is open" reminders."""
    await enter_state(app, round_, RoundState.OPEN)
    await run_jobs(app)


async def assign_review(round_: Round, entry: Entry, reviewer: Membership) -> Review:
    return await Review.create(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        round=round_,
        entry=entry,
        reviewer=reviewer,
    )


def with_concurrency(app: Starlette, concurrency: int) -> None:
    services = app.state.services
    services["push"] = replace(services["push"], concurrency=concurrency)


@pytest.fixture
def at(clock: FrozenClock) -> Any:
    """`at(moment)` moves the clock; reads better in scheduler tests."""
    return clock.set
