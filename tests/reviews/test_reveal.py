"""Managers may reveal who reviewed whom; reps may not."""

from __future__ import annotations

from league.accounts.models import Membership
from tests.conftest import ClientFactory
from tests.reviews.conftest import League


async def test_it_shows_reviewer_and_author_names(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(league.manager)).get(
        f"/judging/rounds/{league.round.id}/reveal"
    )
    assert response.status_code == 200
    assert f'reveal-reviewer">{league.reps[-1].user.name} ' in response.text
    assert response.text.count('class="reveal-row"') == 12
    assert response.text.count('class="card reveal-group"') == 5  # every rep reviews


async def test_reps_may_not_see_it(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.reps[0])).get(
        f"/judging/rounds/{league.round.id}/reveal"
    )
    assert response.status_code == 403


async def test_it_hides_another_organisations_round(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    response = await (await make_client(outsider)).get(f"/judging/rounds/{league.round.id}/reveal")
    assert response.status_code == 404


async def test_it_rejects_post(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).post(
        f"/judging/rounds/{league.round.id}/reveal"
    )
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(None)).get(f"/judging/rounds/{league.round.id}/reveal")
    assert response.status_code == 303


async def test_it_returns_a_fragment_to_htmx(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).get(
        f"/judging/rounds/{league.round.id}/reveal", headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text and "Who reviewed whom" in response.text
