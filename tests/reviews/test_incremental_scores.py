"""One review at a time equals the whole-round pass (hypothesis: random rounds and orders).

The incremental writer recomputes only the entry reviewed and the entries its reviewers
rated; after any sequence of sent reviews, edits and judgements, every entry's score and
every reviewer's sums must equal what `calculate_scores` gives for the whole round, and
what the whole-round pass computes in the CPU pool process (`calculate_round`, sent its
inputs pickled, the saved sums as read, in any order).
"""

from __future__ import annotations

import pickle
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from league.reviews.round_maths import (
    ReviewRow,
    RoundKey,
    SumsRow,
    calculate_round,
    calculate_scores,
)
from league.reviews.scoring import LeniencySums

KEY = RoundKey(id=5, season_id=1, number=3, team_id=1)
RUBRIC = [{"key": "a", "weight": 1.0}, {"key": "b", "weight": 2.0}]
JUDGE = 100

review = st.tuples(
    st.integers(1, 8),  # entry
    st.integers(1, 6),  # reviewer (JUDGE when judged)
    st.booleans(),  # a judgement
    st.integers(1, 5),
    st.integers(1, 5),
)
earlier_sums = st.dictionaries(
    st.integers(1, 6),
    st.lists(st.tuples(st.floats(-4, 4), st.integers(0, 6)), max_size=2),
)


def row(entry: int, reviewer: int, judged: bool, a: int, b: int) -> ReviewRow:
    return ReviewRow(entry, JUDGE if judged else reviewer, judged, True, {"a": a, "b": b}, 1)


def earlier_of(raw: dict[int, list[tuple[float, int]]]) -> dict[int, list[LeniencySums]]:
    return {
        reviewer: [
            LeniencySums(total, count, number) for number, (total, count) in enumerate(sums, 1)
        ]
        for reviewer, sums in raw.items()
    }


def apply_one(
    rows: dict[tuple[int, int], ReviewRow],
    saved: dict[int, list[LeniencySums]],
    scores: dict[int, dict[str, Any]],
    new: ReviewRow,
) -> None:
    """What `rescore_entry` does, against in-memory rows instead of the database."""
    rows[(new.entry_id, new.reviewer_id)] = new
    changed = {
        r.reviewer_id for r in rows.values() if r.entry_id == new.entry_id and not r.is_judgement
    }
    entries = {new.entry_id} | {r.entry_id for r in rows.values() if r.reviewer_id in changed}
    chosen = [r for r in rows.values() if r.entry_id in entries]
    result = calculate_scores(KEY, sorted(entries), chosen, changed, {1: RUBRIC}, saved)
    for reviewer, sums in result.sums.items():
        earlier = [item for item in saved.get(reviewer, []) if item.round_number < KEY.number]
        saved[reviewer] = [*earlier, LeniencySums(sums.deviation_sum, sums.count, KEY.number)]
    scores.update(result.scores)


@settings(max_examples=150, deadline=None)
@given(st.lists(review, min_size=1, max_size=40), earlier_sums)
def test_one_review_at_a_time_equals_the_whole_round(
    reviews: list[tuple[int, int, bool, int, int]], raw_earlier: dict[int, list[tuple[float, int]]]
) -> None:
    earlier = earlier_of(raw_earlier)
    rows: dict[tuple[int, int], ReviewRow] = {}
    saved = {reviewer: list(sums) for reviewer, sums in earlier.items()}
    scores: dict[int, dict[str, Any]] = {}
    for item in reviews:
        apply_one(rows, saved, scores, row(*item))
    peers = {r.reviewer_id for r in rows.values() if not r.is_judgement}
    entries = sorted({r.entry_id for r in rows.values()})
    full = calculate_scores(KEY, entries, list(rows.values()), peers, {1: RUBRIC}, earlier)
    assert scores == full.scores
    as_read: list[SumsRow] = [
        (reviewer, item.round_number, item.deviation_sum, item.count)
        for reviewer, sums in earlier.items()
        for item in sums
    ]
    sent = pickle.dumps((KEY, entries, list(rows.values()), peers, {1: RUBRIC}, as_read[::-1]))
    assert calculate_round(*pickle.loads(sent)) == full
    current = {reviewer: saved[reviewer][-1] for reviewer in peers}
    assert {r: (c.deviation_sum, c.count) for r, c in current.items()} == {
        r: (c.deviation_sum, c.count) for r, c in full.sums.items()
    }
