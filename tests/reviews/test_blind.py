"""Managers turn blind reviews off (or back on) for a season; reviewers see names or not."""

from __future__ import annotations

from league.accounts.models import Membership
from league.seasons.models import Season
from tests.conftest import ClientFactory
from tests.reviews.conftest import League

HTMX = {"HX-Request": "true"}


async def author_name(league: League, reviewer: Membership) -> str:
    review = await league.review_of(reviewer)
    await review.fetch_related("entry__member__user")
    return str(review.entry.member.user.name)


async def test_the_judging_page_offers_the_switch(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(league.manager)).get(f"/judging/rounds/{league.round.id}")
    assert "Blind reviews are on" in response.text
    assert f'action="/judging/seasons/{league.season.id}/blind"' in response.text
    assert "Show names to reviewers" in response.text


async def test_turning_it_off_shows_reviewers_whose_clip_it_is(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    name = await author_name(league, reviewer)
    rep = await make_client(reviewer)
    assert name not in (await rep.get(f"/reviews/{review.id}")).text
    manager = await make_client(league.manager)
    response = await manager.post(
        f"/judging/seasons/{league.season.id}/blind", data={"blind": "off"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/judging"
    assert (await Season.get(id=league.season.id)).blind_reviews is False
    assert name in (await rep.get(f"/reviews/{review.id}")).text
    assert name in (await rep.get("/reviews")).text
    await manager.post(f"/judging/seasons/{league.season.id}/blind", data={"blind": "on"})
    assert (await Season.get(id=league.season.id)).blind_reviews is True
    assert name not in (await rep.get(f"/reviews/{review.id}")).text


async def test_htmx_gets_the_switch_back(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).post(
        f"/judging/seasons/{league.season.id}/blind", data={"blind": "off"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Blind reviews are off" in response.text and "Hide names until results" in response.text


async def test_reps_may_not_change_it(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.reps[0])).post(
        f"/judging/seasons/{league.season.id}/blind", data={"blind": "off"}
    )
    assert response.status_code == 403
    assert (await Season.get(id=league.season.id)).blind_reviews is True


async def test_it_hides_another_organisations_season(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    response = await (await make_client(outsider)).post(
        f"/judging/seasons/{league.season.id}/blind", data={"blind": "off"}
    )
    assert response.status_code == 404
    assert (await Season.get(id=league.season.id)).blind_reviews is True


async def test_it_rejects_get(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).get(
        f"/judging/seasons/{league.season.id}/blind"
    )
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(None)).post(
        f"/judging/seasons/{league.season.id}/blind", data={"blind": "off"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")
