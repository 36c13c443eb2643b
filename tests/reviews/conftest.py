"""Fixtures for reviews: a round in review with entries from four reps, assigned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from league.accounts.models import Membership, Role, Team
from league.clips.models import Entry
from league.clock import FrozenClock
from league.jobs.service import JobContext
from league.playbook.models import Drill
from league.playbook.rubric import default_rubric
from league.reviews import service
from league.reviews.models import Review
from league.seasons.hooks import run_round_hooks
from league.seasons.models import Round, RoundState, Season
from tests import factories
from tests.conftest import ClientFactory

KEY_POINTS = ["Acknowledge first", "Ask what they'd change"]


async def make_drill(team: Team, title: str = "Competitor objection") -> Drill:
    item = await factories.make_item(team, key_points=KEY_POINTS)
    return await factories.make_drill(
        team,
        title,
        items=[item],
        prompt="Your buyer says: we already use a competitor. 30 seconds.",
        rubric=default_rubric(),
    )


async def make_season(team: Team, now: datetime, blind: bool = True) -> Season:
    return await factories.make_season(
        team,
        starts_on=now.date(),
        round_count=6,
        time_zone="Europe/London",
        blind_reviews=blind,
    )


async def make_round(
    season: Season,
    drills: list[Drill],
    now: datetime,
    number: int = 1,
    state: RoundState = RoundState.REVIEWING,
) -> Round:
    """A round whose submissions closed an hour ago; reviews close in two days."""
    opens = now - timedelta(days=3) + timedelta(days=7 * (number - 1))
    return await factories.make_round(
        season,
        drills,
        opens_at=opens,
        number=number,
        state=state,
        submit_closes_at=opens + timedelta(days=3, hours=-1),
        review_closes_at=opens + timedelta(days=5),
        results_at=opens + timedelta(days=5, hours=4),
    )


async def enter_state(
    round_: Round, state: RoundState, app_services: dict[str, Any], now: datetime
) -> None:
    """Move a round to `state` and run the app's round hooks, as the season's job would."""
    round_.state = state
    await round_.save(update_fields=["state"])
    await run_round_hooks(round_, state, JobContext(now=now, services=app_services))


def review_form(
    scores: int | list[int] = 4,
    kudos: str = "Great opening question, very clear.",
    next_rep: str = "Slow down on the numbers.",
    heard: list[str] | None = None,
) -> dict[str, object]:
    criteria = [criterion["key"] for criterion in default_rubric()]
    values = scores if isinstance(scores, list) else [scores] * len(criteria)
    form: dict[str, object] = {
        f"score_{key}": str(value) for key, value in zip(criteria, values, strict=True)
    }
    form.update({"kudos": kudos, "next_rep": next_rep, "key_point": heard or [KEY_POINTS[0]]})
    return form


@dataclass
class League:
    """A team in review: four reps with one entry each, plus a non-submitting rep."""

    team: Team
    season: Season
    round: Round
    drill: Drill
    reps: list[Membership]
    entries: list[Entry]
    manager: Membership

    async def reviews_for(self, member: Membership) -> list[Review]:
        return await Review.filter(reviewer_id=member.id, is_judgement=False).order_by("id")

    async def review_of(self, reviewer: Membership) -> Review:
        return (await self.reviews_for(reviewer))[0]


@pytest.fixture
async def league(
    team: Team,
    rep: Membership,
    teammate: Membership,
    manager: Membership,
    app_services: dict[str, Any],
    clock: FrozenClock,
) -> League:
    now = clock.now()
    others = [await factories.make_member(team, Role.REP, name=name) for name in ("Sam", "Kim")]
    listener = await factories.make_member(team, Role.REP, name="Lee Listener")
    drill = await make_drill(team)
    season = await make_season(team, now)
    round_ = await make_round(season, [drill], now, state=RoundState.OPEN)
    reps = [rep, teammate, *others]
    entries = [
        await factories.make_entry(round_, member, now - timedelta(hours=5 - place), drill)
        for place, member in enumerate(reps)
    ]
    await enter_state(round_, RoundState.REVIEWING, app_services, now)
    round_ = await Round.get(id=round_.id).select_related("season")
    return League(team, season, round_, drill, [*reps, listener], entries, manager)


async def send_review(
    make_client: ClientFactory, reviewer: Membership, review: Review, **form: object
) -> httpx.Response:
    client = await make_client(reviewer)
    return await client.post(f"/reviews/{review.id}/submit", data=review_form(**form))  # type: ignore[arg-type]


async def review_everything(
    league: League,
    app_services: dict[str, Any],
    now: datetime,
    score: int = 4,
    round_: Round | None = None,
    scores_by_author: dict[int, int] | None = None,
) -> None:
    """Every assigned reviewer sends their reviews (through the service the form uses)."""
    round_ = round_ or league.round
    for review in await Review.filter(round_id=round_.id, is_judgement=False).order_by("id"):
        await review.fetch_related("round__season", "entry")
        author = review.entry.member_id  # type: ignore[attr-defined]
        value = (scores_by_author or {}).get(author, score)
        data = service.ReviewInput(
            scores={c["key"]: value for c in league.drill.rubric},
            kudos="Clear and confident, nice pace.",
        )
        await service.submit_review(
            review,
            data,
            league.drill.rubric,
            now,
            app_services["settings"],
            app_services["reactions"],
        )


async def publish(round_: Round, app_services: dict[str, Any], clock: FrozenClock) -> None:
    """Run the round through to results, moving the clock to each deadline."""
    clock.set(round_.review_closes_at)
    await enter_state(round_, RoundState.REVIEWS_CLOSED, app_services, clock.now())
    clock.set(round_.results_at)
    await enter_state(round_, RoundState.RESULTS, app_services, clock.now())
