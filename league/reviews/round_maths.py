"""A round's entry scores and reviewer sums from its reviews: plain values in and out.

The maths of `league.reviews.round_scores`, kept free of the database and the web so the
whole-round pass can run in the app's process pool (`league.jobs.cpu_pool`): its inputs
and outputs are plain values that cross to a worker process cheaply, and this module is
all that process imports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from league.reviews.scoring import (
    CriterionScores,
    LeniencySums,
    Rating,
    calibrate_criteria,
    calibrate_entry,
    group_by_entry,
    leniency,
    leniency_sums,
    overall_score,
    plain_mean,
    score_spread,
)

# A reviewer's saved sums for one round, as read: (reviewer, round number, sum, count).
SumsRow = tuple[int, int, float, int]


@dataclass(frozen=True)
class RoundKey:
    id: int
    season_id: int
    number: int
    team_id: int


@dataclass(frozen=True)
class ReviewRow:
    entry_id: int
    reviewer_id: int
    is_judgement: bool
    is_submitted: bool
    scores: Mapping[str, int]
    drill_id: int
    author_id: int = 0


@dataclass(frozen=True)
class RoundScores:
    """What one pass writes: the changed reviewers' sums and the changed entries' scores."""

    sums: dict[int, LeniencySums]
    scores: dict[int, dict[str, Any]]  # entry id -> EntryScore column values


def calculate_scores(
    key: RoundKey,
    entry_ids: Sequence[int],
    rows: Sequence[ReviewRow],
    changed: set[int],
    rubrics: Mapping[int, Sequence[Mapping[str, object]]],
    saved: Mapping[int, Sequence[LeniencySums]],
) -> RoundScores:
    """`rows` hold every review of `entry_ids`; `changed` are the reviewers whose sums for
    this round are recomputed here (their other entries of the round are in `entry_ids`);
    `saved` holds every reviewer's saved sums of rounds 1..this one."""
    sent = [row for row in rows if row.is_submitted]
    ratings = [
        Rating(row.entry_id, row.reviewer_id, score, row.is_judgement)
        for row in sent
        if (score := overall_score(row.scores, rubrics.get(row.drill_id, []))) is not None
    ]
    by_entry = group_by_entry(ratings)
    sums = leniency_sums(by_entry, changed)
    biases = {
        reviewer: leniency(
            [item for item in saved.get(reviewer, []) if item.round_number < key.number]
            + [sums[reviewer]]
            if reviewer in sums
            else saved.get(reviewer, [])
        )
        for reviewer in {rating.rater_id for rating in ratings if not rating.is_judgement}
    }
    assigned: dict[int, int] = defaultdict(int)
    sent_by_entry: dict[int, list[ReviewRow]] = defaultdict(list)
    for row in rows:
        assigned[row.entry_id] += 0 if row.is_judgement else 1
        if row.is_submitted:
            sent_by_entry[row.entry_id].append(row)
    scores = {
        entry_id: entry_values(
            by_entry.get(entry_id, []), sent_by_entry[entry_id], biases, assigned[entry_id]
        )
        for entry_id in entry_ids
    }
    for values in scores.values():
        values.update(team_id=key.team_id, round_id=key.id)
    return RoundScores(sums, scores)


def entry_values(
    ratings: Sequence[Rating],
    sent: Sequence[ReviewRow],
    biases: Mapping[int, float],
    assigned: int,
) -> dict[str, Any]:
    """One entry's EntryScore columns from its sent reviews and its reviewers' leniency."""
    missing = {r.rater_id for r in ratings if not r.is_judgement and r.rater_id not in biases}
    assert not missing, f"leniency of {missing} not loaded"
    required = max(1, assigned)
    peer_scores = [rating.score for rating in ratings if not rating.is_judgement]
    # A judgement anchors the score but is not a peer review: "2 of 3 reviews" and the
    # provisional mark count only the peer reviews the entry was assigned.
    peers_sent = sum(1 for row in sent if not row.is_judgement)
    return {
        "score": round(calibrate_entry(ratings, biases), 3) if ratings else None,
        "plain_mean": round(plain_mean(ratings), 3) if ratings else None,
        "review_count": peers_sent,
        "required_reviews": required,
        "is_provisional": peers_sent < required,
        "spread": round(score_spread(peer_scores), 3),
        "per_criterion": calibrate_criteria(
            [CriterionScores(row.reviewer_id, row.is_judgement, row.scores) for row in sent],
            biases,
        ),
    }


def sums_by_reviewer(rows: Iterable[SumsRow]) -> dict[int, list[LeniencySums]]:
    """Each reviewer's saved sums, oldest round first."""
    sums: dict[int, list[LeniencySums]] = defaultdict(list)
    for reviewer_id, number, total, count in sorted(rows, key=lambda row: row[1]):
        sums[int(reviewer_id)].append(LeniencySums(float(total), int(count), int(number)))
    return sums


def calculate_round(
    key: RoundKey,
    entry_ids: Sequence[int],
    rows: Sequence[ReviewRow],
    changed: set[int],
    rubrics: Mapping[int, Sequence[Mapping[str, object]]],
    saved: Sequence[SumsRow],
) -> RoundScores:
    """`calculate_scores` from the saved sums as read (what a pool process is sent)."""
    return calculate_scores(key, entry_ids, rows, changed, rubrics, sums_by_reviewer(saved))
