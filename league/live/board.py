"""What a team's live views show: the Board, its rows and leaders, and how they read.

A Board is plain data, loaded once per change by `loading` and shared by the phone
fragments and the office screen. Nothing in here is about one viewer: marking "you"
happens in the browser (live.js), so every member of a team receives the same HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from league.accounts.models import Team
from league.live.activity import Activity, newest_first
from league.seasons.models import Round, Season
from league.standings.models import AwardCategory
from league.standings.race import Race, RaceRow
from league.standings.tables import AwardRow

NEAR_ME_SPAN = 2  # rows shown above and below a member in "near me"
# A phone shows the top of each table, the member's neighbourhood and their own row; the
# rest loads on demand, a page at a time, so a 500-rep team's Standings stay small.
TOP_ROWS = 10
MORE_ROWS = 100
RACE_FACES = 24  # avatars in a race's "who is in" strip; the rest is counted
# What the table templates are rendered with, pages and live renders alike.
TABLE_LIMITS = {"top_rows": TOP_ROWS, "race_faces": RACE_FACES}


@dataclass(frozen=True)
class TableRow:
    member_id: int
    name: str
    rank: int  # 0: no place yet (no final round); shown without a number
    points: float
    detail: str = ""
    # This round's provisional points, not yet in `points`.
    live_points: float = 0.0
    is_provisional: bool = False
    # Points to catch the row above: a race a rep can see they can win.
    gap_to_next: float | None = None
    # Has an entry in the round taking submissions: good news, so only ever a tick.
    has_entry: bool = False

    @property
    def initials(self) -> str:
        return initials_of(self.name)

    @property
    def gap_text(self) -> str:
        if self.gap_to_next is None:
            return ""
        return f"{format_points(self.gap_to_next)} pts to {ordinal(self.rank - 1)}"


class Leader(AwardRow):
    """A category leader as the live views show it."""

    @property
    def value_text(self) -> str:
        return format_category_value(self.category, self.value)


@dataclass(frozen=True)
class Pick:
    id: int
    drill_title: str
    member_id: int
    name: str
    round_number: int
    take_id: int
    has_video: bool
    quotes: list[str]


@dataclass(frozen=True)
class Deadline:
    label: str
    at: datetime


@dataclass
class Board:
    team: Team
    season: Season | None = None
    round: Round | None = None
    results_round: Round | None = None
    deadline: Deadline | None = None
    season_rows: list[TableRow] = field(default_factory=list)
    round_rows: list[TableRow] = field(default_factory=list)
    leaders: dict[AwardCategory, list[Leader]] = field(default_factory=dict)
    leaders_provisional: bool = True
    # The season so far by category, from final rounds only.
    season_leaders: dict[AwardCategory, list[Leader]] = field(default_factory=dict)
    picks: list[Pick] = field(default_factory=list)
    # The activity feed in two halves, each read again only when its own kind of change
    # happens: what a round in play adds (submissions, reviews done) and what results add
    # (kudos, personal bests, streaks, awards).
    round_feed: list[Activity] = field(default_factory=list)
    results_feed: list[Activity] = field(default_factory=list)
    # The round in play as a race (who is in, reviews, streaks); None outside a round.
    race: Race | None = None
    # Its fragments as rendered for everyone: (template, oob) -> HTML (live.service).
    renders: dict[tuple[str, bool], str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def time_zone(self) -> str:
        return self.season.time_zone if self.season else self.team.time_zone

    @property
    def has_season_places(self) -> bool:
        return any(row.rank > 0 for row in self.season_rows)

    @property
    def near_by_round(self) -> bool:
        """In a first round nobody has a season place yet: "near me" is the round's race."""
        return not self.has_season_places and bool(self.round_rows)

    @property
    def near_source(self) -> list[int]:
        """Member ids in the order of the table "near me" is read from."""
        return [row.member_id for row in self.near_rows]

    @property
    def near_rows(self) -> Sequence[TableRow | RaceRow]:
        """The rows "near me" reads from: the race, the round's table or the season's."""
        if self.near_by_round and self.race is not None:
            return self.race.rows
        return self.round_rows if self.near_by_round else self.season_rows

    @property
    def round_table_rows(self) -> Sequence[TableRow | RaceRow]:
        """The "This round" table: the race while a round is in play, else round points."""
        return self.race.rows if self.race is not None else self.round_rows

    @property
    def slide_leaders(self) -> dict[AwardCategory, list[Leader]]:
        """The office screen's category slides: this round's race once it has names in
        it, the season's until then (a round just opened has nobody scored yet)."""
        if any(self.leaders.values()):
            return self.leaders
        return self.season_leaders

    @property
    def activity(self) -> list[Activity]:
        """The feed, newest first."""
        return newest_first(self.round_feed, self.results_feed)

    @property
    def kudos(self) -> list[Activity]:
        """Recent kudos quoted (with their writers' consent) in the feed, newest first."""
        return [item for item in self.activity if item.kind == "kudos" and item.quote]

    @property
    def slides_are_season(self) -> bool:
        return not any(self.leaders.values()) and any(self.season_leaders.values())


def initials_of(name: str) -> str:
    parts = name.split()
    return "".join(part[0] for part in parts[:2]).upper() if parts else "?"


def format_category_value(category: AwardCategory, value: float) -> str:
    if category == AwardCategory.TOP_SCORE:
        return f"{value:.1f} / 5"
    if category == AwardCategory.MOST_IMPROVED:
        return f"+{value:.1f}"
    if category == AwardCategory.BEST_REVIEWER:
        return f"{format_points(value)} pts"
    return f"{int(value)} rounds"


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def format_points(points: float) -> str:
    return f"{points:.1f}".removesuffix(".0")


def near_rows(positions: Sequence[int], member_id: int | None) -> set[int]:
    """Member ids within NEAR_ME_SPAN rows of `member_id` (all rows if they are not on it)."""
    if member_id not in positions:
        return set(positions)
    index = positions.index(member_id)
    return set(positions[max(0, index - NEAR_ME_SPAN) : index + NEAR_ME_SPAN + 1])


Row = TypeVar("Row", bound=TableRow | RaceRow)


def neighbourhood(rows: Sequence[Row], member_id: int | None) -> list[Row]:
    """The member's row with NEAR_ME_SPAN rows either side; empty if they are not on it."""
    index = next((i for i, row in enumerate(rows) if row.member_id == member_id), None)
    if index is None:
        return []
    return list(rows[max(0, index - NEAR_ME_SPAN) : index + NEAR_ME_SPAN + 1])


def own_row(rows: Sequence[Row], member_id: int | None) -> Row | None:
    return next((row for row in rows if row.member_id == member_id), None)
