"""After results the author reads their reviews; before results there is nothing to read."""

from __future__ import annotations

from typing import Any

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.reviews.models import Review
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, publish, review_everything


async def test_it_shows_scores_kudos_and_next_reps_after_results(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    author = league.reps[0]
    response = await (await make_client(author)).get(f"/feedback/rounds/{league.round.id}")
    assert response.status_code == 200
    assert "4.0</strong> / 5" in response.text
    assert response.text.count("Clear and confident, nice pace.") == 3
    assert "Clarity" in response.text and "Mark helpful" in response.text
    assert "bottom" not in response.text.lower()


async def test_it_celebrates_a_personal_best(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    from tests.reviews.test_results import play_second_round

    second = await play_second_round(league, app_services, clock, scores={league.reps[0].id: 5})
    response = await (await make_client(league.reps[0])).get(f"/feedback/rounds/{second.id}")
    assert "Personal best!" in response.text
    assert "Most improved this round" in response.text


async def test_it_waits_for_results(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.reps[0])).get(f"/feedback/rounds/{league.round.id}")
    assert response.status_code == 200
    assert "Your reviews arrive with the results" in response.text
    assert "Kudos:" not in response.text


async def test_feedback_home_opens_the_latest_results(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    client = await make_client(league.reps[0])
    assert "After a round's results" in (await client.get("/feedback")).text
    await publish(league.round, app_services, clock)
    response = await client.get("/feedback")
    assert response.headers["location"] == f"/feedback/rounds/{league.round.id}"


async def test_it_hides_another_organisations_round(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    response = await (await make_client(outsider)).get(f"/feedback/rounds/{league.round.id}")
    assert response.status_code == 404


async def test_it_rejects_post(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.reps[0])).post(f"/feedback/rounds/{league.round.id}")
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(None)).get(f"/feedback/rounds/{league.round.id}")
    assert response.status_code == 303


async def test_it_returns_a_fragment_to_htmx(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    response = await (await make_client(league.reps[0])).get(
        f"/feedback/rounds/{league.round.id}", headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text and "Your feedback" in response.text


async def test_reviews_of_others_are_not_shown(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    one = await Review.filter(entry_id=league.entries[1].id).first()
    assert one is not None
    one.kudos = "A note only for the teammate"
    await one.save()
    await publish(league.round, app_services, clock)
    response = await (await make_client(league.reps[0])).get(f"/feedback/rounds/{league.round.id}")
    assert "A note only for the teammate" not in response.text
