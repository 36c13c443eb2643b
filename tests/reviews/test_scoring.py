"""Calibrated scores: synthetic raters with known leniency, anchors, determinism."""

from __future__ import annotations

import random
import statistics
from functools import cache

import pytest

from league.reviews.assignment import EntryToAssign, assign_reviewers
from league.reviews.scoring import Rating, calibrate, overall_score, score_spread

RATERS = 12
ENTRIES = 120  # ten rounds of a 12-person team: about 30 reviews per rater
NOISE = 0.3  # standard deviation of a rater's noise, in stars
MIN_RHO = 0.9  # the corrected scores' rank correlation with the true scores, at least
BIAS_TOLERANCE = 0.35  # stars: every rater's estimated leniency is within this of the truth
JUDGE = 999


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(first: list[float], second: list[float]) -> float:
    return statistics.correlation(ranks(first), ranks(second))


@cache
def simulate(seed: int) -> tuple[dict[int, float], dict[int, float], list[Rating]]:
    """True scores 2-4, rater leniency -0.8..0.8, integer scores 1-5 as the form gives."""
    rng = random.Random(seed)
    leniency = {rater: rng.uniform(-0.8, 0.8) for rater in range(RATERS)}
    truth = {entry: rng.uniform(2.0, 4.0) for entry in range(ENTRIES)}
    entries = [EntryToAssign(entry, entry % RATERS) for entry in range(ENTRIES)]
    ratings = []
    for entry, raters in assign_reviewers(entries, list(range(RATERS)), 3, seed).items():
        for rater in raters:
            raw = truth[entry] + leniency[rater] + rng.gauss(0, NOISE)
            ratings.append(Rating(entry, rater, min(5, max(1, round(raw)))))
    for entry in range(0, ENTRIES, 6):  # the manager judges one clip in six
        ratings.append(Rating(entry, JUDGE, min(5, max(1, round(truth[entry]))), True))
    return truth, leniency, ratings


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_corrected_scores_rank_entries_better_than_the_plain_mean(seed: int) -> None:
    truth, _, ratings = simulate(seed)
    calibration = calibrate(ratings)
    entries = sorted(truth)
    true_scores = [truth[entry] for entry in entries]
    rho_corrected = spearman([calibration.scores[e] for e in entries], true_scores)
    rho_plain = spearman([calibration.plain_means[e] for e in entries], true_scores)
    assert rho_corrected > rho_plain and rho_corrected >= MIN_RHO, (
        f"Spearman rho corrected={rho_corrected:.3f} plain mean={rho_plain:.3f}"
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_it_recovers_each_raters_leniency_against_the_team(seed: int) -> None:
    # Leniency is measured against teammates on the same clips: a lean the whole team
    # shares shows only against judgements, and it moves every entry alike (ranks hold).
    _, leniency, ratings = simulate(seed)
    biases = calibrate(ratings).biases
    team_lean = statistics.mean(leniency.values())
    errors = {rater: abs(biases[rater] - (leniency[rater] - team_lean)) for rater in range(RATERS)}
    worst = max(errors, key=lambda rater: errors[rater])
    assert errors[worst] <= BIAS_TOLERANCE, (
        f"rater {worst}: true {leniency[worst] - team_lean:+.2f}, estimated {biases[worst]:+.2f}"
    )


def test_a_generous_rater_counts_for_less() -> None:
    # Raters 7 and 8 agree with each other; rater 9 scores two stars above them.
    reviews = {1: {7: 2, 9: 4}, 2: {8: 4, 9: 5}, 3: {7: 3, 8: 3}, 4: {7: 2, 8: 2}, 5: {8: 1, 9: 3}}
    ratings = [
        Rating(entry, rater, score)
        for entry, given in reviews.items()
        for rater, score in given.items()
    ]
    calibration = calibrate(ratings)
    assert calibration.biases[9] > 0.5 > abs(calibration.biases[7])
    for entry in (1, 2, 5):
        assert calibration.scores[entry] < calibration.plain_means[entry]


def test_judgements_are_anchors_with_no_bias() -> None:
    ratings = [
        Rating(1, 7, 5),
        Rating(1, JUDGE, 3, True),
        Rating(2, 7, 4),
        Rating(2, JUDGE, 2, True),
    ]
    calibration = calibrate(ratings)
    assert JUDGE not in calibration.biases
    assert calibration.biases[7] > 0.5
    assert calibration.scores[1] < 4


def test_few_reviews_shrink_the_bias_toward_zero() -> None:
    one = calibrate([Rating(1, 7, 5), Rating(1, 8, 3)])
    many = calibrate([r for e in range(10) for r in (Rating(e, 7, 5), Rating(e, 8, 3))])
    assert abs(one.biases[7]) < abs(many.biases[7])


def test_it_is_deterministic_whatever_the_order() -> None:
    _, _, ratings = simulate(9)
    assert calibrate(ratings) == calibrate(list(reversed(ratings)))


def test_overall_score_uses_the_rubric_weights() -> None:
    rubric = [{"key": "a", "weight": 1.0}, {"key": "b", "weight": 3.0}]
    assert overall_score({"a": 1, "b": 5}, rubric) == 4.0
    assert overall_score({}, rubric) is None
    assert score_spread([2.0, 4.5, 3.0]) == 2.5 and score_spread([3.0]) == 0.0
