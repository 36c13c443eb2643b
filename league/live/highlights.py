"""The season's highlights on a Board: its leaders by category and the coach's picks.

Only results (and a "helpful" mark after them) move the leaders, and only a coach's pick or
a change of consent to be quoted moves the picks, so the board cache reads them again only
after those changes (league.live.board_parts).
"""

from __future__ import annotations

from league.live.activity import quoting_members
from league.live.board import Leader, Pick
from league.reviews.models import CoachPick, Review, ReviewStatus
from league.seasons.models import Round
from league.standings.models import AwardCategory, RoundPoints, SeasonStanding
from league.standings.points import AWARD_PLACES, MIN_STREAK_FOR_AWARD


async def load_season_leaders(season_id: int) -> dict[AwardCategory, list[Leader]]:
    """The season's leaders per category, from final rounds only (a round in review
    still moves; its race shows in the round's categories).

    Top score: the best round score. Most improved: the latest round score over the first.
    Best reviewer: reviewing and helpful points. Streak: rounds in a row, still going.
    """
    rows = await (
        RoundPoints.filter(season_id=season_id, is_final=True)
        .order_by("round__number")
        .values_list("member_id", "member__user__name", "round_score", "reviewing", "helpful")
    )
    names: dict[int, str] = {}
    scores: dict[int, list[float]] = {}
    reviewing: dict[int, float] = {}
    for member_id, name, score, review_points, helpful_points in rows:
        names[member_id] = name
        if score is not None:
            scores.setdefault(member_id, []).append(float(score))
        reviewing[member_id] = reviewing.get(member_id, 0.0) + review_points + helpful_points
    streaks = await SeasonStanding.filter(
        season_id=season_id, current_streak__gte=MIN_STREAK_FOR_AWARD
    ).values_list("member_id", "current_streak")
    values = {
        AwardCategory.TOP_SCORE: {m: max(s) for m, s in scores.items()},
        AwardCategory.MOST_IMPROVED: {m: s[-1] - s[0] for m, s in scores.items() if len(s) > 1},
        AwardCategory.BEST_REVIEWER: reviewing,
        AwardCategory.STREAK: {int(m): float(streak) for m, streak in streaks},
    }
    return {
        category: rank_leaders(category, by_member, names) for category, by_member in values.items()
    }


def rank_leaders(
    category: AwardCategory, values: dict[int, float], names: dict[int, str]
) -> list[Leader]:
    """The top places of one category; nobody places with nothing to show (no zeros)."""
    valued = [
        (value, names[m].casefold(), m) for m, value in values.items() if value > 0 and m in names
    ]
    valued.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [
        Leader(category, place, member_id, names[member_id], round(value, 4))
        for place, (value, _, member_id) in enumerate(valued[:AWARD_PLACES], start=1)
    ]


async def load_picks(round_: Round) -> list[Pick]:
    picks = (
        await CoachPick.filter(round_id=round_.id)
        .select_related("drill", "entry__member__user", "entry__take")
        .order_by("id")
    )
    quotes = await load_quotes([pick.entry_id for pick in picks])  # type: ignore[attr-defined]
    return [
        Pick(
            id=pick.id,
            drill_title=pick.drill.title,
            member_id=pick.entry.member_id,  # type: ignore[attr-defined]
            name=pick.entry.member.user.name,
            round_number=round_.number,
            take_id=pick.entry.take_id,  # type: ignore[attr-defined]
            has_video=pick.entry.take.has_video and pick.entry.take.deleted_at is None,
            quotes=quotes.get(pick.entry_id, []),  # type: ignore[attr-defined]
        )
        for pick in picks
    ]


async def load_quotes(entry_ids: list[int]) -> dict[int, list[str]]:
    """Kudos on these entries whose writers agreed to be quoted. Quotes carry no names."""
    if not entry_ids:
        return {}
    reviews = await Review.filter(
        entry_id__in=entry_ids, status=ReviewStatus.SUBMITTED, kudos__not=""
    ).order_by("submitted_at", "id")
    allowed = await quoting_members({review.reviewer_id for review in reviews})  # type: ignore[attr-defined]
    quotes: dict[int, list[str]] = {}
    for review in reviews:
        if review.reviewer_id in allowed:  # type: ignore[attr-defined]
            quotes.setdefault(review.entry_id, []).append(review.kudos.strip())  # type: ignore[attr-defined]
    return quotes
