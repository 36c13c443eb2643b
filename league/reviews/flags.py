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
    review_id: int
    reviewer_id: int
    author_id: int
    scores: Mapping[str, int]
    kudos: str


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
        values = {value for review in given for value in review.scores.values()}
        if len(given) >= 2 and len(values) == 1:
            flags.append(Flag(FlagKind.FLAT_RATER, (reviewer,), tuple(r.review_id for r in given)))
    return flags


def find_short_texts(reviews: Sequence[ReviewFacts]) -> list[Flag]:
    return [
        Flag(FlagKind.SHORT_TEXT, (review.reviewer_id,), (review.review_id,))
        for review in reviews
        if is_short_text(review.kudos)
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


def is_top_marks(review: ReviewFacts) -> bool:
    return bool(review.scores) and all(value >= TOP_MARK for value in review.scores.values())
