"""The author marks a review helpful after results; it adds to the reviewer's points."""

from __future__ import annotations

from collections import Counter
from typing import Any

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.reactions import Reactions
from league.reviews import feedback
from league.reviews.models import Review
from league.settings import Settings
from league.standings.models import Award, RoundPoints, SeasonStanding
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, publish, review_everything


async def review_of_reps_clip(league: League) -> Review:
    review = await Review.filter(entry_id=league.entries[0].id, is_judgement=False).first()
    assert review is not None
    return review


async def test_it_marks_helpful_and_adds_points_to_the_season(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    review = await review_of_reps_clip(league)
    reviewer_id = review.reviewer_id  # type: ignore[attr-defined]
    before = (await SeasonStanding.get(season_id=league.season.id, member_id=reviewer_id)).points
    client = await make_client(league.reps[0])
    response = await client.post(f"/reviews/{review.id}/helpful", data={"helpful": "yes"})
    assert response.status_code == 303
    assert (await Review.get(id=review.id)).helpful is True
    points = await RoundPoints.get(round_id=league.round.id, member_id=reviewer_id)
    assert points.helpful == settings.points_per_helpful and points.is_final
    after = (await SeasonStanding.get(season_id=league.season.id, member_id=reviewer_id)).points
    assert after == before + settings.points_per_helpful
    await client.post(f"/reviews/{review.id}/helpful", data={"helpful": "no"})
    undone = (await SeasonStanding.get(season_id=league.season.id, member_id=reviewer_id)).points
    assert undone == before


async def test_it_waits_for_results(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    review = await review_of_reps_clip(league)
    response = await (await make_client(league.reps[0])).post(
        f"/reviews/{review.id}/helpful", data={"helpful": "yes"}
    )
    assert response.status_code == 409


async def test_only_the_author_may_mark_it(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    review = await review_of_reps_clip(league)
    response = await (await make_client(league.reps[1])).post(
        f"/reviews/{review.id}/helpful", data={"helpful": "yes"}
    )
    assert response.status_code == 404


async def test_it_hides_another_organisations_review(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    review = await review_of_reps_clip(league)
    response = await (await make_client(outsider)).post(f"/reviews/{review.id}/helpful", data={})
    assert response.status_code == 404


async def test_it_rejects_get(league: League, make_client: ClientFactory) -> None:
    review = await review_of_reps_clip(league)
    response = await (await make_client(league.reps[0])).get(f"/reviews/{review.id}/helpful")
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    review = await review_of_reps_clip(league)
    response = await (await make_client(None)).post(f"/reviews/{review.id}/helpful", data={})
    assert response.status_code == 303


async def test_htmx_gets_the_button_back(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    review = await review_of_reps_clip(league)
    response = await (await make_client(league.reps[0])).post(
        f"/reviews/{review.id}/helpful", data={"helpful": "yes"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'aria-pressed="true"' in response.text


async def test_helpful_marks_count_toward_best_reviewer(
    league: League,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
    reactions: Reactions,
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    given = Counter(
        await Review.filter(round_id=league.round.id, is_judgement=False).values_list(
            "reviewer_id", flat=True
        )
    )
    fewest = min(given, key=lambda reviewer: (given[reviewer], reviewer))
    assert given[fewest] < max(given.values())  # not best reviewer at results
    best = await Award.get(round_id=league.round.id, category="best_reviewer", rank=1)
    assert best.member_id != fewest  # type: ignore[attr-defined]
    for review in await Review.filter(reviewer_id=fewest).select_related("round"):
        await feedback.mark_helpful(review, True, settings, reactions)
    best = await Award.get(round_id=league.round.id, category="best_reviewer", rank=1)
    assert best.member_id == fewest  # type: ignore[attr-defined]
