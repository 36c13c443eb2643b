"""One Board per team and version: page views and live renders share it until a change."""

from __future__ import annotations

import asyncio
from typing import Any

from league.accounts.models import Team
from league.live.board import Board
from league.live.board_cache import BoardCache
from league.live.broker import RESYNC_KIND, Event


def event(team_id: int, version: int, kind: str = "points") -> Event:
    return Event(organisation_id=1, team_id=team_id, version=version, kind=kind, screen_id=None)


class CountingLoader:
    def __init__(self) -> None:
        self.loads: list[int] = []
        self.gate: asyncio.Event | None = None

    async def __call__(self, team_id: int) -> Board:
        self.loads.append(team_id)
        if self.gate is not None:
            await self.gate.wait()
        return Board(team=Team(id=team_id, name=f"Team {team_id}"))


async def test_views_share_one_load_until_the_team_changes() -> None:
    loader = CountingLoader()
    cache = BoardCache(loader)
    first = await cache.get(1)
    assert await cache.get(1) is first
    assert loader.loads == [1]
    await cache.on_event(event(2, 1))  # another team's change leaves team 1 alone
    assert await cache.get(1) is first
    await cache.on_event(event(1, 5))
    second = await cache.get(1)
    assert second is not first
    assert loader.loads == [1, 1]


async def test_a_burst_of_views_after_a_change_loads_once() -> None:
    loader = CountingLoader()
    cache = BoardCache(loader)
    boards = await asyncio.gather(*(cache.get(1) for _ in range(20)))
    assert loader.loads == [1]
    assert all(board is boards[0] for board in boards)


async def test_a_load_overtaken_by_a_change_is_not_kept() -> None:
    loader = CountingLoader()
    loader.gate = asyncio.Event()
    cache = BoardCache(loader)
    loading = asyncio.create_task(cache.get(1))
    await asyncio.sleep(0)
    await cache.on_event(event(1, 1))  # a write lands while the board is being read
    loader.gate.set()
    stale: Any = await loading
    fresh = await cache.get(1)
    assert fresh is not stale
    assert loader.loads == [1, 1]


async def test_a_resync_forgets_every_team() -> None:
    loader = CountingLoader()
    cache = BoardCache(loader)
    await cache.get(1)
    await cache.get(2)
    await cache.on_event(event(0, 0, RESYNC_KIND))
    await cache.get(1)
    await cache.get(2)
    assert loader.loads == [1, 2, 1, 2]
