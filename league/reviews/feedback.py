"""Feedback for the author: the reviews their entries got, and marking them helpful."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from league.accounts.models import Membership
from league.clips.models import Entry
from league.reactions import Reactions
from league.reviews.judging import list_pick_ids
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.reviews.service import ReviewClosed
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings import service as standings
from league.standings.points import PointsWeights
from league.web.errors import LeagueError


@dataclass
class FeedbackEntry:
    entry: Entry
    score: EntryScore | None
    reviews: list[Review]
    is_pick: bool


async def list_feedback(member: Membership, round_: Round) -> list[FeedbackEntry]:
    """The member's entries in a round with the reviews they got (after results only)."""
    if round_.state != RoundState.RESULTS:
        return []
    entries = (
        await Entry.filter(round_id=round_.id, member_id=member.id, withdrawn_at=None)
        .select_related("drill")
        .order_by("id")
    )
    entry_ids = [entry.id for entry in entries]
    picks = await list_pick_ids(round_.id)
    scores = {s.entry_id: s for s in await EntryScore.filter(entry_id__in=entry_ids)}  # type: ignore[attr-defined]
    reviews: dict[int, list[Review]] = defaultdict(list)
    for review in await Review.filter(
        entry_id__in=entry_ids, status=ReviewStatus.SUBMITTED
    ).order_by("-is_judgement", "submitted_at", "id"):
        reviews[review.entry_id].append(review)  # type: ignore[attr-defined]
    return [
        FeedbackEntry(entry, scores.get(entry.id), reviews[entry.id], entry.id in picks)
        for entry in entries
    ]


async def mark_helpful(
    review: Review, helpful: bool, settings: Settings, reactions: Reactions
) -> Review:
    """The author says whether a peer review helped; it counts toward the reviewer's points."""
    if review.round.state != RoundState.RESULTS:
        raise ReviewClosed("You can mark reviews helpful once the results are out.")
    if review.is_judgement or review.status != ReviewStatus.SUBMITTED:
        raise LeagueError("Only teammates' sent reviews can be marked helpful.", status=422)
    review.helpful = helpful
    await review.save(update_fields=["helpful", "updated_at"])
    await standings.update_round_points(
        review.round_id,  # type: ignore[attr-defined]
        PointsWeights.from_settings(settings),
        reactions,
    )
    return review
