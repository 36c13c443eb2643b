"""Points per category, baselines, streaks, awards and the tie rule (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from league.settings import Settings
from league.standings.models import AwardCategory
from league.standings.points import (
    PointsWeights,
    RoundFacts,
    extend_streak,
    find_baseline,
    rank_awards,
    rank_category,
    score_points,
)

WEIGHTS = PointsWeights.from_settings(Settings(secret_key="x", database_url="sqlite://:memory:"))
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def facts(member_id: int = 1, name: str = "Ada", **values: object) -> RoundFacts:
    defaults: dict[str, object] = {
        "submitted": True,
        "round_score": 3.0,
        "baseline": None,
        "reviews_on_time": 0,
        "helpful_count": 0,
        "streak_length": 1,
        "first_submitted_at": NOON,
    }
    defaults.update(values)
    return RoundFacts(member_id=member_id, name=name, **defaults)  # type: ignore[arg-type]


def test_showing_up_earns_the_flat_amount() -> None:
    assert score_points(facts(), WEIGHTS).showing_up == 10
    assert score_points(facts(submitted=False, round_score=None), WEIGHTS).showing_up == 0


def test_quality_pays_per_star_above_one() -> None:
    assert score_points(facts(round_score=4.0), WEIGHTS).quality == 15
    assert score_points(facts(round_score=1.0), WEIGHTS).quality == 0


def test_improvement_pays_above_the_baseline_never_below_and_is_capped() -> None:
    assert score_points(facts(round_score=3.5, baseline=3.0), WEIGHTS).improvement == 5
    assert score_points(facts(round_score=2.5, baseline=3.0), WEIGHTS).improvement == 0
    assert score_points(facts(round_score=5.0, baseline=1.0), WEIGHTS).improvement == 20


def test_reviewing_and_helpful_pay_per_review() -> None:
    line = score_points(facts(reviews_on_time=3, helpful_count=2), WEIGHTS)
    assert (line.reviewing, line.helpful) == (9, 4)


def test_streak_pays_for_rounds_in_a_row_after_the_first_capped() -> None:
    assert score_points(facts(streak_length=1), WEIGHTS).streak == 0
    assert score_points(facts(streak_length=3), WEIGHTS).streak == 4
    assert score_points(facts(streak_length=12), WEIGHTS).streak == 10
    assert extend_streak(4, True) == 5 and extend_streak(4, False) == 0


def test_the_total_adds_every_category() -> None:
    line = score_points(
        facts(round_score=4.0, baseline=3.5, reviews_on_time=2, helpful_count=1, streak_length=2),
        WEIGHTS,
    )
    assert line.total == 10 + 15 + 5 + 6 + 2 + 2


def test_a_newcomer_is_compared_with_their_first_round_then_a_rolling_mean() -> None:
    assert find_baseline([]) is None
    assert find_baseline([2.0]) == 2.0
    assert find_baseline([2.0, 3.0]) == 2.0
    assert find_baseline([1.0, 2.0, 3.0, 4.0]) == 3.0


def test_a_newcomer_can_win_most_improved_against_veterans() -> None:
    veteran = facts(1, "Vera", round_score=4.6, baseline=4.4)
    newcomer = facts(2, "Nico", round_score=3.2, baseline=find_baseline([2.1]))
    first_timer = facts(3, "Fay", round_score=2.0, baseline=None)
    places = rank_category(AwardCategory.MOST_IMPROVED, [veteran, newcomer, first_timer], WEIGHTS)
    assert [place.member_id for place in places] == [2, 1]


def test_top_score_ties_go_to_more_reviews_then_earlier_then_name() -> None:
    tied = [
        facts(1, "Zoe", round_score=4.0, reviews_on_time=2, first_submitted_at=NOON),
        facts(2, "Bob", round_score=4.0, reviews_on_time=3, first_submitted_at=NOON),
        facts(
            3,
            "Cat",
            round_score=4.0,
            reviews_on_time=2,
            first_submitted_at=NOON - timedelta(hours=1),
        ),
        facts(4, "Abe", round_score=4.0, reviews_on_time=2, first_submitted_at=NOON),
    ]
    places = rank_category(AwardCategory.TOP_SCORE, tied, WEIGHTS)
    assert [(place.member_id, place.rank) for place in places] == [(2, 1), (3, 2), (4, 3)]


def test_best_reviewer_and_streak_awards() -> None:
    members = [
        facts(1, "Ada", reviews_on_time=3, helpful_count=2, streak_length=4),
        facts(2, "Ben", reviews_on_time=3, helpful_count=0, streak_length=1),
        facts(3, "Cy", submitted=False, round_score=None, reviews_on_time=0, streak_length=0),
    ]
    places = rank_awards(members, WEIGHTS)
    reviewers = [p.member_id for p in places if p.category is AwardCategory.BEST_REVIEWER]
    streaks = [p.member_id for p in places if p.category is AwardCategory.STREAK]
    assert reviewers == [1, 2] and streaks == [1]
    top = [p.member_id for p in places if p.category is AwardCategory.TOP_SCORE]
    assert 3 not in top
