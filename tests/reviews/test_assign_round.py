"""Assignment when submissions close: through the round hook, idempotent, reps only."""

from __future__ import annotations

from collections import Counter
from typing import Any

from league.accounts.models import Role
from league.clock import FrozenClock
from league.reviews import reviewers
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.seasons.models import RoundState
from league.settings import Settings
from tests import factories
from tests.reviews.conftest import League, enter_state


async def test_it_assigns_three_reviewers_per_entry_when_submissions_close(league: League) -> None:
    reviews = await Review.filter(round_id=league.round.id).select_related("entry")
    per_entry = Counter(review.entry_id for review in reviews)  # type: ignore[attr-defined]
    assert sorted(per_entry.values()) == [3, 3, 3, 3]
    assert all(review.reviewer_id != review.entry.member_id for review in reviews)  # type: ignore[attr-defined]
    assert all(review.status == ReviewStatus.ASSIGNED for review in reviews)


async def test_the_rep_who_did_not_submit_still_reviews(league: League) -> None:
    listener = league.reps[-1]
    assert len(await league.reviews_for(listener)) >= 2


async def test_managers_judge_instead_of_reviewing(league: League) -> None:
    assert await Review.filter(reviewer_id=league.manager.id).count() == 0


async def test_running_it_again_changes_nothing(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    before = list(
        await Review.filter(round_id=league.round.id)
        .order_by("id")
        .values_list("id", "entry_id", "reviewer_id")
    )
    await factories.make_member(league.team, Role.REP, name="Late Joiner")
    assert await reviewers.assign_round(league.round.id, settings.reviewers_per_entry) == 0
    await enter_state(league.round, RoundState.REVIEWING, app_services, clock.now())
    after = list(
        await Review.filter(round_id=league.round.id)
        .order_by("id")
        .values_list("id", "entry_id", "reviewer_id")
    )
    assert after == before


async def test_every_entry_starts_provisional(league: League) -> None:
    scores = await EntryScore.filter(round_id=league.round.id)
    assert len(scores) == 4
    assert all(score.is_provisional and score.score is None for score in scores)
    assert all(score.required_reviews == 3 for score in scores)
