"""Calibrated entry scores: each reviewer's leniency removed, judgements as anchors.

Method (small on purpose, deterministic: no randomness, everything in id order):

1. Every rating is one reviewer's overall score for one entry on the 1-5 scale (the
   rubric-weighted mean of their criterion scores).
2. A reviewer's bias is how much higher they score than the others on the same entries:
   for each of their ratings, their score minus the weighted mean of the *other* ratings
   of that entry (each corrected by its own reviewer's current bias). The bias is the sum
   of those deviations divided by (n + SHRINK_REVIEWS): with few reviews it stays near
   zero, so one generous review is not mistaken for a generous reviewer.
3. Judgements (managers) are anchors: their bias is fixed at 0 and they weigh
   JUDGEMENT_WEIGHT times a peer review, so peers are calibrated toward the manager.
4. Biases depend on each other, so step 2 runs ITERATIONS times, every reviewer updated
   from the previous pass.
5. An entry's calibrated score is the weighted mean of (score - reviewer bias), kept
   within 1-5. Entries nobody else reviewed still get their reviewer's corrected score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

JUDGEMENT_WEIGHT = 3.0
SHRINK_REVIEWS = 2.0  # pseudo-reviews at zero bias added to every peer reviewer
ITERATIONS = 5
LOWEST, HIGHEST = 1.0, 5.0


@dataclass(frozen=True)
class Rating:
    entry_id: int
    rater_id: int
    score: float
    is_judgement: bool = False

    @property
    def weight(self) -> float:
        return JUDGEMENT_WEIGHT if self.is_judgement else 1.0


@dataclass(frozen=True)
class Calibration:
    scores: dict[int, float]  # entry id -> calibrated score
    plain_means: dict[int, float]  # entry id -> unweighted mean of raw scores
    biases: dict[int, float]  # peer reviewer id -> leniency (positive: scores high)

    def bias_of(self, rater_id: int) -> float:
        return self.biases.get(rater_id, 0.0)


def calibrate(ratings: Sequence[Rating]) -> Calibration:
    ordered = sorted(ratings, key=lambda rating: (rating.entry_id, rating.rater_id))
    by_entry: dict[int, list[Rating]] = defaultdict(list)
    for rating in ordered:
        by_entry[rating.entry_id].append(rating)
    biases = {rating.rater_id: 0.0 for rating in ordered if not rating.is_judgement}
    for _ in range(ITERATIONS):
        biases = estimate_biases(by_entry, biases)
    scores = {
        entry_id: clamp(corrected_mean(entry_ratings, biases))
        for entry_id, entry_ratings in by_entry.items()
    }
    plain = {
        entry_id: sum(rating.score for rating in entry_ratings) / len(entry_ratings)
        for entry_id, entry_ratings in by_entry.items()
    }
    return Calibration(scores=scores, plain_means=plain, biases=biases)


def estimate_biases(
    by_entry: Mapping[int, Sequence[Rating]], biases: Mapping[int, float]
) -> dict[int, float]:
    deviations: dict[int, float] = {rater: 0.0 for rater in biases}
    counts: dict[int, int] = {rater: 0 for rater in biases}
    for entry_ratings in by_entry.values():
        for rating in entry_ratings:
            if rating.is_judgement:
                continue
            others = [other for other in entry_ratings if other.rater_id != rating.rater_id]
            if not others:
                continue
            deviations[rating.rater_id] += rating.score - corrected_mean(others, biases)
            counts[rating.rater_id] += 1
    return {rater: deviations[rater] / (counts[rater] + SHRINK_REVIEWS) for rater in biases}


def corrected_mean(ratings: Sequence[Rating], biases: Mapping[int, float]) -> float:
    total_weight = sum(rating.weight for rating in ratings)
    corrected = sum(
        rating.weight * (rating.score - biases.get(rating.rater_id, 0.0)) for rating in ratings
    )
    return corrected / total_weight


def clamp(score: float) -> float:
    return min(HIGHEST, max(LOWEST, score))


def overall_score(
    scores: Mapping[str, int], rubric: Sequence[Mapping[str, object]]
) -> float | None:
    """A review's rubric-weighted mean over the criteria it scored (None if it scored none)."""
    weights = {
        str(criterion["key"]): float(str(criterion.get("weight", 1.0))) for criterion in rubric
    }
    scored = [(weights.get(key, 1.0), value) for key, value in scores.items() if key in weights]
    if not scored:
        return None
    return sum(weight * value for weight, value in scored) / sum(weight for weight, _ in scored)


def score_spread(scores: Sequence[float]) -> float:
    """How far apart the reviews of one entry are: highest minus lowest."""
    return max(scores) - min(scores) if len(scores) > 1 else 0.0


@dataclass(frozen=True)
class CriterionScores:
    rater_id: int
    is_judgement: bool
    scores: Mapping[str, int]


def calibrate_criteria(
    reviews: Sequence[CriterionScores], biases: Mapping[int, float]
) -> dict[str, float]:
    """Each criterion's mean for one entry, with each reviewer's bias removed."""
    totals: dict[str, float] = defaultdict(float)
    weights: dict[str, float] = defaultdict(float)
    for review in reviews:
        weight = JUDGEMENT_WEIGHT if review.is_judgement else 1.0
        bias = 0.0 if review.is_judgement else biases.get(review.rater_id, 0.0)
        for key, value in review.scores.items():
            totals[key] += weight * (value - bias)
            weights[key] += weight
    return {key: round(clamp(totals[key] / weights[key]), 2) for key in sorted(totals)}
