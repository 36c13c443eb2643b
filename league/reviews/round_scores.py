"""Entry scores and reviewer leniency for a round, kept current on every write.

A sent review or judgement goes through `refresh_after_review`: it reads, as compact tuples,
the reviews of the entries its entry's reviewers rated this round, updates those reviewers'
running sums and those entries' scores (one upsert per table), then those members' points.
`score_round` is the whole-round pass (when reviews open and close, and at results): it
reads in chunks and runs its maths (`league.reviews.round_maths`) in the app's CPU pool,
so the event loop keeps serving. Both write the same rows
(tests/reviews/test_incremental_scores.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from league.clips.models import Entry
from league.jobs.cpu_pool import CpuPool, run_off_loop
from league.playbook.models import Drill
from league.reactions import Reactions
from league.reviews.models import EntryScore, Review, ReviewerLeniency, ReviewStatus
from league.reviews.round_maths import (
    ReviewRow,
    RoundKey,
    RoundScores,
    SumsRow,
    calculate_round,
)
from league.seasons.models import Round
from league.settings import Settings
from league.standings import service as standings
from league.standings.points import PointsWeights
from league.web.locks import ROUND_SCORING_NAMESPACE, KeyedLocks
from league.web.tasks import SLICE_ROWS, map_in_slices, values_in_chunks

REVIEW_COLUMNS = (
    "entry_id",
    "reviewer_id",
    "is_judgement",
    "status",
    "scores",
    "entry__drill_id",
    "entry__member_id",
)
# Fewer review rows than this are scored on the event loop: a hop to the pool costs more.
POOL_FROM_ROWS = 300
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


async def refresh_round(
    round_id: int, settings: Settings, reactions: Reactions, pool: CpuPool | None = None
) -> None:
    """The whole round's scores, then its provisional points (reviews opening or closing).
    `pool`: the app's CPU pool, where the maths runs (see league.jobs.cpu_pool)."""
    async with ROUND_SCORING.hold(round_id):
        await score_round(round_id, pool)
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


async def score_round(round_id: int, pool: CpuPool | None = None) -> None:
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
    result = await compute_round_scores(key, [int(i) for i in ids], rows, reviewers, pool)
    await save_round_scores(key, result, replace_round=True)


async def load_reviews(**filters: Any) -> list[ReviewRow]:
    """Every review (sent or not) of the chosen entries still in the round, as tuples."""
    rows = await values_in_chunks(
        Review.filter(entry__withdrawn_at=None, **filters), *REVIEW_COLUMNS
    )
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


async def load_sums(key: RoundKey, reviewers: Iterable[int]) -> list[SumsRow]:
    """Every saved sums row of these reviewers for rounds 1..this one, as read."""
    rows = await values_in_chunks(
        ReviewerLeniency.filter(
            season_id=key.season_id,
            round_number__lte=key.number,
            reviewer_id__in=sorted(set(reviewers)),
        ),
        "reviewer_id",
        "round_number",
        "deviation_sum",
        "review_count",
    )
    return rows  # type: ignore[return-value]


async def compute_round_scores(
    key: RoundKey,
    entry_ids: Sequence[int],
    rows: Sequence[ReviewRow],
    changed: Iterable[int],
    pool: CpuPool | None = None,
) -> RoundScores:
    """Read what the maths needs, then run it in the CPU pool (a round at 500 reps is
    ~1,500 reviews and ~5,000 saved sums: enough to stall every other request if done on
    the event loop, or in a thread holding the interpreter lock)."""
    rubrics = await load_rubrics(row.drill_id for row in rows)
    saved = await load_sums(key, {row.reviewer_id for row in rows if not row.is_judgement})
    if len(rows) < POOL_FROM_ROWS:
        return calculate_round(key, entry_ids, rows, set(changed), rubrics, saved)
    return await run_off_loop(
        pool, calculate_round, key, list(entry_ids), list(rows), set(changed), rubrics, saved
    )


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
