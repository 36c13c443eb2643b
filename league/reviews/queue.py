"""The reviewer's queue: the clips waiting for them, and which one comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from league.accounts.models import Membership
from league.reviews.models import Review, ReviewStatus
from league.reviews.service import is_blind
from league.seasons.models import RoundState


@dataclass
class QueueItem:
    review: Review
    number: int  # "Clip 2" when the author is hidden
    author_name: str | None
    drill_title: str

    @property
    def is_done(self) -> bool:
        return self.review.status == ReviewStatus.SUBMITTED


@dataclass
class Queue:
    items: list[QueueItem]
    due: datetime | None
    time_zone: str

    @property
    def waiting(self) -> int:
        return sum(1 for item in self.items if not item.is_done)


async def list_queue(member: Membership) -> Queue:
    reviews = (
        await Review.filter(
            reviewer_id=member.id,
            is_judgement=False,
            round__state=RoundState.REVIEWING,
            entry__withdrawn_at=None,
        )
        .select_related("entry__drill", "entry__member__user", "round__season")
        .order_by("round_id", "id")
    )
    items = [
        QueueItem(
            review=review,
            number=number,
            author_name=None
            if is_blind(review.round, review.round.season)
            else review.entry.member.user.name,
            drill_title=review.entry.drill.title,
        )
        for number, review in enumerate(reviews, start=1)
    ]
    due = min((review.round.review_closes_at for review in reviews), default=None)
    zone = reviews[0].round.season.time_zone if reviews else member.team.time_zone
    return Queue(items=items, due=due, time_zone=zone)


async def clip_number(review: Review) -> int:
    """The review's place in its reviewer's list for the round, so blind clips have names."""
    ids: list[Any] = (
        await Review.filter(
            reviewer_id=review.reviewer_id,  # type: ignore[attr-defined]
            round_id=review.round_id,  # type: ignore[attr-defined]
            is_judgement=False,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    return [int(review_id) for review_id in ids].index(review.id) + 1


async def next_review_id(member: Membership, after_review_id: int) -> int | None:
    """The next review in the member's queue still waiting for them."""
    waiting = await list_waiting(member.id)
    later = [review.id for review in waiting if review.id != after_review_id]
    return later[0] if later else None


async def list_waiting(member_id: int) -> list[Review]:
    return await Review.filter(
        reviewer_id=member_id,
        is_judgement=False,
        round__state=RoundState.REVIEWING,
        status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT],
        entry__withdrawn_at=None,
    ).order_by("round_id", "id")
