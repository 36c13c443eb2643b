"""The reviewer's queue: the clips waiting for them, and which one comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from league.accounts.models import Membership
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import RoundState


@dataclass(frozen=True)
class QueueItem:
    review_id: int
    status: ReviewStatus
    number: int  # "Clip 2" when the author is hidden
    author_name: str | None
    drill_title: str

    @property
    def is_done(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED


@dataclass
class Queue:
    items: list[QueueItem]
    due: datetime | None
    time_zone: str

    @property
    def waiting(self) -> int:
        return sum(1 for item in self.items if not item.is_done)


QUEUE_FIELDS = (
    "id",
    "status",
    "entry__drill__title",
    "entry__member__user__name",
    "round__review_closes_at",
    "round__season__blind_reviews",
    "round__season__time_zone",
)


async def list_queue(member: Membership) -> Queue:
    """The member's reviews in rounds under review, read as values (a phone's every visit)."""
    rows = (
        await Review.filter(
            reviewer_id=member.id,
            is_judgement=False,
            round__state=RoundState.REVIEWING,
            entry__withdrawn_at=None,
        )
        .order_by("round_id", "id")
        .values_list(*QUEUE_FIELDS)
    )
    items = [
        QueueItem(
            review_id=int(review_id),
            status=ReviewStatus(status),
            number=number,
            # Rounds in review only: a blind season hides authors until results (is_blind).
            author_name=None if blind else str(author),
            drill_title=str(title),
        )
        for number, (review_id, status, title, author, _, blind, _) in enumerate(rows, start=1)
    ]
    due = min((row[4] for row in rows), default=None)
    zone = str(rows[0][6]) if rows else member.team.time_zone
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
