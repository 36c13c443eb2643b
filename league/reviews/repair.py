"""Scores a stopped server left behind, brought level at start-up.

A sent review commits first; its round is rescored after, under the round's lock
(round_scores.refresh_after_review). A server killed in between keeps the review but not
its effect on scores and points. An entry whose newest sent review is newer than its
score is such a case; its round is rescored whole, which equals every incremental step
(tests/reviews/test_incremental_scores.py).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from league.reactions import Reactions
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.reviews.round_scores import refresh_round
from league.seasons.models import RoundState
from league.settings import Settings

logger = logging.getLogger(__name__)


async def find_rounds_behind() -> list[int]:
    """Rounds taking reviews with a sent review newer than its entry's score."""
    sent = await Review.filter(
        round__state=RoundState.REVIEWING,
        status=ReviewStatus.SUBMITTED,
        entry__withdrawn_at=None,
    ).values_list("round_id", "entry_id", "updated_at")
    newest: dict[int, tuple[int, datetime]] = {}
    for round_id, entry_id, updated_at in sent:
        known = newest.get(int(entry_id))
        if known is None or updated_at > known[1]:
            newest[int(entry_id)] = (int(round_id), updated_at)
    scored: dict[Any, Any] = dict(
        await EntryScore.filter(entry_id__in=list(newest)).values_list("entry_id", "updated_at")
    )
    return sorted(
        {
            round_id
            for entry_id, (round_id, reviewed_at) in newest.items()
            if entry_id not in scored or scored[entry_id] < reviewed_at
        }
    )


async def rescore_rounds_behind(settings: Settings, reactions: Reactions) -> list[int]:
    """Rescore every round left behind; returns their ids."""
    rounds = await find_rounds_behind()
    for round_id in rounds:
        logger.warning("round %s had reviews newer than its scores; rescoring it", round_id)
        await refresh_round(round_id, settings, reactions)
    return rounds
