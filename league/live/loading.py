"""Loading a team's Board from the standings, rounds, entries and reviews.

One Board per team is loaded per change and shared by the phone fragments and the office
screen, so a change costs one set of queries however many sockets watch. After a change,
`reload_board` reads again only the parts that change's kind can move (board_parts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from league.accounts.models import Membership, Role, Team
from league.live.activity import load_results_feed, load_round_feed
from league.live.board import Board, Deadline, Leader, TableRow
from league.live.board_parts import EVERYTHING, BoardPart
from league.live.highlights import load_picks, load_season_leaders
from league.seasons.models import Round, RoundState, Season
from league.seasons.service import current_round
from league.seasons.today import latest_results_round
from league.standings import tables
from league.standings.models import AwardCategory
from league.standings.points import PointsWeights, RoundFacts, rank_awards
from league.standings.race import IN_PLAY, Field, Race, load_race


async def load_board(team_id: int, now: datetime, weights: PointsWeights) -> Board:
    """Everything the team's live views show, read afresh."""
    return await read_parts(await load_frame(team_id, now), EVERYTHING, weights)


async def reload_board(
    board: Board, parts: frozenset[BoardPart], now: datetime, weights: PointsWeights
) -> Board:
    """A new Board: `board` with `parts` read again (the frame: everything)."""
    if BoardPart.FRAME in parts:
        return await load_board(board.team.id, now, weights)
    # A new board starts without the old one's rendered fragments.
    return await read_parts(replace(board, renders={}), parts, weights)


async def load_frame(team_id: int, now: datetime) -> Board:
    """The team, and the round its views show: the one in play, else the latest results,
    else the next planned one."""
    team = await Team.get(id=team_id)
    active = await current_round(team_id, now)
    results = await latest_results_round(team_id)
    in_play = active is not None and active.state != RoundState.PLANNED
    shown = active if in_play else (results or active)
    if shown is None:
        return Board(team=team, results_round=results)
    season = await Season.get(id=shown.season_id)  # type: ignore[attr-defined]
    return Board(
        team=team,
        season=season,
        round=shown,
        results_round=results,
        deadline=find_deadline(active),
    )


async def read_parts(board: Board, parts: frozenset[BoardPart], weights: PointsWeights) -> Board:
    """Fill `parts` of `board` (a new Board of the caller's) from the database."""
    if board.round is None or board.season is None:
        return board
    if parts & {BoardPart.TABLES, BoardPart.FIELD}:
        kept = board.race.field if board.race and BoardPart.FIELD not in parts else None
        await read_tables(board, board.round, weights, kept)
    if BoardPart.FEED in parts:
        board.round_feed = await load_round_feed(board.season.id)
    if BoardPart.SEASON in parts:
        board.season_leaders = await load_season_leaders(board.season.id)
        board.results_feed = await load_results_feed(board.season.id)
    if BoardPart.PICKS in parts and board.results_round is not None:
        board.picks = await load_picks(board.results_round)
    return board


async def read_tables(
    board: Board, shown: Round, weights: PointsWeights, field: Field | None = None
) -> None:
    """The season table with its entry ticks, the round's table and leaders, the race
    (with `field`, its field as already read: only reviews and points changed)."""
    # The round shown is the one in play whenever there is one (see load_frame).
    board.race = await load_race(shown if shown.state in IN_PLAY else None, field)
    season_id: int = shown.season_id  # type: ignore[attr-defined]
    table = season_rows(await tables.season_table(season_id))
    board.season_rows = mark_entries(table or await starting_rows(board.team.id), board.race)
    if shown.state != RoundState.PLANNED:
        points, facts = await tables.round_sheet(shown.id)
        board.round_rows = round_rows(points)
        board.leaders, board.leaders_provisional = await load_leaders(shown, facts, weights)


def find_deadline(round_: Round | None) -> Deadline | None:
    if round_ is None:
        return None
    return {
        RoundState.PLANNED: Deadline(f"Round {round_.number} opens", round_.opens_at),
        RoundState.OPEN: Deadline("Submissions close", round_.submit_closes_at),
        RoundState.REVIEWING: Deadline("Reviews close", round_.review_closes_at),
        RoundState.REVIEWS_CLOSED: Deadline("Results", round_.results_at),
    }.get(round_.state)


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


def mark_entries(rows: list[TableRow], race: Race | None) -> list[TableRow]:
    """Tick the members who have entered the round taking submissions."""
    if race is None or race.field is None or race.state != RoundState.OPEN:
        return rows
    entered = race.field.entered
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
    round_: Round, facts: Sequence[RoundFacts], weights: PointsWeights
) -> tuple[dict[AwardCategory, list[Leader]], bool]:
    """Category leaders: the round's awards once out, else the race so far (provisional)."""
    leaders: dict[AwardCategory, list[Leader]] = {category: [] for category in AwardCategory}
    if round_.state == RoundState.RESULTS:
        for award in await tables.round_awards(round_.id):
            leaders[award.category].append(
                Leader(award.category, award.rank, award.member_id, award.name, award.value)
            )
        return leaders, False
    names = {item.member_id: item.name for item in facts}
    for place in rank_awards(facts, weights):
        leaders[place.category].append(
            Leader(place.category, place.rank, place.member_id, names[place.member_id], place.value)
        )
    return leaders, True
