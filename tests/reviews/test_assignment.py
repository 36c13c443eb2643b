"""The pure assignment: balanced, never one's own clip, deterministic, few mutual pairs."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from league.reviews.assignment import (
    EntryToAssign,
    assign_reviewers,
    count_reciprocal_pairs,
)

PER_ENTRY = 3


def make_team(
    size: int, drills: int, submit_share: float, seed: int
) -> tuple[list[int], list[EntryToAssign]]:
    rng = random.Random(seed)
    members = list(range(100, 100 + size))
    submitters = [m for m in members if rng.random() < submit_share] or members[:2]
    entries = [
        EntryToAssign(entry_id=1000 + index, author_id=author)
        for index, (author, _) in enumerate(
            (author, drill) for author in submitters for drill in range(drills)
        )
    ]
    return members, entries


def loads(members: list[int], assignment: dict[int, list[int]]) -> list[int]:
    counts = Counter(reviewer for reviewers in assignment.values() for reviewer in reviewers)
    return [counts.get(member, 0) for member in members]


@pytest.mark.parametrize("size", range(2, 51))
def test_it_balances_and_never_assigns_own_clip(size: int) -> None:
    for drills, share in ((1, 1.0), (1, 0.6), (2, 1.0)):
        members, entries = make_team(size, drills, share, seed=size)
        assignment = assign_reviewers(entries, members, PER_ENTRY, seed=size)
        for entry in entries:
            chosen = assignment[entry.entry_id]
            assert entry.author_id not in chosen
            assert len(set(chosen)) == len(chosen) == min(PER_ENTRY, size - 1)
        load = loads(members, assignment)
        assert max(load) - min(load) <= 1, (size, drills, share, load)


def test_it_gives_non_submitters_and_late_joiners_clips_to_review() -> None:
    members = [1, 2, 3, 4, 5, 6]  # 5 and 6 did not submit (6 joined late)
    entries = [EntryToAssign(10 + author, author) for author in (1, 2, 3, 4)]
    assignment = assign_reviewers(entries, members, PER_ENTRY, seed=7)
    assert all(count >= 1 for count in loads(members, assignment))


def test_it_is_the_same_for_the_same_seed_and_changes_with_it() -> None:
    members, entries = make_team(12, 1, 1.0, seed=1)
    first = assign_reviewers(entries, members, PER_ENTRY, seed=42)
    assert (
        assign_reviewers(list(reversed(entries)), list(reversed(members)), PER_ENTRY, seed=42)
        == first
    )
    assert assign_reviewers(entries, members, PER_ENTRY, seed=43) != first


def test_it_avoids_mutual_pairs_where_the_team_allows() -> None:
    for size in range(7, 51):
        members, entries = make_team(size, 1, 1.0, seed=size)
        assignment = assign_reviewers(entries, members, PER_ENTRY, seed=size)
        assert count_reciprocal_pairs(entries, assignment) == 0, size


def test_it_uses_history_to_vary_pairs_between_rounds() -> None:
    members, entries = make_team(9, 1, 1.0, seed=3)
    first = assign_reviewers(entries, members, PER_ENTRY, seed=1)
    history: Counter[tuple[int, int]] = Counter()
    authors = {entry.entry_id: entry.author_id for entry in entries}
    for entry_id, reviewers in first.items():
        for reviewer in reviewers:
            history[(reviewer, authors[entry_id])] += 1
    second = assign_reviewers(entries, members, PER_ENTRY, seed=1, history=history)
    repeated = sum(
        1 for entry_id, reviewers in second.items() for r in reviewers if r in first[entry_id]
    )
    assert repeated < len(entries) * PER_ENTRY // 3


def test_a_team_of_two_reviews_each_other_once() -> None:
    entries = [EntryToAssign(1, 10), EntryToAssign(2, 20)]
    assert assign_reviewers(entries, [10, 20], PER_ENTRY, seed=5) == {1: [20], 2: [10]}


def play_rounds(size: int, rounds: int) -> list[dict[int, list[int]]]:
    """Assign `rounds` rounds in a row, each seeing the pairs of the rounds before it."""
    members, entries = make_team(size, 1, 1.0, seed=size)
    authors = {entry.entry_id: entry.author_id for entry in entries}
    history: Counter[tuple[int, int]] = Counter()
    played = []
    for number in range(rounds):
        assignment = assign_reviewers(
            entries, members, PER_ENTRY, seed=1000 * size + number, history=history
        )
        for entry_id, reviewers in assignment.items():
            for reviewer in reviewers:
                history[(reviewer, authors[entry_id])] += 1
        played.append(assignment)
    return played


def mutual_pairs(assignment: dict[int, list[int]], authors: dict[int, int]) -> set[tuple[int, int]]:
    given = {(r, authors[e]) for e, reviewers in assignment.items() for r in reviewers}
    return {(r, a) for r, a in given if r < a and (a, r) in given}


@pytest.mark.parametrize("size", range(5, 13))
def test_no_pair_reviews_each_other_every_round(size: int) -> None:
    # In a team of 4 with three reviewers each, everyone reviews everyone: unavoidable.
    _, entries = make_team(size, 1, 1.0, seed=size)
    authors = {entry.entry_id: entry.author_id for entry in entries}
    rounds = [mutual_pairs(assignment, authors) for assignment in play_rounds(size, 6)]
    always = set.intersection(*rounds)
    assert not always, f"team of {size}: {sorted(always)} reviewed each other in all 6 rounds"
