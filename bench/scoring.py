"""Scoring benchmark: what one review costs at 500 reps x 10 rounds, and a round's results.

Run `make bench-scoring` (or `python bench/scoring.py --reps 500 --rounds 10`). One process,
a real SQLite file under a temp dir, the app's own services (see bench/league_data.py):

1. Submit: --submits reviews of the round in review are sent through `submit_review` (the
   form's service: entry score, reviewer leniency, points, then the change published to
   live views). Measured: wall time and SQL statements per submit.
2. Baseline in the same run, interleaved one for one: the same reviews saved as drafts
   through `save_draft` followed by the same publish, i.e. a change that skips scoring.
3. Results: the round's reviews close and its results are published (the round hooks the
   worker runs, with the app's CPU pool), timed, while a 10 ms ticker measures how late
   the event loop wakes it (`max_loop_lag_ms`; a busy machine inflates it, so the most CPU
   the loop spent in one step is reported too, `max_loop_step_cpu_ms`).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiosqlite  # noqa: E402

from bench.league_data import bench_reactions, move, open_league  # noqa: E402
from league.jobs.cpu_pool import CpuPool  # noqa: E402
from league.reviews import service  # noqa: E402
from league.reviews.models import Review, ReviewStatus  # noqa: E402
from league.seasons.models import Round, RoundState  # noqa: E402
from league.settings import Settings  # noqa: E402
from league.standings.service import notify_points_changed  # noqa: E402
from league.web.heap import freeze_start_up_heap  # noqa: E402

TICK_SECONDS = 0.010


class QueryCounter:
    """Counts SQL statements sent to SQLite or PostgreSQL: every Tortoise query goes
    through one of these driver methods."""

    SQLITE = ("execute", "executemany", "execute_fetchall", "execute_insert")
    POSTGRES = ("execute", "executemany", "fetch", "fetchrow", "fetchval")

    def __init__(self) -> None:
        self.count = 0
        self.originals: list[tuple[type, str, Any]] = []

    def install(self) -> None:
        drivers: list[tuple[type, tuple[str, ...]]] = [(aiosqlite.Connection, self.SQLITE)]
        with contextlib.suppress(ImportError):  # installed for the PostgreSQL runs only
            import asyncpg

            drivers.append((asyncpg.Connection, self.POSTGRES))
        for driver, names in drivers:
            for name in names:
                original = driver.__dict__[name]
                self.originals.append((driver, name, original))
                setattr(driver, name, self.wrap(original))

    def uninstall(self) -> None:
        for driver, name, original in self.originals:
            setattr(driver, name, original)
        self.originals.clear()

    def wrap(self, original: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        return counted

    @contextmanager
    def measure(self) -> Iterator[list[int]]:
        """`with counter.measure() as used:` ... then `used[0]` is the statements run."""
        start = self.count
        out: list[int] = []
        yield out
        out.append(self.count - start)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def submit_one(review: Review, settings: Settings, rubric: list[dict[str, Any]]) -> None:
    data = service.ReviewInput(
        scores={str(c["key"]): 4 for c in rubric}, kudos="Good pace and a clear close."
    )
    await service.submit_review(
        review,
        data,
        rubric,
        review.round.review_closes_at - timedelta(hours=1),
        settings,
        bench_reactions(),
    )


async def draft_one(review: Review, settings: Settings) -> None:
    data = service.ReviewInput(scores={"clarity": 3}, kudos="Half way through my notes.")
    await service.save_draft(review, data, review.round.review_closes_at - timedelta(hours=1))
    await notify_points_changed(bench_reactions(), review.team_id, review.round_id)  # type: ignore[attr-defined]


async def measure_submits(
    round_id: int, count: int, settings: Settings, counter: QueryCounter
) -> dict[str, Any]:
    reviews = (
        await Review.filter(round_id=round_id, status=ReviewStatus.ASSIGNED)
        .order_by("id")
        .limit(count * 2)
        .select_related("round__season", "entry__drill")
    )
    submit_ms: list[float] = []
    submit_queries: list[int] = []
    draft_ms: list[float] = []
    draft_queries: list[int] = []
    submit_cpu_ms: list[float] = []  # this process's CPU: what a busy machine cannot inflate
    for submit, draft in zip(reviews[0::2], reviews[1::2], strict=False):
        for review, timings, queries, is_submit in (
            (submit, submit_ms, submit_queries, True),
            (draft, draft_ms, draft_queries, False),
        ):
            with counter.measure() as used:
                started, cpu_started = time.perf_counter(), time.process_time()
                if is_submit:
                    await submit_one(review, settings, review.entry.drill.rubric)
                else:
                    await draft_one(review, settings)
                timings.append((time.perf_counter() - started) * 1000)
                if is_submit:
                    submit_cpu_ms.append((time.process_time() - cpu_started) * 1000)
            queries.append(used[0])
    return {
        "submits": len(submit_ms),
        "submit_p50_ms": round(statistics.median(submit_ms), 2),
        "submit_p99_ms": round(percentile(submit_ms, 0.99), 2),
        "submit_cpu_p50_ms": round(statistics.median(submit_cpu_ms), 2),
        "queries_per_submit": max(submit_queries),
        "baseline_p50_ms": round(statistics.median(draft_ms), 2),
        "baseline_p99_ms": round(percentile(draft_ms, 0.99), 2),
        "baseline_queries": max(draft_queries),
    }


@contextmanager
def longest_loop_step() -> Iterator[list[float]]:
    """`with longest_loop_step() as longest:` ... then `longest[0]` is the most CPU time (ms)
    the event loop's thread spent in one callback (one step of a task between two awaits):
    the stall a busy machine cannot inflate, unlike the ticker's lag."""
    original = asyncio.events.Handle._run
    longest = [0.0]

    def timed(handle: asyncio.events.Handle) -> None:
        started = time.thread_time()
        original(handle)
        longest[0] = max(longest[0], (time.thread_time() - started) * 1000)

    asyncio.events.Handle._run = timed  # type: ignore[method-assign]
    try:
        yield longest
    finally:
        asyncio.events.Handle._run = original  # type: ignore[method-assign]


