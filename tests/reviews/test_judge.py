"""Judging an entry: the same form, saved as a judgement that anchors the scores."""

from __future__ import annotations

from datetime import timedelta

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.reviews.models import EntryScore, Review, ReviewStatus
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, review_form

HTMX = {"HX-Request": "true"}


async def test_it_shows_the_form_with_the_authors_name(
    league: League, make_client: ClientFactory
) -> None:
    entry = league.entries[0]
    response = await (await make_client(league.manager)).get(f"/judging/entries/{entry.id}")
    assert response.status_code == 200
    assert league.reps[0].user.name in response.text
    assert "Save judgement" in response.text


async def test_it_saves_a_judgement_that_counts_toward_the_score(
    league: League, make_client: ClientFactory
) -> None:
    entry = league.entries[0]
    client = await make_client(league.manager)
    response = await client.post(f"/judging/entries/{entry.id}/submit", data=review_form(scores=2))  # type: ignore[arg-type]
    assert response.status_code == 303
    assert response.headers["location"] == f"/judging/rounds/{league.round.id}"
    judgement = await Review.get(entry_id=entry.id, reviewer_id=league.manager.id)
    assert judgement.is_judgement and judgement.status == ReviewStatus.SUBMITTED
    score = await EntryScore.get(entry_id=entry.id)
    # The judgement makes the score; it is not one of the peer reviews the count shows.
    assert score.score == 2.0 and score.review_count == 0 and score.is_provisional
    again = await client.post(f"/judging/entries/{entry.id}/submit", data=review_form(scores=3))  # type: ignore[arg-type]
    assert again.status_code == 303
    assert await Review.filter(entry_id=entry.id, reviewer_id=league.manager.id).count() == 1


async def test_it_saves_judgement_drafts(league: League, make_client: ClientFactory) -> None:
    entry = league.entries[1]
    response = await (await make_client(league.manager)).post(
        f"/judging/entries/{entry.id}/draft", data={"score_clarity": "4"}, headers=HTMX
    )
    assert response.status_code == 200 and "Draft saved" in response.text
    draft = await Review.get(entry_id=entry.id, reviewer_id=league.manager.id)
    assert draft.status == ReviewStatus.DRAFT and draft.scores == {"clarity": 4}


async def test_it_refuses_judging_after_results_time(
    league: League, make_client: ClientFactory, clock: FrozenClock
) -> None:
    clock.set(league.round.results_at + timedelta(minutes=1))
    response = await (await make_client(league.manager)).post(
        f"/judging/entries/{league.entries[0].id}/submit",
        data=review_form(),  # type: ignore[arg-type]
    )
    assert response.status_code == 409
    assert "Judging for round 1 closed" in response.text


async def test_reps_may_not_judge(league: League, make_client: ClientFactory) -> None:
    client = await make_client(league.reps[1])
    assert (await client.get(f"/judging/entries/{league.entries[0].id}")).status_code == 403
    response = await client.post(
        f"/judging/entries/{league.entries[0].id}/submit", data=review_form()
    )  # type: ignore[arg-type]
    assert response.status_code == 403


async def test_it_hides_another_organisations_entry(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    client = await make_client(outsider)
    assert (await client.get(f"/judging/entries/{league.entries[0].id}")).status_code == 404
    response = await client.post(f"/judging/entries/{league.entries[0].id}/draft", data={})
    assert response.status_code == 404


async def test_it_rejects_the_wrong_methods(league: League, make_client: ClientFactory) -> None:
    client = await make_client(league.manager)
    entry_id = league.entries[0].id
    assert (await client.post(f"/judging/entries/{entry_id}")).status_code == 405
    assert (await client.get(f"/judging/entries/{entry_id}/submit")).status_code == 405
    assert (await client.get(f"/judging/entries/{entry_id}/draft")).status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    client = await make_client(None)
    assert (await client.get(f"/judging/entries/{league.entries[0].id}")).status_code == 303
    response = await client.post(f"/judging/entries/{league.entries[0].id}/submit", data={})
    assert response.status_code == 303


async def test_it_returns_fragments_to_htmx(league: League, make_client: ClientFactory) -> None:
    client = await make_client(league.manager)
    page = await client.get(f"/judging/entries/{league.entries[0].id}", headers=HTMX)
    assert "<html" not in page.text and 'id="review-form"' in page.text
    sent = await client.post(
        f"/judging/entries/{league.entries[0].id}/submit",
        data=review_form(),
        headers=HTMX,  # type: ignore[arg-type]
    )
    assert sent.status_code == 204 and sent.headers["HX-Redirect"].startswith("/judging/rounds/")
