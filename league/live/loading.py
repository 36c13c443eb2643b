"""Loading a team's Board from the standings, rounds, entries and reviews.

One Board per team is loaded per render and shared by the phone fragments and the office
screen, so a change costs one set of queries however many sockets watch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from league.accounts.models import Membership, Role, Team
from league.clips.models import Entry
from league.live.activity import load_activity, quoting_members
from league.live.board import Board, Deadline, Leader, Pick, TableRow
from league.reviews.models import CoachPick, Review, ReviewStatus
from league.seasons.models import Round, RoundState, Season
from league.seasons.service import current_round
from league.seasons.today import latest_results_round
from league.standings import tables
from league.standings.models import AwardCategory, RoundPoints, SeasonStanding
from league.standings.points import (
    AWARD_PLACES,
    MIN_STREAK_FOR_AWARD,
    PointsWeights,
    rank_awards,
)
from league.standings.race import load_race


async def load_board(team_id: int, now: datetime, weights: PointsWeights) -> Board:
    team = await Team.get(id=team_id)
    board = Board(team=team)
    active = await current_round(team_id, now)
    results = await latest_results_round(team_id)
    board.results_round = results
    in_play = active is not None and active.state != RoundState.PLANNED
    board.round = active if in_play else (results or active)
    if board.round is None:
        return board
    board.season = await Season.get(id=board.round.season_id)  # type: ignore[attr-defined]
    board.deadline = find_deadline(active)
    table = season_rows(await tables.season_table(board.season.id))
    board.season_rows = await mark_entries(table or await starting_rows(team_id), active)
    board.season_leaders = await load_season_leaders(board.season.id)
    if board.round.state != RoundState.PLANNED:
        board.round_rows = round_rows(await tables.round_table(board.round.id))
        board.leaders, board.leaders_provisional = await load_leaders(board.round, weights)
    board.race = await load_race(active)
    if results is not None:
        board.picks = await load_picks(results)
    names = await load_names(team_id)
    board.activity = await load_activity(board.season, names)
    return board


def find_deadline(round_: Round | None) -> Deadline | None:
    if round_ is None:
        return None
    return {
        RoundState.PLANNED: Deadline(f"Round {round_.number} opens", round_.opens_at),
        RoundState.OPEN: Deadline("Submissions close", round_.submit_closes_at),
        RoundState.REVIEWING: Deadline("Reviews close", round_.review_closes_at),
        RoundState.REVIEWS_CLOSED: Deadline("Results", round_.results_at),
    }.get(round_.state)


async def load_names(team_id: int) -> dict[int, str]:
    rows = await Membership.filter(team_id=team_id).values_list("id", "user__name")
    return {int(member_id): str(name) for member_id, name in rows}


def season_rows(table: Sequence[tables.StandingRow]) -> list[TableRow]:
    """Ranked members first; newcomers without a final round follow, without a place."""
    ranked = [row for row in table if row.rank > 0]
    gaps = gaps_to_next([row.points for row in ranked])
    rows = [
        TableRow(
            member_id=row.member_id,
            name=row.name,
            rank=row.rank,
            points=row.points,
            detail=season_detail(row),
            live_points=row.live_points,
            gap_to_next=gap,
        )
        for row, gap in zip(ranked, gaps, strict=True)
    ]
    newcomers = sorted(
        (row for row in table if row.rank == 0),
        key=lambda row: (-row.live_points, row.name.casefold()),
    )
    rows.extend(
        TableRow(row.member_id, row.name, 0, row.points, "first round", row.live_points)
        for row in newcomers
    )
    return rows


async def starting_rows(team_id: int) -> list[TableRow]:
    """A first round before any points: every rep on the table, level, without a place."""
    reps = await Membership.filter(team_id=team_id, role=Role.REP, is_active=True).values_list(
        "id", "user__name"
    )
    rows = [TableRow(int(member_id), str(name), 0, 0.0, "first round") for member_id, name in reps]
    return sorted(rows, key=lambda row: row.name.casefold())


async def mark_entries(rows: list[TableRow], active: Round | None) -> list[TableRow]:
    """Tick the members who have entered the round taking submissions."""
    if active is None or active.state != RoundState.OPEN:
        return rows
    ids = await Entry.filter(round_id=active.id, withdrawn_at=None).values_list(
        "member_id", flat=True
    )
    entered = {int(member_id) for member_id in ids}  # type: ignore[call-overload]
    return [replace(row, has_entry=row.member_id in entered) for row in rows]


def gaps_to_next(points: Sequence[float]) -> list[float | None]:
    """For rows sorted best first: points needed to draw level with the next row up."""
    gaps: list[float | None] = []
    above: float | None = None
    for value in points:
        gaps.append(round(above - value, 1) if above is not None and above > value else None)
        if above is None or value < above:
            above = value
    return gaps


def season_detail(row: tables.StandingRow) -> str:
    if row.rounds_played == 0:
        return "No rounds yet"
    parts = [f"{row.rounds_played} round" + ("" if row.rounds_played == 1 else "s")]
    if row.best_score is not None:
        parts.append(f"best {row.best_score:.1f}")
    if row.current_streak >= 2:
        parts.append(f"streak {row.current_streak}")
    return " · ".join(parts)


def round_rows(table: Sequence[tables.RoundRow]) -> list[TableRow]:
    gaps = gaps_to_next([row.total for row in table])
    return [
        TableRow(
            member_id=row.member_id,
            name=row.name,
            rank=row.rank,
            points=row.total,
            detail="No entry yet" if not row.submitted else round_detail(row),
            is_provisional=row.is_provisional,
            gap_to_next=gap,
        )
        for row, gap in zip(table, gaps, strict=True)
    ]


def round_detail(row: tables.RoundRow) -> str:
    """Say what happened: an entry without a score after results had too few reviews."""
    if row.round_score is not None:
        return f"score {row.round_score:.1f}"
    return "not enough reviews this round" if row.is_final else "reviews still coming in"


async def load_leaders(
    round_: Round, weights: PointsWeights
) -> tuple[dict[AwardCategory, list[Leader]], bool]:
    """Category leaders: the round's awards once out, else the race so far (provisional)."""
    leaders: dict[AwardCategory, list[Leader]] = {category: [] for category in AwardCategory}
    if round_.state == RoundState.RESULTS:
        for award in await tables.round_awards(round_.id):
            leaders[award.category].append(
                Leader(award.category, award.rank, award.member_id, award.name, award.value)
            )
        return leaders, False
    facts = await tables.saved_round_facts(round_.id)
    names = {item.member_id: item.name for item in facts}
    for place in rank_awards(facts, weights):
        leaders[place.category].append(
            Leader(place.category, place.rank, place.member_id, names[place.member_id], place.value)
        )
    return leaders, True


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
