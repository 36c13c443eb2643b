"""Managers judging entries, the judging queue, and the coach's picks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from league.accounts.models import Membership
from league.clips.models import Entry
from league.live import events as live_events
from league.reactions import Reactions
from league.reviews.models import CoachPick, Review, ReviewStatus
from league.reviews.round_scores import refresh_after_review
from league.reviews.service import (
    ReviewClosed,
    ReviewInput,
    apply_input,
    check_complete,
    format_deadline,
)
from league.seasons.models import Round, RoundState, Season
from league.settings import Settings

JUDGING_STATES = (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED)
PICKING_STATES = (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED, RoundState.RESULTS)


def is_judging_open(round_: Round, now: datetime) -> bool:
    return round_.state in JUDGING_STATES and now < round_.results_at


def check_can_judge(round_: Round, season: Season, now: datetime) -> None:
    if not is_judging_open(round_, now):
        deadline = format_deadline(round_.results_at, season.time_zone)
        raise ReviewClosed(f"Judging for round {round_.number} closed at results, {deadline}.")


@dataclass(frozen=True)
class JudgingItem:
    """One entry in the judging queue, as plain values."""

    entry_id: int
    name: str
    drill_title: str
    is_judged: bool
    is_pick: bool
    score: float | None = None
    review_count: int = 0
    required_reviews: int = 0
    is_provisional: bool = False
    spread: float = 0.0


@dataclass(frozen=True)
class JudgingQueue:
    """One page of the round's queue: `items` from position `start` of `total` entries."""

    items: list[JudgingItem]
    start: int
    total: int

    @property
    def left(self) -> int:
        return self.total - self.start - len(self.items)


# The queue shows this many entries, then "Show more": a 500-rep round stays a small page.
JUDGING_PAGE_SIZE = 20
SCORE_VALUES = ("score", "review_count", "required_reviews", "is_provisional", "spread")


async def list_judging_queue(round_: Round, start: int = 0) -> JudgingQueue:
    """Where reviewers disagree most first, then unjudged entries before judged ones.

    A judgement settles an entry's disagreement, so judged entries follow every unjudged
    one (in the same order among themselves). Orders the round by two values per entry and
    loads the shown page only."""
    spreads = await Entry.filter(round_id=round_.id, withdrawn_at=None).values_list(
        "id", "score__spread"
    )
    judged = set(
        await Review.filter(
            round_id=round_.id, is_judgement=True, status=ReviewStatus.SUBMITTED
        ).values_list("entry_id", flat=True)
    )
    ranked = sorted(spreads, key=lambda row: (row[0] in judged, -(row[1] or 0.0), row[0]))
    shown = [entry_id for entry_id, _ in ranked[start : start + JUDGING_PAGE_SIZE]]
    picks = await list_pick_ids(round_.id)
    rows = {
        row.pop("id"): row
        for row in await Entry.filter(id__in=shown).values(
            "id",
            name="member__user__name",
            drill_title="drill__title",
            **{key: f"score__{key}" for key in SCORE_VALUES},
        )
    }
    items = [
        JudgingItem(
            entry_id,
            is_judged=entry_id in judged,
            is_pick=entry_id in picks,
            **{key: value for key, value in rows[entry_id].items() if value is not None},
        )
        for entry_id in shown
    ]
    return JudgingQueue(items, start, len(ranked))


async def latest_judging_round(coach: Membership) -> Round | None:
    """The coach's team's round being judged now, else the one with the latest results."""
    rounds = Round.filter(team_id=coach.team_id).select_related("season")  # type: ignore[attr-defined]
    current = await rounds.filter(state__in=JUDGING_STATES).order_by("-submit_closes_at").first()
    if current is not None:
        return current
    return await rounds.filter(state=RoundState.RESULTS).order_by("-results_at").first()


async def count_judged(round_id: int) -> int:
    """Entries still in the round that have a sent judgement."""
    return await Review.filter(
        round_id=round_id,
        is_judgement=True,
        status=ReviewStatus.SUBMITTED,
        entry__withdrawn_at=None,
    ).count()


async def list_pick_ids(round_id: int) -> set[int]:
    ids: list[Any] = await CoachPick.filter(round_id=round_id).values_list("entry_id", flat=True)
    return {int(entry_id) for entry_id in ids}


async def find_judgement(coach: Membership, entry: Entry) -> Review:
    """The coach's judgement of the entry, or a new unsaved one."""
    existing = await Review.get_or_none(entry_id=entry.id, reviewer_id=coach.id)
    if existing is not None:
        return existing
    return Review(
        team_id=entry.team_id,  # type: ignore[attr-defined]
        round_id=entry.round_id,  # type: ignore[attr-defined]
        entry_id=entry.id,
        reviewer_id=coach.id,
        is_judgement=True,
        status=ReviewStatus.ASSIGNED,
    )


async def save_judgement(
    coach: Membership,
    entry: Entry,
    data: ReviewInput,
    now: datetime,
    settings: Settings,
    submit: bool,
    reactions: Reactions,
) -> Review:
    check_can_judge(entry.round, entry.round.season, now)
    judgement = await find_judgement(coach, entry)
    judgement.is_judgement = True
    if submit:
        check_complete(data, entry.drill.rubric)
        judgement.status = ReviewStatus.SUBMITTED
        judgement.submitted_at = judgement.submitted_at or now
    elif judgement.status != ReviewStatus.SUBMITTED:
        judgement.status = ReviewStatus.DRAFT
    apply_input(judgement, data)
    await judgement.save()
    if submit:
        await refresh_after_review(entry.round, entry.id, settings, reactions)
    return judgement


async def pick_entry(coach: Membership, entry: Entry, reactions: Reactions) -> CoachPick:
    """Make the entry its drill's coach's pick for the round (replacing an earlier pick)."""
    round_ = entry.round
    if round_.state not in PICKING_STATES:
        raise ReviewClosed("Pick the coach's pick once submissions have closed.")
    pick, created = await CoachPick.get_or_create(
        round_id=round_.id,
        drill_id=entry.drill_id,  # type: ignore[attr-defined]
        defaults={"team_id": entry.team_id, "entry_id": entry.id, "picked_by_id": coach.id},  # type: ignore[attr-defined]
    )
    if not created:
        pick.entry_id = entry.id  # type: ignore[attr-defined]
        pick.picked_by_id = coach.id  # type: ignore[attr-defined]
        await pick.save()
    await live_events.publish_team_change(reactions, entry.team_id, "coach_pick")  # type: ignore[attr-defined]
    return pick
