"""Sending a review: validation, the next clip, edits until the deadline, scores updated."""

from __future__ import annotations

from datetime import timedelta

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.standings.models import RoundPoints
from tests.conftest import ClientFactory
from tests.reviews.conftest import KEY_POINTS, League, review_form


async def test_it_sends_the_review_and_opens_the_next_clip(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    first, second, *_ = await league.reviews_for(reviewer)
    client = await make_client(reviewer)
    response = await client.post(
        f"/reviews/{first.id}/submit", data=review_form(scores=[4, 3, 5, 4, 2])
    )  # type: ignore[arg-type]
    assert response.status_code == 303
    assert response.headers["location"] == f"/reviews/{second.id}?sent={first.id}"
    # The next clip opens with the acknowledgement: peer reviews only, and what it earned.
    assigned = len(await league.reviews_for(reviewer))
    next_page = (await client.get(response.headers["location"])).text
    assert f"Sent, 1 of {assigned} done</strong>, <strong>+3 points</strong>" in next_page
    saved = await Review.get(id=first.id)
    assert saved.status == ReviewStatus.SUBMITTED
    assert saved.scores == {
        "clarity": 4,
        "concision": 3,
        "key_points": 5,
        "confidence": 4,
        "ends_with_question": 2,
    }
    assert saved.key_points_heard == [KEY_POINTS[0]]
    assert saved.kudos.startswith("Great opening")
    score = await EntryScore.get(entry_id=saved.entry_id)  # type: ignore[attr-defined]
    assert score.review_count == 1 and score.is_provisional and score.score is not None


async def test_the_last_review_goes_back_to_the_queue(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    client = await make_client(reviewer)
    reviews = await league.reviews_for(reviewer)
    for review in reviews:
        response = await client.post(f"/reviews/{review.id}/submit", data=review_form())  # type: ignore[arg-type]
    assert response.headers["location"] == f"/reviews?sent={reviews[-1].id}"
    queue = (await client.get(response.headers["location"])).text
    assert f"Sent, {len(reviews)} of {len(reviews)} done" in queue


async def test_a_judgement_is_not_counted_as_a_peer_review(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    first, *_ = await league.reviews_for(reviewer)
    await Review.create(
        team_id=league.team.id,
        round_id=league.round.id,
        entry_id=first.entry_id,  # type: ignore[attr-defined]
        reviewer_id=league.manager.id,
        is_judgement=True,
        status=ReviewStatus.SUBMITTED,
    )
    client = await make_client(reviewer)
    response = await client.post(f"/reviews/{first.id}/submit", data=review_form())  # type: ignore[arg-type]
    page = (await client.get(response.headers["location"])).text
    assigned = len(await league.reviews_for(reviewer))
    assert f"Sent, 1 of {assigned} done" in page


async def test_a_short_kudos_is_sent_without_points(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    first, *_ = await league.reviews_for(reviewer)
    client = await make_client(reviewer)
    response = await client.post(f"/reviews/{first.id}/submit", data=review_form(kudos="Nice one!"))  # type: ignore[arg-type]
    page = (await client.get(response.headers["location"])).text
    assert "Sent, 1 of" in page and "+3 points" not in page
    assert "A longer kudos would count for points." in page


async def test_someone_elses_sent_review_is_not_acknowledged(
    league: League, make_client: ClientFactory
) -> None:
    other = league.reps[1]
    theirs = await league.review_of(other)
    await (await make_client(other)).post(f"/reviews/{theirs.id}/submit", data=review_form())  # type: ignore[arg-type]
    mine = await league.review_of(league.reps[0])
    client = await make_client(league.reps[0])
    page = await client.get(f"/reviews/{mine.id}?sent={theirs.id}")
    assert page.status_code == 200 and "data-moment" not in page.text
    assert (await client.get("/reviews?sent=banana")).status_code == 200


async def test_it_keeps_provisional_points_up_to_date(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    await (await make_client(reviewer)).post(f"/reviews/{review.id}/submit", data=review_form())  # type: ignore[arg-type]
    points = await RoundPoints.get(round_id=league.round.id, member_id=reviewer.id)
    assert points.reviewing == 3 and not points.is_final and points.is_provisional


async def test_it_asks_for_every_score_and_a_kudos_keeping_what_was_typed(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    form = review_form(kudos="")
    del form["score_clarity"]
    form["next_rep"] = "Try a shorter opener"
    response = await (await make_client(reviewer)).post(f"/reviews/{review.id}/submit", data=form)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert "Tap a score for Clarity" in response.text
    assert "Try a shorter opener" in response.text
    assert (await Review.get(id=review.id)).status == ReviewStatus.ASSIGNED


async def test_it_refuses_a_score_outside_one_to_five(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    form = review_form()
    form["score_clarity"] = "9"
    response = await (await make_client(league.reps[0])).post(
        f"/reviews/{review.id}/submit", data=form
    )  # type: ignore[arg-type]
    assert response.status_code == 422
    assert "go from 1 to 5" in response.text


async def test_it_allows_edits_until_the_deadline(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    client = await make_client(reviewer)
    await client.post(f"/reviews/{review.id}/submit", data=review_form(scores=3))  # type: ignore[arg-type]
    first_sent = (await Review.get(id=review.id)).submitted_at
    response = await client.post(f"/reviews/{review.id}/submit", data=review_form(scores=5))  # type: ignore[arg-type]
    assert response.status_code == 303
    saved = await Review.get(id=review.id)
    assert set(saved.scores.values()) == {5}
    assert saved.submitted_at == first_sent


async def test_it_refuses_after_the_deadline_and_says_when_it_was(
    league: League, make_client: ClientFactory, clock: FrozenClock
) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    clock.set(league.round.review_closes_at + timedelta(minutes=1))
    response = await (await make_client(reviewer)).post(
        f"/reviews/{review.id}/submit", data=review_form()
    )  # type: ignore[arg-type]
    assert response.status_code == 409
    local = league.round.review_closes_at.strftime("%d %b %H:%M")  # London is on GMT in March
    assert "closed on" in response.text and local in response.text
    assert (await Review.get(id=review.id)).status == ReviewStatus.ASSIGNED


async def test_it_refuses_someone_elses_review(league: League, make_client: ClientFactory) -> None:
    review = await league.review_of(league.reps[1])
    response = await (await make_client(league.reps[0])).post(
        f"/reviews/{review.id}/submit", data=review_form()
    )  # type: ignore[arg-type]
    assert response.status_code == 404
    assert (await Review.get(id=review.id)).status == ReviewStatus.ASSIGNED


async def test_it_refuses_another_organisation(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(outsider)).post(
        f"/reviews/{review.id}/submit", data=review_form()
    )  # type: ignore[arg-type]
    assert response.status_code == 404


async def test_it_rejects_get(league: League, make_client: ClientFactory) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(league.reps[0])).get(f"/reviews/{review.id}/submit")
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(None)).post(
        f"/reviews/{review.id}/submit", data=review_form()
    )  # type: ignore[arg-type]
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_htmx_gets_a_redirect_header(league: League, make_client: ClientFactory) -> None:
    reviews = await league.reviews_for(league.reps[0])
    client = await make_client(league.reps[0])
    response = await client.post(
        f"/reviews/{reviews[0].id}/submit",
        data=review_form(),
        headers={"HX-Request": "true"},  # type: ignore[arg-type]
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/reviews/{reviews[1].id}?sent={reviews[0].id}"


async def test_htmx_gets_the_form_fragment_with_the_message(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    client = await make_client(league.reps[0])
    response = await client.post(
        f"/reviews/{review.id}/submit",
        data=review_form(kudos=""),
        headers={"HX-Request": "true"},  # type: ignore[arg-type]
    )
    assert response.status_code == 422
    assert "<html" not in response.text and "Write one kudos" in response.text
