"""The activity feed: submissions, reviews done, personal bests and streaks; never a miss."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from league.clips.service import withdraw_entry
from league.clock import FrozenClock
from league.live.activity import personal_best_activity
from league.reactions import Reactions
from league.seasons.models import Round, RoundState
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.factories import make_entry
from tests.reviews.conftest import (
    League,
    enter_state,
    make_round,
    publish,
    review_everything,
    send_review,
)

NEGATIVE_WORDS = ("withdr", "missed", "late", "no entry", "didn't", "did not", "behind")


def feed_of(page: str) -> str:
    return page.split('id="live-activity"', 1)[1].split("</section>", 1)[0]


async def test_it_shows_submissions_and_reviews_done_but_never_a_withdrawal(
    league: League, make_client: ClientFactory, clock: FrozenClock, reactions: Reactions
) -> None:
    withdrawn = league.entries[3]
    await withdraw_entry(withdrawn, clock.now(), reactions)
    reviewer = league.reps[0]
    await send_review(make_client, reviewer, await league.review_of(reviewer))
    feed = feed_of((await (await make_client(league.reps[2])).get("/standings")).text)
    for member in league.reps[:3]:
        assert f"{member.user.name} submitted {league.drill.title}" in feed
    assert f"{reviewer.user.name} has done 1 review" in feed
    assert league.reps[3].user.name not in feed  # withdrew: simply not there
    assert league.reps[4].user.name not in feed  # never submitted: nothing said
    assert not any(word in feed.lower() for word in NEGATIVE_WORDS)


async def test_it_celebrates_a_personal_best_once_results_are_out(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    climber, steady = league.reps[0], league.reps[1]
    scores = {climber.id: 2, steady.id: 5}
    await review_everything(league, app_services, clock.now(), scores_by_author=scores)
    await publish(league.round, app_services, clock)
    second = await make_round(league.season, [league.drill], clock.now(), 2, RoundState.OPEN)
    for member in league.reps[:4]:
        await make_entry(second, member, clock.now() + timedelta(minutes=5), league.drill)
    await enter_state(second, RoundState.REVIEWING, app_services, clock.now())
    scores = {climber.id: 5, steady.id: 3}
    await review_everything(
        league, app_services, clock.now(), round_=second, scores_by_author=scores
    )
    feed = feed_of((await (await make_client(league.reps[3])).get("/standings")).text)
    assert "Personal best" not in feed  # not before the round's results
    await publish(second, app_services, clock)
    feed = feed_of((await (await make_client(league.reps[3])).get("/standings")).text)
    assert f"Personal best for {climber.user.name}" in feed
    assert f"Personal best for {steady.user.name}" not in feed
    assert not any(word in feed.lower() for word in NEGATIVE_WORDS)


def test_it_shouts_about_streaks_of_three_rounds_or_more() -> None:
    round_ = Round(number=3, results_at=datetime(2025, 1, 1, tzinfo=UTC))
    rows = [(1, "Ana", 3.2, 3), (2, "Ben", 4.0, 2)]
    best_before = {1: 3.5}  # Ana's best so far; Ben's first scored round
    texts = [item.text for item in personal_best_activity(round_, rows, best_before)]
    assert texts == ["Ana is on a 3-round streak"]
