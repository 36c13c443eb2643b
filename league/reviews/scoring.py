"""Calibrated entry scores: each reviewer's leniency removed, judgements as anchors.

Method (small on purpose, deterministic: no randomness, everything in id order), built so
that one review changes one entry and the leniency of that entry's reviewers only:

1. Every rating is one reviewer's overall score for one entry on the 1-5 scale (the
   rubric-weighted mean of their criterion scores).
2. A peer rating's deviation is its score minus the weighted mean of the *other* ratings of
   the same entry (a rating alone on its entry has none).
3. Judgements (managers) are anchors: they have no leniency and weigh JUDGEMENT_WEIGHT
   times a peer review, so peers are calibrated toward the manager.
4. Each reviewer keeps running sums per round: the sum of their deviations and how many
   there are. Their leniency for a round is the sum over the season's rounds so far divided
   by (count + SHRINK_REVIEWS): with few reviews it stays near zero, so one generous review
   is not mistaken for a generous reviewer.
5. An entry's calibrated score is the weighted mean of (score - reviewer leniency), kept
   within 1-5. Entries nobody else reviewed still get their reviewer's corrected score.

A new or edited rating of entry E changes the deviations on E only, so only the sums of
E's reviewers change, and only the entries those reviewers rated need a new score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

JUDGEMENT_WEIGHT = 3.0
SHRINK_REVIEWS = 2.0  # pseudo-reviews at zero leniency added to every peer reviewer
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
class LeniencySums:
    """One reviewer's running sums for one round: deviations added up, and their count."""

    deviation_sum: float = 0.0
    count: int = 0
    round_number: int = 0


@dataclass(frozen=True)
class Calibration:
    scores: dict[int, float]  # entry id -> calibrated score
    plain_means: dict[int, float]  # entry id -> unweighted mean of raw scores
    biases: dict[int, float]  # peer reviewer id -> leniency (positive: scores high)

    def bias_of(self, rater_id: int) -> float:
        return self.biases.get(rater_id, 0.0)


def group_by_entry(ratings: Iterable[Rating]) -> dict[int, list[Rating]]:
    """Ratings per entry, entries and raters in id order (the order sums are added in)."""
    by_entry: dict[int, list[Rating]] = defaultdict(list)
    for rating in sorted(ratings, key=lambda rating: (rating.entry_id, rating.rater_id)):
        by_entry[rating.entry_id].append(rating)
    return dict(sorted(by_entry.items()))


def entry_deviations(ratings: Sequence[Rating]) -> dict[int, float]:
    """Each peer rater's deviation on one entry (raters alone on the entry have none)."""
    total_weight = sum(rating.weight for rating in ratings)
    total = sum(rating.weight * rating.score for rating in ratings)
    deviations: dict[int, float] = {}
    for rating in ratings:
        others_weight = total_weight - rating.weight
        if rating.is_judgement or others_weight <= 0:
            continue
        others_mean = (total - rating.weight * rating.score) / others_weight
        deviations[rating.rater_id] = rating.score - others_mean
    return deviations


def leniency_sums(
    by_entry: Mapping[int, Sequence[Rating]], raters: Iterable[int] | None = None
) -> dict[int, LeniencySums]:
    """Running sums of `raters` (default: every peer rater) over these entries' ratings.

    `by_entry` must hold every rating of each entry, in `group_by_entry` order."""
    wanted = (
        set(raters)
        if raters is not None
        else {r.rater_id for rs in by_entry.values() for r in rs if not r.is_judgement}
    )
    totals = {rater: 0.0 for rater in wanted}
    counts = {rater: 0 for rater in wanted}
    for entry_ratings in by_entry.values():
        for rater, deviation in entry_deviations(entry_ratings).items():
            if rater in wanted:
                totals[rater] += deviation
                counts[rater] += 1
    return {rater: LeniencySums(totals[rater], counts[rater]) for rater in sorted(wanted)}


def leniency(sums: Iterable[LeniencySums]) -> float:
    """A reviewer's leniency from their sums of several rounds (oldest first)."""
    total, count = 0.0, 0
    for item in sums:
        total += item.deviation_sum
        count += item.count
    return total / (count + SHRINK_REVIEWS)


def calibrate_entry(ratings: Sequence[Rating], biases: Mapping[int, float]) -> float:
    return clamp(corrected_mean(ratings, biases))


def plain_mean(ratings: Sequence[Rating]) -> float:
    return sum(rating.score for rating in ratings) / len(ratings)


def calibrate(ratings: Sequence[Rating]) -> Calibration:
    """All ratings as one round: leniencies and every entry's calibrated score."""
    by_entry = group_by_entry(ratings)
    biases = {rater: leniency([sums]) for rater, sums in leniency_sums(by_entry).items()}
    return Calibration(
        scores={entry: calibrate_entry(rs, biases) for entry, rs in by_entry.items()},
        plain_means={entry: plain_mean(rs) for entry, rs in by_entry.items()},
        biases=biases,
    )


def corrected_mean(ratings: Sequence[Rating], biases: Mapping[int, float]) -> float:
    total_weight = sum(rating.weight for rating in ratings)
    corrected = sum(
        rating.weight
        * (rating.score - (0.0 if rating.is_judgement else biases.get(rating.rater_id, 0.0)))
        for rating in ratings
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
