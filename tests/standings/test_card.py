"""A member's season card: place, points, personal best, badges, scores by skill."""

from __future__ import annotations

from typing import Any

import httpx

from league.accounts.models import Membership
from league.seasons.models import RoundState
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, enter_state, send_review
from tests.reviews.conftest import league as league  # noqa: F401 - shared fixture


async def finish_with_reviews(
    league: League, make_client: ClientFactory, app_services: dict[str, Any]
) -> None:
    for reviewer in league.reps[:4]:
        for review in await league.reviews_for(reviewer):
            await send_review(make_client, reviewer, review, scores=4)
    await enter_state(league.round, RoundState.REVIEWS_CLOSED, app_services, league.round.opens_at)
    await enter_state(league.round, RoundState.RESULTS, app_services, league.round.results_at)


async def test_it_shows_a_teammates_season(
    league: League, make_client: ClientFactory, settings: Settings, app_services: dict[str, Any]
) -> None:
    await finish_with_reviews(league, make_client, app_services)
    subject = league.reps[1]
    page = await (await make_client(league.reps[0])).get(f"/standings/members/{subject.id}")
    assert page.status_code == 200
    assert subject.user.name in page.text
    assert "Rounds played" in page.text and "Personal best" in page.text
    assert "Clarity" in page.text  # a rubric criterion, scored
    assert "Round 1" in page.text
    assert "badge" in page.text


async def test_it_shows_an_empty_card_before_any_season(
    rep: Membership, teammate: Membership, make_client: ClientFactory
) -> None:
    page = await (await make_client(rep)).get(f"/standings/members/{teammate.id}")
    assert page.status_code == 200
    assert "appears when a season starts" in page.text


async def test_another_organisations_member_is_not_found(
    rep: Membership, outsider: Membership, make_client: ClientFactory
) -> None:
    response = await (await make_client(rep)).get(f"/standings/members/{outsider.id}")
    assert response.status_code == 404


async def test_it_needs_signing_in_and_a_get(
    client: httpx.AsyncClient, rep: Membership, make_client: ClientFactory
) -> None:
    response = await client.get(f"/standings/members/{rep.id}")
    assert response.status_code == 303
    assert (await (await make_client(rep)).post(f"/standings/members/{rep.id}")).status_code == 405


async def test_it_sends_the_card_fragment_to_htmx(
    rep: Membership, make_client: ClientFactory
) -> None:
    response = await (await make_client(rep)).get(
        f"/standings/members/{rep.id}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="season-card"' in response.text
