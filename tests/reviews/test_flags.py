"""Flags for the manager: flat raters, very short kudos, mutual top marks."""

from __future__ import annotations

from league.reviews.flags import FlagKind, ReviewFacts, find_flags, is_short_text, score_range
from league.reviews.models import Review, ReviewStatus
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, review_form

KUDOS = "Your opening question was spot on."


def review(
    review_id: int, reviewer: int, author: int, scores: list[int], kudos: str = KUDOS
) -> ReviewFacts:
    return ReviewFacts(
        review_id, reviewer, author, *score_range(scores_of(scores)), is_short_text(kudos)
    )


def scores_of(values: list[int]) -> dict[str, int]:
    return dict(zip("abc", values, strict=True))


def kinds(reviews: list[ReviewFacts]) -> list[tuple[FlagKind, tuple[int, ...]]]:
    return [(flag.kind, flag.member_ids) for flag in find_flags(reviews)]


def test_it_flags_the_same_score_on_everything_for_every_clip() -> None:
    flat = [review(1, 7, 1, [4, 4, 4]), review(2, 7, 2, [4, 4, 4])]
    varied = [review(3, 8, 1, [4, 4, 4]), review(4, 8, 2, [3, 4, 4])]
    assert kinds(flat + varied) == [(FlagKind.FLAT_RATER, (7,))]


def test_one_flat_review_is_not_a_pattern() -> None:
    assert kinds([review(1, 7, 1, [3, 3, 3])]) == []


def test_it_flags_empty_and_very_short_kudos() -> None:
    flags = kinds([review(1, 7, 1, [4, 3, 2], kudos=""), review(2, 8, 1, [4, 3, 2], kudos="good")])
    assert flags == [(FlagKind.SHORT_TEXT, (7,)), (FlagKind.SHORT_TEXT, (8,))]


def test_punctuation_and_emoji_are_not_a_kudos() -> None:
    padded = [review(1, 7, 1, [4, 3, 2], kudos="!!!!!!!!!!!!!!!!!!!! 👍👍👍 ...")]
    assert kinds(padded) == [(FlagKind.SHORT_TEXT, (7,))]
    assert kinds([review(2, 8, 1, [4, 3, 2], kudos="Nice pause, then a sharp question")]) == []


def test_it_flags_pairs_who_always_give_each_other_top_marks() -> None:
    reviews = [
        review(1, 7, 8, [5, 5, 5]),
        review(2, 8, 7, [5, 5, 5]),
        review(3, 7, 9, [3, 4, 5]),
        review(4, 9, 7, [5, 5, 5]),  # one way only: not a pair
    ]
    assert (FlagKind.MUTUAL_TOP_MARKS, (7, 8)) in kinds(reviews)
    assert all(
        kind is not FlagKind.MUTUAL_TOP_MARKS or ids == (7, 8) for kind, ids in kinds(reviews)
    )


def test_a_pair_with_one_honest_review_is_not_flagged() -> None:
    reviews = [review(1, 7, 8, [5, 5, 5]), review(2, 8, 7, [5, 4, 5])]
    assert kinds(reviews) == []


async def test_flagged_reviews_are_still_accepted(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    client = await make_client(reviewer)
    reviews = await league.reviews_for(reviewer)
    for review in reviews:  # the same 3s everywhere and a one-word kudos, on every clip
        response = await client.post(
            f"/reviews/{review.id}/submit", data=review_form(scores=3, kudos="good", next_rep="")
        )  # type: ignore[arg-type]
        assert response.status_code == 303
    sent = await Review.filter(reviewer_id=reviewer.id, status=ReviewStatus.SUBMITTED).count()
    assert sent == len(reviews)
    manager = await make_client(league.manager)
    page = (await manager.get(f"/judging/rounds/{league.round.id}/reveal")).text
    assert page.count('badge-gold">Same score on everything') == len(reviews)
    assert page.count('badge-gold">Very short kudos') == len(reviews)
