"""Entry scores and reviewer leniency for a round, kept current on every write.

A sent review or judgement goes through `refresh_after_review`: it reads, as compact tuples,
the reviews of the entries its entry's reviewers rated this round, updates those reviewers'
running sums and those entries' scores (one upsert per table), then those members' points.
`score_round` is the whole-round pass (when reviews open and close, and at results), with
its maths in a worker thread so the event loop keeps serving. Both write the same rows
(tests/reviews/test_incremental_scores.py).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from league.clips.models import Entry
from league.playbook.models import Drill
from league.reactions import Reactions
from league.reviews.models import EntryScore, Review, ReviewerLeniency, ReviewStatus
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
from league.seasons.models import Round
from league.settings import Settings
from league.standings import service as standings
from league.standings.points import PointsWeights
from league.web.locks import ROUND_SCORING_NAMESPACE, KeyedLocks
from league.web.tasks import SLICE_ROWS, map_in_slices

REVIEW_COLUMNS = (
    "entry_id",
    "reviewer_id",
    "is_judgement",
    "status",
    "scores",
    "entry__drill_id",
    "entry__member_id",
)
# Fewer review rows than this are scored on the event loop: a thread hop costs more.
THREAD_FROM_ROWS = 300
SCORE_COLUMNS = (
    "team_id",
    "round_id",
    "score",
    "plain_mean",
    "review_count",
    "required_reviews",
    "is_provisional",
    "spread",
    "per_criterion",
    "updated_at",
)


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


# Concurrent reviews of one round rescore it one after another (see league.web.locks).
ROUND_SCORING = KeyedLocks(ROUND_SCORING_NAMESPACE)


async def refresh_after_review(
    round_: Round, entry_id: int, settings: Settings, reactions: Reactions
) -> None:
    """After one review or judgement of `entry_id` (in `round_`) is sent: scores, points."""
    key = RoundKey(round_.id, round_.season_id, round_.number, round_.team_id)  # type: ignore[attr-defined]
    async with ROUND_SCORING.hold(round_.id):
        members = await rescore_entry(key, entry_id)
        await standings.update_round_points(
            round_.id,
            PointsWeights.from_settings(settings),
            reactions,
            member_ids=members,
            round_=round_,
        )


async def refresh_round(round_id: int, settings: Settings, reactions: Reactions) -> None:
    """The whole round's scores, then its provisional points (reviews opening or closing)."""
    async with ROUND_SCORING.hold(round_id):
        await score_round(round_id)
        await standings.update_round_points(
            round_id, PointsWeights.from_settings(settings), reactions
        )


async def load_round_key(round_id: int) -> RoundKey:
    season_id, number, team_id = await Round.get(id=round_id).values_list(
        "season_id", "number", "team_id"
    )
    return RoundKey(round_id, int(season_id), int(number), int(team_id))


async def rescore_entry(key: RoundKey, entry_id: int) -> set[int]:
    """Rescore what one review of `entry_id` changed; returns the members whose entries
    or reviews moved (their points need updating)."""
    peers = Review.filter(
        entry_id=entry_id, status=ReviewStatus.SUBMITTED, is_judgement=False
    ).values("reviewer_id")
    rated = await Review.filter(
        round_id=key.id,
        reviewer_id__in=Subquery(peers),
        status=ReviewStatus.SUBMITTED,
        is_judgement=False,
        entry__withdrawn_at=None,
    ).values_list("entry_id", "reviewer_id")
    reviewers = {int(reviewer) for _, reviewer in rated}
    entry_ids = sorted({entry_id, *(int(entry) for entry, _ in rated)})
    rows = await load_reviews(entry_id__in=entry_ids)
    result = await compute_round_scores(key, entry_ids, rows, reviewers)
    await save_round_scores(key, result, replace_round=False)
    return {row.author_id for row in rows} | reviewers


