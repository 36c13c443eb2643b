"""Entry scores for a round: recomputed after every sent review or judgement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from tortoise.transactions import in_transaction

from league.clips.models import Entry
from league.playbook.models import Drill
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.reviews.scoring import (
    CriterionScores,
    Rating,
    calibrate,
    calibrate_criteria,
    overall_score,
    score_spread,
)
from league.seasons.models import Round
from league.settings import Settings
from league.standings import service as standings
from league.standings.points import PointsWeights


async def refresh_round(round_id: int, settings: Settings) -> None:
    """After a review changes: that round's entry scores, then its provisional points."""
    await score_round(round_id)
    await standings.update_round_points(round_id, PointsWeights.from_settings(settings))


async def score_round(round_id: int) -> list[EntryScore]:
    """Recompute the calibrated scores of this round's entries.

    Reviewer biases are estimated from this round and the season's earlier rounds (more
    reviews per person, steadier estimates). Earlier rounds' scores are not rewritten.
    """
    round_ = await Round.get(id=round_id)
    reviews = await Review.filter(
        round__season_id=round_.season_id,  # type: ignore[attr-defined]
        round__number__lte=round_.number,
        status=ReviewStatus.SUBMITTED,
        entry__withdrawn_at=None,
    ).select_related("entry")
    rubrics = await load_rubrics({review.entry.drill_id for review in reviews})  # type: ignore[attr-defined]
    overall = {
        review.id: overall_score(review.scores, rubrics.get(review.entry.drill_id, []))  # type: ignore[attr-defined]
        for review in reviews
    }
    calibration = calibrate(
        [
            Rating(review.entry_id, review.reviewer_id, score, review.is_judgement)  # type: ignore[attr-defined]
            for review in reviews
            if (score := overall[review.id]) is not None
        ]
    )
    entries = await Entry.filter(round_id=round_id, withdrawn_at=None).order_by("id")
    assigned = await count_assigned(round_id)
    by_entry: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        by_entry[review.entry_id].append(review)  # type: ignore[attr-defined]
    saved = {score.entry_id: score for score in await EntryScore.filter(round_id=round_id)}  # type: ignore[attr-defined]
    async with in_transaction():
        return [
            await save_entry_score(
                entry,
                saved.get(entry.id),
                by_entry[entry.id],
                overall,
                calibration.scores,
                calibration.biases,
                calibration.plain_means,
                assigned.get(entry.id, 0),
            )
            for entry in entries
        ]


async def load_rubrics(drill_ids: set[int]) -> dict[int, list[dict[str, object]]]:
    drills = await Drill.filter(id__in=list(drill_ids))
    return {drill.id: drill.rubric for drill in drills}


async def count_assigned(round_id: int) -> dict[int, int]:
    entry_ids = await Review.filter(round_id=round_id, is_judgement=False).values_list(
        "entry_id", flat=True
    )
    counts: dict[int, int] = defaultdict(int)
    for entry_id in entry_ids:
        counts[int(str(entry_id))] += 1
    return counts


async def save_entry_score(
    entry: Entry,
    saved: EntryScore | None,
    reviews: Sequence[Review],
    overall: Mapping[int, float | None],
    scores: Mapping[int, float],
    biases: Mapping[int, float],
    plain_means: Mapping[int, float],
    assigned: int,
) -> EntryScore:
    """Write the entry's score into `saved` (its row, loaded with the round's) or a new row."""
    peer_scores = [
        value
        for review in reviews
        if not review.is_judgement and (value := overall[review.id]) is not None
    ]
    required = max(1, assigned)
    values = {
        "team_id": entry.team_id,  # type: ignore[attr-defined]
        "round_id": entry.round_id,  # type: ignore[attr-defined]
        "score": round(scores[entry.id], 3) if entry.id in scores else None,
        "plain_mean": round(plain_means[entry.id], 3) if entry.id in plain_means else None,
        "review_count": len(reviews),
        "required_reviews": required,
        "is_provisional": len(reviews) < required,
        "spread": round(score_spread(peer_scores), 3),
        "per_criterion": calibrate_criteria(
            [
                CriterionScores(review.reviewer_id, review.is_judgement, review.scores)  # type: ignore[attr-defined]
                for review in reviews
            ],
            biases,
        ),
    }
    if saved is not None:
        await saved.update_from_dict(values).save()
        return saved
    score, created = await EntryScore.get_or_create(entry_id=entry.id, defaults=values)
    if not created:
        await score.update_from_dict(values).save()
    return score
