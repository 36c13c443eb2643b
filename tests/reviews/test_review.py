"""Opening a review: the form, blind by default, only for its reviewer."""

from __future__ import annotations

from league.accounts.models import Membership
from league.reviews.models import Review
from tests.conftest import ClientFactory
from tests.reviews.conftest import KEY_POINTS, League


async def author_of(review: Review) -> str:
    await review.fetch_related("entry__member__user")
    return review.entry.member.user.name


async def test_it_shows_the_form_with_every_level_and_key_point(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    response = await (await make_client(reviewer)).get(f"/reviews/{review.id}")
    assert response.status_code == 200
    for criterion in league.drill.rubric:
        assert criterion["name"] in response.text
        for level in criterion["levels"]:
            assert level.replace("'", "&#39;") in response.text
    assert KEY_POINTS[0] in response.text
    await review.fetch_related("entry")
    assert f'src="/clips/{review.entry.take_id}/media"' in response.text  # type: ignore[attr-defined]
    assert 'hx-trigger="change from:closest form delay:500ms' in response.text


async def test_it_hides_the_author_while_blind(league: League, make_client: ClientFactory) -> None:
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    response = await (await make_client(reviewer)).get(f"/reviews/{review.id}")
    assert await author_of(review) not in response.text
    assert "Clip 1" in response.text


async def test_it_shows_the_author_when_the_season_is_not_blind(
    league: League, make_client: ClientFactory
) -> None:
    league.season.blind_reviews = False
    await league.season.save()
    reviewer = league.reps[0]
    review = await league.review_of(reviewer)
    response = await (await make_client(reviewer)).get(f"/reviews/{review.id}")
    assert await author_of(review) in response.text


async def test_it_hides_a_review_assigned_to_someone_else(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[1])
    response = await (await make_client(league.reps[0])).get(f"/reviews/{review.id}")
    assert response.status_code == 404


async def test_it_refuses_a_review_of_ones_own_clip(
    league: League, make_client: ClientFactory
) -> None:
    # Assignment never does this; a rep who moved teams or a hand-made row must not work.
    author = league.reps[0]
    own = await Review.create(
        team=league.team, round=league.round, entry=league.entries[0], reviewer=author
    )
    response = await (await make_client(author)).get(f"/reviews/{own.id}")
    assert response.status_code == 403
    assert "your own clip" in response.text


async def test_it_hides_reviews_from_another_organisation(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(outsider)).get(f"/reviews/{review.id}")
    assert response.status_code == 404


async def test_it_rejects_post(league: League, make_client: ClientFactory) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(league.reps[0])).post(f"/reviews/{review.id}")
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    response = await (await make_client(None)).get(f"/reviews/{review.id}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_returns_the_form_fragment_to_htmx(
    league: League, make_client: ClientFactory
) -> None:
    review = await league.review_of(league.reps[0])
    client = await make_client(league.reps[0])
    response = await client.get(f"/reviews/{review.id}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="review-form"' in response.text
