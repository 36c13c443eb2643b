"""The activity feed: submissions, reviews done, and, once results are out, kudos,
personal bests, streaks and awards. Only good news: nothing here ever points at a miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.functions import Count, Max

from league.clips.models import Entry
from league.live.models import KudosSharing
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import Round, RoundState
from league.standings.models import Award, AwardCategory, RoundPoints

ACTIVITY_LIMIT = 12
MIN_STREAK_TO_SHOUT = 3
RECENT_ROUNDS = 2


@dataclass(frozen=True)
class Activity:
    at: datetime
    kind: str  # submission | reviews | kudos | personal_best | streak | award
    text: str
    quote: str = ""

    @property
    def key(self) -> str:
        """The same for as long as the line shows, so a live update that adds a line moves
        the others instead of sending the whole feed again."""
        line = f"{self.kind}|{self.at.isoformat()}|{self.text}|{self.quote}"
        return hashlib.blake2s(line.encode(), digest_size=6).hexdigest()


async def quoting_members(member_ids: set[int]) -> set[int]:
    if not member_ids:
        return set()
    rows = await KudosSharing.filter(member_id__in=member_ids, allow_quotes=True).values_list(
        "member_id", flat=True
    )
    return {int(member_id) for member_id in rows}  # type: ignore[call-overload]


async def load_round_feed(season_id: int) -> list[Activity]:
    """Submissions and reviews done: what a round in play adds to the feed."""
    rounds = await Round.filter(season_id=season_id).exclude(state=RoundState.PLANNED)
    # The feed shows the newest dozen lines: the two newest started rounds hold them.
    recent = [r.id for r in sorted(rounds, key=lambda r: r.number)[-RECENT_ROUNDS:]]
    return newest_first([*await submission_activity(recent), *await review_activity(recent)])


async def load_results_feed(season_id: int) -> list[Activity]:
    """Kudos, personal bests, streaks and awards: what results add to the feed."""
    rounds = await Round.filter(season_id=season_id, state=RoundState.RESULTS)
    items: list[Activity] = []
    for round_ in sorted(rounds, key=lambda r: r.number)[-RECENT_ROUNDS:]:
        items.extend(await kudos_activity(round_))
        items.extend(personal_best_activity(round_, *await round_bests(round_)))
        items.extend(await award_activity(round_))
    return newest_first(items)


def newest_first(*feeds: list[Activity]) -> list[Activity]:
    """The feed as shown: the newest ACTIVITY_LIMIT lines of `feeds` together."""
    items = [item for feed in feeds for item in feed]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:ACTIVITY_LIMIT]


async def submission_activity(round_ids: list[int]) -> list[Activity]:
    entries = (
        await Entry.filter(round_id__in=round_ids, withdrawn_at=None)
        .order_by("-submitted_at", "-id")
        .limit(ACTIVITY_LIMIT)
        .values_list("submitted_at", "member__user__name", "drill__title")
    )
    return [
        Activity(submitted_at, "submission", f"{name} submitted {title}")
        for submitted_at, name, title in entries
    ]


async def review_activity(round_ids: list[int]) -> list[Activity]:
    """One line per reviewer per round, never per review: with blind reviews, a line per
    review next to a kudos would tell an author who reviewed them. Counted by the
    database: a round of a big team has thousands of reviews, the feed a dozen lines."""
    rows = (
        await Review.filter(
            round_id__in=round_ids,
            status=ReviewStatus.SUBMITTED,
            is_judgement=False,
            submitted_at__not_isnull=True,
        )
        .annotate(done=Count("id"), latest=Max("submitted_at"))
        .group_by("round_id", "reviewer_id", "reviewer__user__name")
        .order_by("-latest", "round_id", "reviewer_id")
        .limit(ACTIVITY_LIMIT)
        .values_list("latest", "reviewer__user__name", "done")
    )
    return [
        Activity(
            as_datetime(latest),
            "reviews",
            f"{name} has done {done} review" + ("" if done == 1 else "s"),
        )
        for latest, name, done in rows
    ]


def as_datetime(value: datetime | str) -> datetime:
    """An aggregated timestamp: SQLite returns the stored text, PostgreSQL a datetime."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


async def kudos_activity(round_: Round) -> list[Activity]:
    """The round's kudos lines, newest first, at most ACTIVITY_LIMIT: they all share the
    results time, so the feed keeps the first ones anyway."""
    reviews = (
        await Review.filter(round_id=round_.id, status=ReviewStatus.SUBMITTED, kudos__not="")
        .order_by("-submitted_at", "-id")
        .values_list("reviewer_id", "kudos", "entry__member_id", "entry__member__user__name")
    )
    allowed = await quoting_members({int(reviewer) for reviewer, *_ in reviews})
    items: list[Activity] = []
    seen: set[int] = set()
    for reviewer_id, kudos, author_id, author_name in reviews:
        quoted = reviewer_id in allowed
        if not quoted and author_id in seen:
            continue  # one "got kudos" line per person is enough
        seen.add(author_id)
        text = f"Kudos for {author_name}"
        items.append(Activity(round_.results_at, "kudos", text, kudos.strip() if quoted else ""))
        if len(items) == ACTIVITY_LIMIT:
            break
    return items


async def round_bests(round_: Round) -> tuple[list[tuple[Any, ...]], dict[int, float]]:
    """The round's scored rows (member id, name, score, streak) and each member's best
    score in the season's earlier rounds (the best is taken by the database)."""
    rows = (
        await RoundPoints.filter(round_id=round_.id, round_score__not_isnull=True)
        .order_by("id")
        .values_list("member_id", "member__user__name", "round_score", "streak_length")
    )
    earlier = (
        await RoundPoints.filter(
            season_id=round_.season_id,  # type: ignore[attr-defined]
            round_score__not_isnull=True,
            round__number__lt=round_.number,
        )
        .annotate(best=Max("round_score"))
        .group_by("member_id")
        .values_list("member_id", "best")
    )
    return rows, {int(member_id): float(best) for member_id, best in earlier}


def personal_best_activity(
    round_: Round, rows: Sequence[tuple[Any, ...]], best_before: dict[int, float]
) -> list[Activity]:
    """`rows`: (member_id, name, round score, streak) of the round's scored members;
    `best_before`: their best scores in earlier rounds."""
    items: list[Activity] = []
    for member_id, name, score, streak in rows:
        if member_id in best_before and score > best_before[member_id]:
            text = f"Personal best for {name}: {score:.1f}"
            items.append(Activity(round_.results_at, "personal_best", text))
        if streak >= MIN_STREAK_TO_SHOUT:
            text = f"{name} is on a {streak}-round streak"
            items.append(Activity(round_.results_at, "streak", text))
    return items


async def award_activity(round_: Round) -> list[Activity]:
    awards = await Award.filter(round_id=round_.id, rank=1).values_list(
        "category", "member__user__name"
    )
    return [
        Activity(round_.results_at, "award", f"{AwardCategory(c).label}: {name}")
        for c, name in awards
    ]
