"""Review patterns a manager should look at. Flags inform; they never block a review.

- flat rater: the same score on every criterion of every clip they reviewed (2+ clips);
- short text: a kudos with fewer than MIN_KUDOS_CHARACTERS letters and digits, so empty
  in all but form (such reviews earn no points);
- mutual top marks: two people who reviewed each other and always gave top marks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

MIN_KUDOS_CHARACTERS = 15
TOP_MARK = 5


class FlagKind(StrEnum):
    FLAT_RATER = "flat_rater"
    SHORT_TEXT = "short_text"
    MUTUAL_TOP_MARKS = "mutual_top_marks"

    @property
    def label(self) -> str:
        return {
            "flat_rater": "Same score on everything",
            "short_text": "Very short kudos",
            "mutual_top_marks": "Always top marks for each other",
        }[self.value]


@dataclass(frozen=True)
class ReviewFacts:
    """What the flags need of one sent peer review. The last three are stored with the
    review whenever it is saved (Review.keep_marks), so flags never read scores or texts."""

    review_id: int
    reviewer_id: int
    author_id: int
    low_score: int | None  # its lowest score; None without scores
    high_score: int | None
    short_kudos: bool


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    member_ids: tuple[int, ...]
    review_ids: tuple[int, ...]


def is_short_text(kudos: str) -> bool:
    """Fewer than MIN_KUDOS_CHARACTERS letters and digits: "ok", "!!!!!!!!!!!!!!!!", "👍"."""
    letters = 0
    for character in kudos:
        letters += character.isalnum()
        if letters >= MIN_KUDOS_CHARACTERS:
            return False  # long kudos: no need to count the rest
    return True


def score_range(scores: Mapping[str, int]) -> tuple[int | None, int | None]:
    """(lowest, highest) of a review's scores, (None, None) without any."""
    values = scores.values()
    return (min(values), max(values)) if values else (None, None)


def find_flags(reviews: Sequence[ReviewFacts]) -> list[Flag]:
    """Flags over submitted peer reviews, in a stable order."""
    ordered = sorted(reviews, key=lambda review: review.review_id)
    return [*find_flat_raters(ordered), *find_short_texts(ordered), *find_mutual_top_marks(ordered)]


def find_flat_raters(reviews: Sequence[ReviewFacts]) -> list[Flag]:
    by_reviewer: dict[int, list[ReviewFacts]] = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer_id].append(review)
    flags = []
    for reviewer, given in sorted(by_reviewer.items()):
        if len(given) >= 2 and is_one_value(given):
            flags.append(Flag(FlagKind.FLAT_RATER, (reviewer,), tuple(r.review_id for r in given)))
    return flags


def find_short_texts(reviews: Sequence[ReviewFacts]) -> list[Flag]:
    return [
        Flag(FlagKind.SHORT_TEXT, (review.reviewer_id,), (review.review_id,))
        for review in reviews
        if review.short_kudos
    ]


def find_mutual_top_marks(reviews: Sequence[ReviewFacts]) -> list[Flag]:
    by_pair: dict[tuple[int, int], list[ReviewFacts]] = defaultdict(list)
    for review in reviews:
        by_pair[(review.reviewer_id, review.author_id)].append(review)
    flags = []
    for (reviewer, author), given in sorted(by_pair.items()):
        returned = by_pair.get((author, reviewer))
        if reviewer > author or not returned:
            continue
        both = [*given, *returned]
        if all(is_top_marks(review) for review in both):
            ids = tuple(sorted(review.review_id for review in both))
            flags.append(Flag(FlagKind.MUTUAL_TOP_MARKS, (reviewer, author), ids))
    return flags


def is_one_value(reviews: Sequence[ReviewFacts]) -> bool:
    """Every score of every review is the same one value (reviews without scores aside)."""
    lows = [review.low_score for review in reviews if review.low_score is not None]
    highs = [review.high_score for review in reviews if review.high_score is not None]
    return bool(lows) and min(lows) == max(highs)


def is_top_marks(review: ReviewFacts) -> bool:
    return review.low_score is not None and review.low_score >= TOP_MARK
