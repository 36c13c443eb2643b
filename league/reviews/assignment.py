"""Who reviews which entry: balanced, never one's own, the same every time for a round.

Pure: ids in, ids out; the service turns the result into Review rows.

Method, greedy then repair:
1. `per_entry` passes over the entries in an order shuffled by the seed; each pass gives
   every entry one more reviewer. The pick is the eligible reviewer with the smallest
   (load, "the author already reviews them", "they already review this author",
   earlier rounds together, seeded tie-break). Giving one reviewer per pass, instead of
   filling each entry at once, keeps the loads level.
2. Repair: while one reviewer has two or more reviews more than another, move a review
   from a busiest reviewer to a least busy one wherever the rules allow. Each move lowers
   the sum of squared loads, so this ends; it stops early only when no move is allowed
   (for example, when nearly every entry is by the least busy reviewer).
3. Untangle: where two people review each other, swap one of them with a reviewer of
   another entry when that leaves fewer such pairs. Swaps keep every load as it is.
   Small teams cannot avoid every mutual pair (in a team of 4 with 3 reviewers each,
   everyone reviews everyone); the seed changes each round, so pairs change too.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Pair = tuple[int, int]  # (reviewer id, author id)


@dataclass(frozen=True)
class EntryToAssign:
    entry_id: int
    author_id: int


def count_wanted(author_id: int, reviewer_ids: Sequence[int], per_entry: int) -> int:
    """Reviewers an entry gets: `per_entry`, or fewer when the team is small."""
    return min(per_entry, sum(1 for reviewer in set(reviewer_ids) if reviewer != author_id))


def assign_reviewers(
    entries: Sequence[EntryToAssign],
    reviewer_ids: Sequence[int],
    per_entry: int,
    seed: int,
    history: Mapping[Pair, int] | None = None,
) -> dict[int, list[int]]:
    """Map each entry id to its reviewer ids (sorted). `history` counts earlier pairings."""
    rng = random.Random(seed)
    reviewers = sorted(set(reviewer_ids))
    tie_break = {
        reviewer: place for place, reviewer in enumerate(rng.sample(reviewers, len(reviewers)))
    }
    order = sorted(entries, key=lambda entry: entry.entry_id)
    rng.shuffle(order)
    assigned: dict[int, list[int]] = {entry.entry_id: [] for entry in order}
    load: Counter[int] = Counter({reviewer: 0 for reviewer in reviewers})
    pairs: Counter[Pair] = Counter()
    past = history or {}

    for _ in range(per_entry):
        for entry in order:
            if len(assigned[entry.entry_id]) >= count_wanted(entry.author_id, reviewers, per_entry):
                continue
            candidates = [
                reviewer
                for reviewer in reviewers
                if reviewer != entry.author_id and reviewer not in assigned[entry.entry_id]
            ]
            author = entry.author_id
            pick = min(
                candidates,
                key=lambda r: (
                    load[r],
                    pairs[(author, r)] > 0,
                    pairs[(r, author)],
                    past.get((r, author), 0),
                    tie_break[r],
                ),
            )
            assigned[entry.entry_id].append(pick)
            load[pick] += 1
            pairs[(pick, author)] += 1

    repair_balance(order, assigned, load, tie_break)
    untangle_reciprocal_pairs(order, assigned)
    return {entry_id: sorted(chosen) for entry_id, chosen in sorted(assigned.items())}


def repair_balance(
    entries: Sequence[EntryToAssign],
    assigned: dict[int, list[int]],
    load: Counter[int],
    tie_break: Mapping[int, int],
) -> None:
    while True:
        move = find_balancing_move(entries, assigned, load, tie_break)
        if move is None:
            return
        entry_id, busy, idle = move
        assigned[entry_id][assigned[entry_id].index(busy)] = idle
        load[busy] -= 1
        load[idle] += 1


def find_balancing_move(
    entries: Sequence[EntryToAssign],
    assigned: Mapping[int, list[int]],
    load: Counter[int],
    tie_break: Mapping[int, int],
) -> tuple[int, int, int] | None:
    """(entry id, from reviewer, to reviewer) that narrows a gap of 2+, or None."""
    by_load = sorted(load, key=lambda reviewer: (load[reviewer], tie_break[reviewer]))
    for idle in by_load:
        for busy in reversed(by_load):
            if load[busy] - load[idle] < 2:
                break
            for entry in entries:
                chosen = assigned[entry.entry_id]
                if busy in chosen and idle not in chosen and idle != entry.author_id:
                    return entry.entry_id, busy, idle
    return None


def untangle_reciprocal_pairs(
    entries: Sequence[EntryToAssign], assigned: dict[int, list[int]]
) -> None:
    authors = {entry.entry_id: entry.author_id for entry in entries}
    pairs: Counter[Pair] = Counter(
        (reviewer, authors[entry_id])
        for entry_id, chosen in assigned.items()
        for reviewer in chosen
    )
    improved = True
    while improved:
        improved = False
        for entry in entries:
            for reviewer in list(assigned[entry.entry_id]):
                if pairs[(entry.author_id, reviewer)] and swap_out(
                    entry, reviewer, entries, assigned, pairs
                ):
                    improved = True


def swap_out(
    entry: EntryToAssign,
    reviewer: int,
    entries: Sequence[EntryToAssign],
    assigned: dict[int, list[int]],
    pairs: Counter[Pair],
) -> bool:
    """Swap `reviewer` off `entry` with a reviewer of another entry if mutual pairs drop."""
    for other in entries:
        if other.entry_id == entry.entry_id or reviewer in assigned[other.entry_id]:
            continue
        if reviewer == other.author_id:
            continue
        for partner in assigned[other.entry_id]:
            if partner == entry.author_id or partner in assigned[entry.entry_id]:
                continue
            moves = [
                (reviewer, entry.author_id, -1),
                (partner, other.author_id, -1),
                (partner, entry.author_id, 1),
                (reviewer, other.author_id, 1),
            ]
            if count_mutual_change(pairs, moves) >= 0:
                continue
            for person, author, change in moves:
                pairs[(person, author)] += change
            assigned[entry.entry_id][assigned[entry.entry_id].index(reviewer)] = partner
            assigned[other.entry_id][assigned[other.entry_id].index(partner)] = reviewer
            return True
    return False


def count_mutual_change(pairs: Counter[Pair], moves: Sequence[tuple[int, int, int]]) -> int:
    """How many more mutual pairs there would be after applying `moves` to `pairs`."""
    touched = {(min(person, author), max(person, author)) for person, author, _ in moves}
    delta: Counter[Pair] = Counter()
    for person, author, change in moves:
        delta[(person, author)] += change

    def mutual(change: Counter[Pair]) -> int:
        return sum(
            1
            for low, high in touched
            if pairs[(low, high)] + change[(low, high)] > 0
            and pairs[(high, low)] + change[(high, low)] > 0
        )

    return mutual(delta) - mutual(Counter())


def count_reciprocal_pairs(
    entries: Sequence[EntryToAssign], assignment: Mapping[int, Sequence[int]]
) -> int:
    """Pairs of people who review each other in this assignment."""
    authors = {entry.entry_id: entry.author_id for entry in entries}
    pairs = {
        (reviewer, authors[entry_id])
        for entry_id, reviewers in assignment.items()
        for reviewer in reviewers
    }
    return sum(1 for reviewer, author in pairs if reviewer < author and (author, reviewer) in pairs)