async def score_round(round_id: int) -> None:
    """Recompute every entry score and reviewer sum of the round from its reviews.

    Leniency uses this round's reviews and the sums kept from the season's earlier rounds;
    earlier rounds' scores are not rewritten."""
    key = await load_round_key(round_id)
    ids: list[Any] = (
        await Entry.filter(round_id=round_id, withdrawn_at=None)
        .order_by("id")
        .values_list("id", flat=True)
    )
    rows = await load_reviews(round_id=round_id)
    reviewers = {row.reviewer_id for row in rows if row.is_submitted and not row.is_judgement}
    result = await compute_round_scores(key, [int(i) for i in ids], rows, reviewers)
    await save_round_scores(key, result, replace_round=True)


async def load_reviews(**filters: Any) -> list[ReviewRow]:
    """Every review (sent or not) of the chosen entries still in the round, as tuples."""
    rows = await Review.filter(entry__withdrawn_at=None, **filters).values_list(*REVIEW_COLUMNS)
    return [
        ReviewRow(
            int(entry_id),
            int(reviewer_id),
            bool(is_judgement),
            status == ReviewStatus.SUBMITTED,
            scores or {},
            int(drill_id),
            int(author_id),
        )
        for entry_id, reviewer_id, is_judgement, status, scores, drill_id, author_id in rows
    ]


async def load_rubrics(drill_ids: Iterable[int]) -> dict[int, list[dict[str, object]]]:
    rows = await Drill.filter(id__in=sorted(set(drill_ids))).values_list("id", "rubric")
    return {int(drill_id): rubric for drill_id, rubric in rows}


async def load_sums(key: RoundKey, reviewers: Iterable[int]) -> dict[int, list[LeniencySums]]:
    """Each reviewer's saved sums of rounds 1..this one, oldest first."""
    rows = (
        await ReviewerLeniency.filter(
            season_id=key.season_id,
            round_number__lte=key.number,
            reviewer_id__in=sorted(set(reviewers)),
        )
        .order_by("round_number")
        .values_list("reviewer_id", "round_number", "deviation_sum", "review_count")
    )
    sums: dict[int, list[LeniencySums]] = defaultdict(list)
    for reviewer_id, number, total, count in rows:
        sums[int(reviewer_id)].append(LeniencySums(float(total), int(count), int(number)))
    return sums


async def compute_round_scores(
    key: RoundKey, entry_ids: Sequence[int], rows: Sequence[ReviewRow], changed: Iterable[int]
) -> RoundScores:
    """Read what the maths needs, then run it in a thread (a round at 500 reps is ~1,500
    reviews: enough to stall every other request if done on the event loop)."""
    rubrics = await load_rubrics(row.drill_id for row in rows)
    saved = await load_sums(key, {row.reviewer_id for row in rows if not row.is_judgement})
    if len(rows) < THREAD_FROM_ROWS:
        return calculate_scores(key, entry_ids, rows, set(changed), rubrics, saved)
    return await asyncio.to_thread(
        calculate_scores, key, entry_ids, rows, set(changed), rubrics, saved
    )


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


async def save_round_scores(key: RoundKey, result: RoundScores, replace_round: bool) -> None:
    """One upsert for the reviewers' sums and one for the entries' scores."""
    now = datetime.now(UTC)
    sums = await map_in_slices(
        lambda item: ReviewerLeniency(
            season_id=key.season_id,
            round_id=key.id,
            reviewer_id=item[0],
            round_number=key.number,
            deviation_sum=item[1].deviation_sum,
            review_count=item[1].count,
        ),
        list(result.sums.items()),
    )
    scores = await map_in_slices(
        lambda item: EntryScore(entry_id=item[0], updated_at=now, **item[1]),
        list(result.scores.items()),
    )
    async with in_transaction():
        if replace_round:
            await (
                ReviewerLeniency.filter(round_id=key.id)
                .exclude(reviewer_id__in=list(result.sums))
                .delete()
            )
        if sums:
            await ReviewerLeniency.bulk_create(
                sums,
                batch_size=SLICE_ROWS,
                on_conflict=("round_id", "reviewer_id"),
                update_fields=("deviation_sum", "review_count"),
            )
        if scores:
            await EntryScore.bulk_create(
                scores,
                batch_size=SLICE_ROWS,
                on_conflict=("entry_id",),
                update_fields=SCORE_COLUMNS,
            )
