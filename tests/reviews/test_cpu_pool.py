"""A whole round's scoring maths runs in the app's CPU pool process, which stops with the app.

At 500 reps the whole-round pass sends its maths to the pool (league.jobs.cpu_pool); here
the threshold is lowered so a five-rep round takes the same path.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from starlette.applications import Starlette

from league.app import create_app
from league.clock import FrozenClock
from league.jobs.cpu_pool import CpuPool, run_off_loop
from league.jobs.service import run_due_jobs
from league.reviews import round_scores
from league.reviews.models import EntryScore
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings import tables as standings
from league.standings.models import RoundPoints
from tests.conftest import ClientFactory
from tests.processes import assert_pool_process_exits_with_server
from tests.reviews.conftest import League, publish, review_everything


async def test_results_are_published_with_the_maths_in_the_pool_process(
    league: League,
    clock: FrozenClock,
    app_services: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(round_scores, "POOL_FROM_ROWS", 0)
    pool: CpuPool = app_services["cpu_pool"]
    assert pool.executor is not None and not pool.executor._processes  # none until used
    await review_everything(league, app_services, clock.now(), scores_by_author={})
    await publish(league.round, app_services, clock)
    assert pool.executor._processes  # the round's scores were worked out there
    scores = await EntryScore.filter(round_id=league.round.id).values_list(
        "score", "review_count", "is_provisional"
    )
    assert sorted(scores) == [(4.0, 3, False)] * 4
    assert await RoundPoints.filter(round_id=league.round.id, is_final=True).count() == 5
    table = await standings.season_table(league.season.id)
    assert [row.rank for row in table] == [1, 2, 3, 4, 5]


async def test_a_manager_publishing_early_gets_results_scored_in_the_pool(
    app: Starlette,
    league: League,
    clock: FrozenClock,
    app_services: dict[str, Any],
    make_client: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's own job context (create_app's services) carries the pool to the hook."""
    monkeypatch.setattr(round_scores, "POOL_FROM_ROWS", 0)
    await review_everything(league, app_services, clock.now())
    client = await make_client(league.manager)
    response = await client.post(
        f"/seasons/rounds/{league.round.id}/early",
        data={"move": "publish_results", "confirm": "yes"},
    )
    assert response.status_code == 303
    await run_due_jobs(app.state.make_job_context())
    assert (await Round.get(id=league.round.id)).state == RoundState.RESULTS
    assert app_services["cpu_pool"].executor._processes
    assert await EntryScore.filter(round_id=league.round.id, is_provisional=False).count() == 4
    assert await RoundPoints.filter(round_id=league.round.id, is_final=True).count() == 5


async def test_the_pool_process_stops_when_the_app_stops(
    settings: Settings, clock: FrozenClock
) -> None:
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app):
        pool: CpuPool = app.state.services["cpu_pool"]
        pid = await run_off_loop(pool, os.getpid)
        assert pid != os.getpid()
        os.kill(pid, 0)  # running
    assert pool.executor is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


KILLED_SERVER = """
import asyncio, os, sys, time
from league.jobs.cpu_pool import CpuPool, run_off_loop

async def main() -> None:
    pool = CpuPool()
    pool.start()
    print(await run_off_loop(pool, os.getpid), flush=True)
    time.sleep(60)

asyncio.run(main())
"""


async def test_the_pool_process_exits_when_the_server_is_killed() -> None:
    await assert_pool_process_exits_with_server(KILLED_SERVER)
