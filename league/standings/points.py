"""Points for one member in one round, and the round's award places. Pure functions.

Points (weights are settings; the "How scoring works" page shows them to reps):
- showing up: a flat amount for submitting an entry this round;
- quality: per star above 1 of the member's calibrated round score (1-5);
- improvement: per star above the member's own baseline, never negative, capped. The
  baseline is the mean of their last BASELINE_ROUNDS round scores; until they have that
  many, it is their first round's score, so a newcomer improving on their first round
  competes for "most improved" from their second round;
- reviewing: per peer review submitted on time with a real kudos;
- helpful: per review the author marked helpful;
- streak: per consecutive round with an entry after the first, capped.

Ties in any ranking are broken by this rule, in order: higher round score, more reviews
given on time, earlier first submission, name (A-Z), then member id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from league.settings import Settings
from league.standings.models import AwardCategory

BASELINE_ROUNDS = 3
AWARD_PLACES = 3
MIN_STREAK_FOR_AWARD = 2


@dataclass(frozen=True)
class PointsWeights:
    showing_up: int
    quality_per_star: int
    improvement_per_star: int
    improvement_max: int
    per_review: int
    per_helpful: int
    streak_per_round: int
    streak_max: int

    @classmethod
    def from_settings(cls, settings: Settings) -> PointsWeights:
        return cls(
            showing_up=settings.points_showing_up,
            quality_per_star=settings.points_quality_per_star,
            improvement_per_star=settings.points_improvement_per_star,
            improvement_max=settings.points_improvement_max,
            per_review=settings.points_per_review,
            per_helpful=settings.points_per_helpful,
            streak_per_round=settings.points_streak_per_round,
            streak_max=settings.points_streak_max,
        )


@dataclass(frozen=True)
class RoundFacts:
    """What a member did in one round; everything points and awards are made from."""

    member_id: int
    name: str
    submitted: bool
    round_score: float | None  # mean calibrated score of their entries; None: none yet
    baseline: float | None
    reviews_on_time: int
    helpful_count: int
    streak_length: int
    first_submitted_at: datetime | None = None
    has_provisional_score: bool = False  # an entry still has fewer reviews than required

    @property
    def improvement(self) -> float | None:
        if self.round_score is None or self.baseline is None:
            return None
        return round(self.round_score - self.baseline, 4)


@dataclass(frozen=True)
class PointsLine:
    showing_up: float
    quality: float
    improvement: float
    reviewing: float
    helpful: float
    streak: float

    @property
    def total(self) -> float:
        return round(
            self.showing_up
            + self.quality
            + self.improvement
            + self.reviewing
            + self.helpful
            + self.streak,
            1,
        )


@dataclass(frozen=True)
class AwardPlace:
    category: AwardCategory
    member_id: int
    rank: int
    value: float


def find_baseline(previous_scores: Sequence[float]) -> float | None:
    """`previous_scores` oldest first. See the module docstring for the rule."""
    if not previous_scores:
        return None
    if len(previous_scores) < BASELINE_ROUNDS:
        return previous_scores[0]
    recent = previous_scores[-BASELINE_ROUNDS:]
    return sum(recent) / len(recent)


def extend_streak(previous_streak: int, submitted: bool) -> int:
    return previous_streak + 1 if submitted else 0


def score_points(facts: RoundFacts, weights: PointsWeights) -> PointsLine:
    improvement = max(0.0, facts.improvement or 0.0)
    return PointsLine(
        showing_up=float(weights.showing_up if facts.submitted else 0),
        quality=round(weights.quality_per_star * max(0.0, (facts.round_score or 1.0) - 1.0), 1),
        improvement=round(
            min(weights.improvement_max, weights.improvement_per_star * improvement), 1
        ),
        reviewing=float(weights.per_review * facts.reviews_on_time),
        helpful=float(weights.per_helpful * facts.helpful_count),
        streak=float(
            min(weights.streak_max, weights.streak_per_round * max(0, facts.streak_length - 1))
        ),
    )


def tie_break_key(
    round_score: float | None,
    reviews_on_time: int,
    first_submitted_at: datetime | None,
    name: str,
    member_id: int,
) -> tuple[Any, ...]:
    """The tie rule of the module docstring, for every ranking of members in a round."""
    return (
        -(round_score or 0.0),
        -reviews_on_time,
        first_submitted_at.timestamp() if first_submitted_at else float("inf"),
        name.casefold(),
        member_id,
    )


def facts_tie_break_key(facts: RoundFacts) -> tuple[Any, ...]:
    return tie_break_key(
        facts.round_score,
        facts.reviews_on_time,
        facts.first_submitted_at,
        facts.name,
        facts.member_id,
    )


def category_value(
    category: AwardCategory, facts: RoundFacts, weights: PointsWeights
) -> float | None:
    """The number a category ranks by, or None when the member is not in the running."""
    if category is AwardCategory.TOP_SCORE:
        return facts.round_score
    if category is AwardCategory.MOST_IMPROVED:
        improvement = facts.improvement
        return improvement if improvement is not None and improvement > 0 else None
    if category is AwardCategory.BEST_REVIEWER:
        line = score_points(facts, weights)
        value = line.reviewing + line.helpful
        return value if value > 0 else None
    streak = facts.streak_length
    return float(streak) if streak >= MIN_STREAK_FOR_AWARD else None


def rank_category(
    category: AwardCategory, members: Sequence[RoundFacts], weights: PointsWeights
) -> list[AwardPlace]:
    valued = [
        (value, facts)
        for facts in members
        if (value := category_value(category, facts, weights)) is not None
    ]
    valued.sort(key=lambda pair: (-pair[0], *facts_tie_break_key(pair[1])))
    return [
        AwardPlace(category, facts.member_id, place, round(value, 4))
        for place, (value, facts) in enumerate(valued[:AWARD_PLACES], start=1)
    ]


def rank_awards(members: Sequence[RoundFacts], weights: PointsWeights) -> list[AwardPlace]:
    return [
        place for category in AwardCategory for place in rank_category(category, members, weights)
    ]
