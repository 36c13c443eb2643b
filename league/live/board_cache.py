"""One loaded Board per team and version, shared by page views and live renders.

Every write that changes what a team's views show publishes an event with a higher version
(league.live.events), and every process hears every event. The cache keeps the newest
version it heard per team; a Board loaded at that version serves every page view and live
render until the next event, so a view costs what it shows, not the season's queries.
A load that an event overtook is returned to its caller but not kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from league.live.board import Board
from league.live.broker import RESYNC_KIND, Event

Loader = Callable[[int], Awaitable[Board]]


@dataclass
class BoardCache:
    load: Loader
    versions: dict[int, int] = field(default_factory=dict)
    boards: dict[int, tuple[int, Board]] = field(default_factory=dict)
    # One load per team at a time: a burst of page views after a change waits for it.
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
            version = self.versions.get(team_id, 0)
            board = await self.load(team_id)
            if self.versions.get(team_id, 0) == version:
                self.boards[team_id] = (version, board)
            return board

    def fresh(self, team_id: int) -> Board | None:
        entry = self.boards.get(team_id)
        if entry is not None and entry[0] == self.versions.get(team_id, 0):
            return entry[1]
        return None

    async def on_event(self, event: Event) -> None:
        """Any event may change a team's views (members joining or leaving included)."""
        if event["kind"] == RESYNC_KIND:
            # Events may have been lost while the broker was away: trust nothing cached.
            self.forget_all()
            return
        self.forget(event["team_id"], event["version"])

    def forget_all(self) -> None:
        for team_id in list(self.boards):
            self.forget(team_id, self.versions.get(team_id, 0) + 1)

    def forget(self, team_id: int, version: int) -> None:
        self.versions[team_id] = max(self.versions.get(team_id, 0) + 1, version)
        self.boards.pop(team_id, None)
