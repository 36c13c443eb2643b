"""The activity feed: submissions, reviews done, and, once results are out, kudos,
personal bests, streaks and awards. Only good news: nothing here ever points at a miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from league.clips.models import Entry
from league.live.models import KudosSharing
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import Round, RoundState, Season
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


async def load_activity(season: Season, names: dict[int, str]) -> list[Activity]:
    rounds = {r.id: r for r in await Round.filter(season_id=season.id)}
    # The feed shows the newest dozen lines: the two newest started rounds hold them.
    started = [r for r in rounds.values() if r.state != RoundState.PLANNED]
    recent = sorted(started, key=lambda r: r.number)[-RECENT_ROUNDS:]
    items = [
        *await submission_activity([r.id for r in recent]),
        *await review_activity([r.id for r in recent], names),
        *await results_activity(
            season, [r for r in rounds.values() if r.state == RoundState.RESULTS]
        ),
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:ACTIVITY_LIMIT]


async def submission_activity(round_ids: list[int]) -> list[Activity]:
    entries = (
        await Entry.filter(round_id__in=round_ids, withdrawn_at=None)
        .select_related("member__user", "drill")
        .order_by("-submitted_at")
        .limit(ACTIVITY_LIMIT)
    )
    return [
        Activity(e.submitted_at, "submission", f"{e.member.user.name} submitted {e.drill.title}")
        for e in entries
    ]


async def review_activity(round_ids: list[int], names: dict[int, str]) -> list[Activity]:
    """One line per reviewer per round, never per review: with blind reviews, a line per
    review next to a kudos would tell an author who reviewed them."""
    reviews = await Review.filter(
        round_id__in=round_ids, status=ReviewStatus.SUBMITTED, is_judgement=False
    ).values_list("round_id", "reviewer_id", "submitted_at")
    latest: dict[tuple[int, int], datetime] = {}
    counts: dict[tuple[int, int], int] = {}
    for round_id, reviewer_id, submitted_at in reviews:
        key = (int(round_id), int(reviewer_id))
        counts[key] = counts.get(key, 0) + 1
        if submitted_at and (key not in latest or submitted_at > latest[key]):
            latest[key] = submitted_at
    return [
        Activity(
            at,
            "reviews",
            f"{names.get(key[1], 'A teammate')} has done "
            f"{counts[key]} review" + ("" if counts[key] == 1 else "s"),
        )
        for key, at in latest.items()
    ]


async def results_activity(season: Season, results_rounds: list[Round]) -> list[Activity]:
    """Kudos, personal bests, streaks and awards appear when a round's results are out."""
    fields = ("member_id", "member__user__name", "round__number", "round_score", "streak_length")
    history = await RoundPoints.filter(
        season_id=season.id, round_score__not_isnull=True
    ).values_list(*fields)
    items: list[Activity] = []
    for round_ in sorted(results_rounds, key=lambda r: r.number)[-2:]:
        items.extend(await kudos_activity(round_))
        items.extend(personal_best_activity(round_, history))
        items.extend(await award_activity(round_))
    return items


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


def personal_best_activity(round_: Round, history: Sequence[tuple[Any, ...]]) -> list[Activity]:
    """`history`: (member_id, name, round number, round score, streak) for the season."""
    best_before: dict[int, float] = {}
    for member_id, _, number, score, _ in history:
        if number < round_.number:
            best_before[member_id] = max(score, best_before.get(member_id, score))
    items: list[Activity] = []
    for member_id, name, number, score, streak in history:
        if number != round_.number:
            continue
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