async def watch_loop(work: Awaitable[Any]) -> tuple[float, float]:
    """Run `work` while a 10 ms ticker records how late the loop wakes it: (seconds, max ms)."""
    lags: list[float] = [0.0]
    done = asyncio.Event()

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not done.is_set():
            expected = loop.time() + TICK_SECONDS
            await asyncio.sleep(TICK_SECONDS)
            lags.append(max(0.0, loop.time() - expected) * 1000)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await work
    seconds = time.perf_counter() - started
    done.set()
    await task
    return seconds, max(lags)


def cpu_seconds() -> float:
    """CPU time of this process, its worker threads included."""
    return time.process_time()


async def measure_results(round_id: int, settings: Settings, pool: CpuPool) -> dict[str, float]:
    """Close reviews and publish results (the round hooks the worker runs, with the app's
    CPU pool) under the ticker; the same ticker over an idle loop for as long is the
    baseline (a busy machine alone wakes a sleeper late)."""
    round_ = await Round.get(id=round_id)
    with longest_loop_step() as longest:
        closing = move(round_, RoundState.REVIEWS_CLOSED, settings, pool)
        _, closing_lag = await watch_loop(closing)
        cpu_started = cpu_seconds()
        results = move(round_, RoundState.RESULTS, settings, pool)
        results_s, results_lag = await watch_loop(results)
        results_cpu_s = cpu_seconds() - cpu_started
    _, idle_lag = await watch_loop(asyncio.sleep(results_s))
    return {
        "results_s": round(results_s, 3),
        "results_cpu_s": round(results_cpu_s, 3),
        "max_loop_lag_ms": round(max(closing_lag, results_lag), 1),
        "max_loop_step_cpu_ms": round(longest[0], 1),
        "idle_loop_lag_ms": round(idle_lag, 1),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    # The worker's part of a round change that this bench times: the reviews feature's
    # hook (bench_reactions, which move() runs).
    with tempfile.TemporaryDirectory(prefix="league-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp), database_setup="none")
        counter = QueryCounter()
        counter.install()
        async with open_league(args.reps, args.rounds, settings) as league:
            freeze_start_up_heap()  # as the app's lifespan does once start-up is done
            last = league.round_ids[-1]
            submits = await measure_submits(last, args.submits, settings, counter)
            print(json.dumps(submits))
            pool = CpuPool()
            pool.start()  # as the app's lifespan does
            try:
                results = await measure_results(last, settings, pool)
            finally:
                await pool.stop()
            print(json.dumps(results))
    return {
        "bench": "scoring",
        "reps": args.reps,
        "rounds": args.rounds,
        **submits,
        "submit_ratio": round(submits["submit_p50_ms"] / submits["baseline_p50_ms"], 2),
        **results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--submits", type=int, default=30)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
