"""One Board per team: page views and live renders share it until a change, and a change
reads again only the parts of the board its kind can move."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from league.accounts.models import Team
from league.live.board import Board
from league.live.board_cache import BoardCache
from league.live.board_parts import EVERYTHING, BoardPart
from league.live.broker import RESYNC_KIND, TAKE_FEEDBACK_KIND, Event

ROUND_PARTS = frozenset({BoardPart.TABLES, BoardPart.FEED})


def event(team_id: int, kind: str = "points") -> Event:
    return Event(organisation_id=1, team_id=team_id, version=1, kind=kind, screen_id=None)


class CountingLoader:
    """Records every full load (team id) and partial read (team id, parts)."""

    def __init__(self) -> None:
        self.loads: list[int] = []
        self.reloads: list[tuple[int, frozenset[BoardPart]]] = []
        self.gate: asyncio.Event | None = None
        self.failing = False

    async def load(self, team_id: int) -> Board:
        self.loads.append(team_id)
        return Board(team=Team(id=team_id, name=f"Team {team_id}"))

    async def reload(self, board: Board, parts: frozenset[BoardPart]) -> Board:
        self.reloads.append((board.team.id, parts))
        if self.gate is not None:
            await self.gate.wait()
        if self.failing:
            raise ConnectionError("database went away")
        return replace(board)

    def cache(self) -> BoardCache:
        return BoardCache(self.load, self.reload)


async def test_views_share_one_board_until_the_team_changes() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    first = await cache.get(1)
    assert await cache.get(1) is first
    await cache.on_event(event(2))  # another team's change leaves team 1 alone
    assert await cache.get(1) is first
    await cache.on_event(event(1))
    second = await cache.get(1)
    assert second is not first and await cache.get(1) is second
    assert loader.loads == [1]
    assert loader.reloads == [(1, ROUND_PARTS)]


@pytest.mark.parametrize(
    ("kinds", "parts"),
    [
        # A review: the round in play and the feed's reviews, never the season.
        (["points"], ROUND_PARTS),
        # An entry also moves who races (entry ticks, streaks kept alive).
        (["submission", "withdrawal"], {*ROUND_PARTS, BoardPart.FIELD}),
        (["coach_pick"], {BoardPart.PICKS}),
        (["coach_pick", "kudos_sharing"], {BoardPart.PICKS, BoardPart.SEASON}),
        (["points", "coach_pick"], {*ROUND_PARTS, BoardPart.PICKS}),
        # A "helpful" mark after results moves the season's leaders and table.
        (["results_points"], EVERYTHING),
        (["round_results"], EVERYTHING),
        (["schedule"], EVERYTHING),
        (["members"], EVERYTHING),
        (["member_signed_out"], EVERYTHING),  # a role change or an erasure
        # A kind nobody told the board about reads everything: correct before fast.
        (["something_new"], EVERYTHING),
    ],
)
async def test_a_change_reads_again_the_parts_its_kind_can_move(
    kinds: list[str], parts: set[BoardPart]
) -> None:
    loader = CountingLoader()
    cache = loader.cache()
    await cache.get(1)
    for kind in kinds:
        await cache.on_event(event(1, kind))
    await cache.get(1)
    assert loader.reloads == [(1, frozenset(parts))]


async def test_events_for_a_few_sockets_read_nothing_again() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    first = await cache.get(1)
    for kind in ("session_ended", "screen_revoked", "screen_settings", "reveal"):
        await cache.on_event(event(1, kind))
    await cache.on_event(event(1, TAKE_FEEDBACK_KIND))
    assert await cache.get(1) is first
    assert loader.reloads == []


async def test_a_burst_of_views_after_a_change_reads_once() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    await cache.get(1)
    await cache.on_event(event(1))
    boards = await asyncio.gather(*(cache.get(1) for _ in range(20)))
    assert loader.reloads == [(1, ROUND_PARTS)]
    assert all(board is boards[0] for board in boards)


async def test_a_change_during_a_read_is_read_again_next_time() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    await cache.get(1)
    await cache.on_event(event(1, "coach_pick"))
    loader.gate = asyncio.Event()
    reading = asyncio.create_task(cache.get(1))
    await asyncio.sleep(0)
    await cache.on_event(event(1, "points"))  # a write lands while the board is read
    loader.gate.set()
    overtaken = await reading
    fresh = await cache.get(1)
    assert fresh is not overtaken
    assert loader.reloads == [(1, frozenset({BoardPart.PICKS})), (1, ROUND_PARTS)]
    assert await cache.get(1) is fresh


async def test_a_failed_read_is_tried_again_with_the_same_parts() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    first = await cache.get(1)
    await cache.on_event(event(1, "coach_pick"))
    loader.failing = True
    with pytest.raises(ConnectionError):
        await cache.get(1)
    loader.failing = False
    assert await cache.get(1) is not first
    assert loader.reloads == [(1, frozenset({BoardPart.PICKS}))] * 2


async def test_a_resync_reads_everything_on_every_team() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    await cache.get(1)
    await cache.get(2)
    await cache.on_event(event(0, RESYNC_KIND))
    await cache.get(1)
    await cache.get(2)
    assert loader.loads == [1, 2]
    assert loader.reloads == [(1, EVERYTHING), (2, EVERYTHING)]


async def test_a_resync_during_a_read_reads_everything_again() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    await cache.get(1)
    await cache.on_event(event(1))
    loader.gate = asyncio.Event()
    reading = asyncio.create_task(cache.get(1))
    await asyncio.sleep(0)
    await cache.on_event(event(0, RESYNC_KIND))
    loader.gate.set()
    await reading
    await cache.get(1)
    assert loader.reloads == [(1, ROUND_PARTS), (1, EVERYTHING)]


async def test_parts_marked_on_every_team_are_read_again_there() -> None:
    loader = CountingLoader()
    cache = loader.cache()
    await cache.get(1)
    await cache.get(2)
    cache.mark_all(ROUND_PARTS)
    await cache.get(1)
    await cache.get(2)
    assert loader.reloads == [(1, ROUND_PARTS), (2, ROUND_PARTS)]
