"""One loaded Board per team, shared by page views and live renders, read again by parts.

Every write that changes what a team's views show publishes an event (league.live.events),
and every process hears every event. The cache notes which parts of the team's board the
event's kind may have changed (board_parts); the next view reads those parts again, and
only those, so the first view after a review costs the round in play, not the season.
Until the next event, every page view and live render shares the board.

An event that arrives while a board is being read marks its parts again: the board read
is kept, and the next view reads those parts once more. A resync (events may have been
lost) marks everything on every team.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from league.live.board import Board
from league.live.board_parts import EVERYTHING, BoardPart, parts_changed_by
from league.live.broker import RESYNC_KIND, Event

Loader = Callable[[int], Awaitable[Board]]
Reloader = Callable[[Board, frozenset[BoardPart]], Awaitable[Board]]


@dataclass
class BoardCache:
    load: Loader
    reload: Reloader
    boards: dict[int, Board] = field(default_factory=dict)
    # Parts of each team's cached board that changed since it was read.
    stale: dict[int, set[BoardPart]] = field(default_factory=dict)
    # One read per team at a time: a burst of page views after a change waits for it.
    locks: dict[int, asyncio.Lock] = field(default_factory=dict)

    async def get(self, team_id: int) -> Board:
        cached = self.fresh(team_id)
        if cached is not None:
            return cached
        lock = self.locks.setdefault(team_id, asyncio.Lock())
        async with lock:
            cached = self.fresh(team_id)
            if cached is not None:
                return cached
            # From here on, events mark a new set: they may not be in what is read now.
            parts = frozenset(self.stale.pop(team_id, EVERYTHING))
            board = self.boards.get(team_id)
            try:
                fresh = await (self.load(team_id) if board is None else self.reload(board, parts))
            except BaseException:
                self.mark(team_id, parts)
                raise
            self.boards[team_id] = fresh
            return fresh

    def fresh(self, team_id: int) -> Board | None:
        if self.stale.get(team_id):
            return None
        return self.boards.get(team_id)

    async def on_event(self, event: Event) -> None:
        if event["kind"] == RESYNC_KIND:
            # Events may have been lost while the broker was away: trust nothing cached.
            self.forget_all()
            return
        self.mark(event["team_id"], parts_changed_by(event["kind"]))

    def forget_all(self) -> None:
        """Read every team's board again in full at its next view."""
        self.mark_all(EVERYTHING)

    def mark_all(self, parts: frozenset[BoardPart]) -> None:
        """Mark `parts` changed on every team cached or being read."""
        for team_id in {*self.boards, *self.locks}:
            self.mark(team_id, parts)

    def mark(self, team_id: int, parts: frozenset[BoardPart]) -> None:
        if parts:
            self.stale.setdefault(team_id, set()).update(parts)
