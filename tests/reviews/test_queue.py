"""The reviewer's queue: how many clips, when they're due, no names while blind."""

from __future__ import annotations

from league.accounts.models import Membership
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, review_form


async def test_it_counts_the_clips_and_shows_the_deadline(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    count = len(await league.reviews_for(reviewer))
    response = await (await make_client(reviewer)).get("/reviews")
    assert response.status_code == 200
    due = league.round.review_closes_at.strftime("%A %H:%M")  # "Friday 12:00"; London is GMT
    assert f"{count} clips to review, due {due}" in response.text


async def test_it_marks_sent_reviews_and_counts_down(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    reviews = await league.reviews_for(reviewer)
    client = await make_client(reviewer)
    await client.post(f"/reviews/{reviews[0].id}/submit", data=review_form())  # type: ignore[arg-type]
    response = await client.get("/reviews")
    assert f"{len(reviews) - 1} clip" in response.text
    assert "Sent" in response.text


async def test_it_says_when_everything_is_sent(league: League, make_client: ClientFactory) -> None:
    reviewer = league.reps[0]
    reviews = await league.reviews_for(reviewer)
    client = await make_client(reviewer)
    for review in reviews:
        await client.post(f"/reviews/{review.id}/submit", data=review_form())  # type: ignore[arg-type]
    response = await client.get("/reviews")
    assert f"All {len(reviews)} reviews sent" in response.text
    assert "0 clips" not in response.text
    due = league.round.review_closes_at.strftime("%A %H:%M")
    assert f"You can change a review until {due}" in response.text


async def test_it_hides_authors_while_blind(league: League, make_client: ClientFactory) -> None:
    reviewer = league.reps[-1]  # reviews clips by several teammates
    response = await (await make_client(reviewer)).get("/reviews")
    for author in league.reps[:4]:
        assert author.user.name not in response.text
    assert "Clip 1" in response.text


async def test_it_is_empty_for_someone_with_nothing_to_review(
    make_client: ClientFactory, outsider: Membership
) -> None:
    response = await (await make_client(outsider)).get("/reviews")
    assert response.status_code == 200
    assert "No clips to review right now" in response.text


async def test_it_rejects_post(make_client: ClientFactory, rep: Membership) -> None:
    assert (await (await make_client(rep)).post("/reviews")).status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(make_client: ClientFactory) -> None:
    response = await (await make_client(None)).get("/reviews")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_returns_a_fragment_to_htmx(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.reps[0])).get(
        "/reviews", headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text and "to review" in response.text


async def test_a_withdrawn_entry_leaves_the_queue(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[-1]
    reviews = await league.reviews_for(reviewer)
    await reviews[0].fetch_related("entry")
    reviews[0].entry.withdrawn_at = league.round.submit_closes_at
    await reviews[0].entry.save()
    client = await make_client(reviewer)
    response = await client.get("/reviews")
    assert f"{len(reviews) - 1} clip" in response.text
    assert (await client.get(f"/reviews/{reviews[0].id}")).status_code == 404
