"""Drafts save as the reviewer goes and survive a reload."""

from __future__ import annotations

import re
from datetime import timedelta

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.reviews.models import Review, ReviewStatus
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, review_form

HTMX = {"HX-Request": "true"}


async def test_it_saves_a_partial_draft_that_survives_a_reload(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    client = await make_client(reviewer)
    response = await client.post(
        f"/reviews/{review.id}/draft",
        data={"score_clarity": "2", "kudos": "Loved the pause before the question"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Draft saved" in response.text and "<html" not in response.text
    saved = await Review.get(id=review.id)
    assert saved.status == ReviewStatus.DRAFT and saved.scores == {"clarity": 2}
    page = await client.get(f"/reviews/{review.id}")
    assert "Loved the pause before the question" in page.text
    assert re.search(r'name="score_clarity" value="2"\s+checked', page.text)


async def test_a_plain_post_redirects_back_to_the_form(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(league.reps[0])).post(
        f"/reviews/{review.id}/draft", data={"kudos": "Nice"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/reviews/{review.id}"


async def test_it_does_not_turn_a_sent_review_back_into_a_draft(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    client = await make_client(league.reps[0])
    await client.post(f"/reviews/{review.id}/submit", data=review_form())  # type: ignore[arg-type]
    response = await client.post(f"/reviews/{review.id}/draft", data={"kudos": ""}, headers=HTMX)
    assert response.status_code == 409
    assert (await Review.get(id=review.id)).status == ReviewStatus.SUBMITTED


async def test_it_refuses_drafts_after_the_deadline(
    league: League, make_client: ClientFactory, clock: FrozenClock
) -> None:
    review = await league.review_of(league.reps[0])
    clock.set(league.round.review_closes_at + timedelta(seconds=1))
    response = await (await make_client(league.reps[0])).post(
        f"/reviews/{review.id}/draft", data={"kudos": "late"}, headers=HTMX
    )
    assert response.status_code == 409


async def test_it_hides_other_peoples_reviews(league: League, make_client: ClientFactory) -> None:
    review = await league.review_of(league.reps[1])
    response = await (await make_client(league.reps[0])).post(
        f"/reviews/{review.id}/draft", data={"kudos": "x"}
    )
    assert response.status_code == 404


async def test_it_hides_another_organisations_reviews(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(outsider)).post(f"/reviews/{review.id}/draft", data={})
    assert response.status_code == 404


async def test_it_rejects_get(league: League, make_client: ClientFactory) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(league.reps[0])).get(f"/reviews/{review.id}/draft")
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(None)).post(f"/reviews/{review.id}/draft", data={})
    assert response.status_code == 303
