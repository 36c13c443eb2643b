"""Monday rush: N reps upload a clip, enter it and send their reviews, all at once.

Run `make bench-load` (or `python bench/load.py --reps 200`). Loopback only, bounded.
`--scale` runs the same rush against the scale-out set-up instead: two `league serve`
processes sharing a real PostgreSQL, Redis (live broker) and SeaweedFS (clips over S3),
started on loopback ports for the run and stopped by pid; the reps are spread over both
processes, so reviews of one round are rescored by both at once.

1. A rush league is seeded into a temporary data folder (tests/reliability/rush.py):
   N reps, a round in review (each rep has reviews assigned) and an open round.
2. `league serve` starts (the embedded default: one process, SQLite file, clips on disk).
3. Baseline: the same number of requests at the same concurrency against /healthz.
4. Rush: every rep at once uploads a 1 s WebM clip (with an upload key, as phones do),
   submits it as their entry and sends each assigned review.
5. The servers are stopped and the database checked: every acknowledged upload, entry and
   review is there exactly once, nothing unacknowledged appeared, no request got a 500 or
   "database is locked", and the standings and entry scores equal a full recompute.

Prints requests/s, latency percentiles and error counts; the last line is one JSON object
with the ratio of rush throughput to the baseline's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.clips import media  # noqa: E402
from tests.reliability.clients import rep_client, review_form  # noqa: E402
from tests.reliability.harness import ServerProcess  # noqa: E402
from tests.scale import services  # noqa: E402
from tests.scale.cluster import Cluster, league_cluster  # noqa: E402

# No limit per request: each phase as a whole is bounded by --max-seconds instead. A client
# that gave up on a request would leave it running in the server, which is then stopped
# mid-way through it, and the checks would be about that stop rather than the rush.
TIMEOUT_SECONDS: float | None = None


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    uploads: set[str] = field(default_factory=set)  # acknowledged upload keys
    entries: set[int] = field(default_factory=set)  # members whose entry was acknowledged
    reviews: set[int] = field(default_factory=set)

    async def call(self, kind: str, request: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response: httpx.Response = await request
        except httpx.HTTPError as error:
            self.failures.append(f"{kind}: {type(error).__name__} {error}"[:200])
            self.statuses[f"{kind} error"] += 1
            return None
        self.latencies.setdefault(kind, []).append(time.perf_counter() - started)
        self.statuses[f"{kind} {response.status_code}"] += 1
        return response

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    def server_errors(self) -> int:
        return sum(count for key, count in self.statuses.items() if key.endswith(" 500"))


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(pick(0.95) * 1000, 1),
        "p99_ms": round(pick(0.99) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


async def one_rep(url: str, rep: dict[str, Any], drill: int, clip: bytes, tally: Tally) -> None:
    async with rep_client(url, rep, timeout=TIMEOUT_SECONDS) as client:
        key = uuid.uuid4().hex
        headers = {"Content-Type": "audio/webm", "X-Upload-Key": key}
        response = await tally.call(
            "upload", client.post(f"/drills/{drill}/takes", content=clip, headers=headers)
        )
        if response is not None and response.status_code == 201:
            tally.uploads.add(key)
            take_id = response.json()["take_id"]
            submitted = await tally.call("submit", client.post(f"/takes/{take_id}/submit"))
            if submitted is not None and submitted.status_code < 400:
                tally.entries.add(rep["member_id"])
        for review_id in rep["reviews"]:
            form = review_form(1 + review_id % 5)
            sent = await tally.call(
                "review", client.post(f"/reviews/{review_id}/submit", data=form)
            )
            if sent is not None and sent.status_code < 400:
                tally.reviews.add(review_id)


async def rush(urls: list[str], league: dict[str, Any]) -> tuple[Tally, float]:
    """Every rep at once, rep i on server i mod len(urls)."""
    clip = media.webm_opus(1)
    tally = Tally()
    started = time.perf_counter()
    await asyncio.gather(
        *(
            one_rep(urls[number % len(urls)], rep, league["drill"], clip, tally)
            for number, rep in enumerate(league["reps"])
        )
    )
    return tally, time.perf_counter() - started


async def baseline(urls: list[str], reps: int, requests_per_rep: int) -> tuple[Tally, float]:
    tally = Tally()

    async def one(client: httpx.AsyncClient) -> None:
        for _ in range(requests_per_rep):
            await tally.call("healthz", client.get("/healthz"))

    clients = [
        httpx.AsyncClient(base_url=urls[number % len(urls)], timeout=TIMEOUT_SECONDS)
        for number in range(reps)
    ]
    started = time.perf_counter()
    try:
        await asyncio.gather(*(one(client) for client in clients))
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return tally, time.perf_counter() - started


def run_rush_module(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.reliability.rush", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


class Setup(Protocol):
    """Where the rush runs: the servers' URLs, their database and their logs."""

    urls: list[str]

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...

    def recompute(self) -> dict[str, Any]: ...

    def log(self) -> str: ...


@dataclass
class EmbeddedSetup:
    server: ServerProcess
    urls: list[str] = field(default_factory=list)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return self.server.query(sql)

    def recompute(self) -> dict[str, Any]:
        return run_rush_module("check", str(self.server.data_dir))

    def log(self) -> str:
        return self.server.log()


@contextmanager
def embedded(folder: Path, reps: int) -> Iterator[tuple[EmbeddedSetup, dict[str, Any]]]:
    """One `league serve` over a SQLite file and clips on disk; stopped when the block ends."""
    league = run_rush_module("seed", str(folder), str(reps), env=data_env(folder))
    server = ServerProcess(folder).start()
    try:
        yield EmbeddedSetup(server, [server.url]), league
    finally:
        server.stop()


@dataclass
class ScaleSetup:
    postgres: services.PostgresServer
    cluster: Cluster
    urls: list[str] = field(default_factory=list)

    @property
    def database(self) -> str:
        return self.cluster.database_url.rsplit("/", 1)[-1]

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        output = self.postgres.psql(sql, self.database)
        return [tuple(line.split("|")) for line in output.splitlines() if line]

    def recompute(self) -> dict[str, Any]:
        """On a copy of the database, as the recompute rewrites what it checks."""
        copy = f"{self.database}_check"
        self.postgres.psql(f'DROP DATABASE IF EXISTS "{copy}"')
        self.postgres.psql(f'CREATE DATABASE "{copy}" TEMPLATE "{self.database}"')
        return run_rush_module("check-database", self.postgres.url(copy))

    def log(self) -> str:
        return "".join(
            process.log.read_text(errors="replace") for process in self.cluster.processes
        )


@contextmanager
def scale_out(
    folder: Path,
    reps: int,
    postgres: services.PostgresServer,
    redis: services.RedisServer,
    seaweed: services.SeaweedServer,
    bucket: str,
) -> Iterator[tuple[ScaleSetup, dict[str, Any]]]:
    """Two `league serve` processes on `postgres`, `redis` and `seaweed`; the block's end
    stops both (the database stays for the checks)."""
    with league_cluster(postgres, redis, seaweed, bucket, folder, processes=2) as cluster:
        league = run_rush_module("seed", str(folder), str(reps), env=cluster.environment)
        urls = [process.base_url for process in cluster.processes]
        yield ScaleSetup(postgres, cluster, urls), league


def data_env(folder: Path) -> dict[str, str]:
    return {**os.environ, "LEAGUE_DATA_DIR": str(folder)}


def check_database(setup: Setup, tally: Tally, league: dict[str, Any]) -> dict[str, Any]:
    uploads = Counter(
        str(key)
        for (key,) in setup.query("SELECT upload_key FROM take WHERE upload_key IS NOT NULL")
    )
    entries = Counter(
        int(member)
        for (member,) in setup.query(
            "SELECT member_id FROM entry WHERE round_id = (SELECT MAX(round_id) FROM entry)"
        )
    )
    assigned = [review for rep in league["reps"] for review in rep["reviews"]]
    submitted = {
        int(review_id)
        for (review_id,) in setup.query("SELECT id FROM review WHERE status = 'submitted'")
    }
    recompute = setup.recompute()
    log = setup.log()
    return {
        "uploads_exactly_once": set(uploads) == tally.uploads
        and max(uploads.values(), default=1) == 1,
        "entries_exactly_once": set(entries) == tally.entries
        and max(entries.values(), default=1) == 1,
        "reviews_exactly_once": {r for r in assigned if r in submitted} == tally.reviews,
        "standings_match": recompute["standings_match"],
        "scores_match": recompute["scores_match"],
        "differences": recompute["differences"],
        "database_locked": log.count("database is locked"),
        "tracebacks": log.count("Traceback"),
    }


def measure(
    setup: Setup, league: dict[str, Any], max_seconds: float
) -> tuple[Tally, float, Tally, float]:
    """Baseline, then the rush; returns (baseline, rush) tallies with their seconds."""
    reps = len(league["reps"])
    requests_per_rep = 2 + max(len(rep["reviews"]) for rep in league["reps"])
    base = asyncio.run(asyncio.wait_for(baseline(setup.urls, reps, requests_per_rep), max_seconds))
    return (*base, *asyncio.run(asyncio.wait_for(rush(setup.urls, league), max_seconds)))


def run(reps: int, max_seconds: float) -> dict[str, Any]:
    """The rush against the embedded default."""
    with tempfile.TemporaryDirectory(prefix="league-load-") as scratch:
        with embedded(Path(scratch), reps) as (setup, league):
            figures = measure(setup, league, max_seconds)
        return summary("embedded", setup, league, *figures)


def run_scale(
    reps: int,
    max_seconds: float,
    postgres: services.PostgresServer,
    redis: services.RedisServer,
    seaweed: services.SeaweedServer,
    bucket: str,
) -> dict[str, Any]:
    """The rush against two processes on the given PostgreSQL, Redis and SeaweedFS."""
    with tempfile.TemporaryDirectory(prefix="league-load-") as scratch:
        with scale_out(Path(scratch), reps, postgres, redis, seaweed, bucket) as (setup, league):
            figures = measure(setup, league, max_seconds)
        return summary("scale-out", setup, league, *figures)


def run_scale_with_services(reps: int, max_seconds: float) -> dict[str, Any]:
    with services.postgres() as postgres, services.redis() as redis:
        with services.seaweedfs() as seaweed:
            bucket = services.create_bucket(seaweed, "clips")
            return run_scale(reps, max_seconds, postgres, redis, seaweed, bucket)


def summary(
    kind: str,
    setup: Setup,
    league: dict[str, Any],
    base: Tally,
    base_seconds: float,
    tally: Tally,
    seconds: float,
) -> dict[str, Any]:
    checks = check_database(setup, tally, league)
    rush_rate = tally.requests / seconds
    base_rate = base.requests / base_seconds
    return {
        "setup": kind,
        "processes": len(setup.urls),
        "reps": len(league["reps"]),
        "requests": tally.requests,
        "seconds": round(seconds, 2),
        "requests_per_second": round(rush_rate, 1),
        "latency": {kind: percentiles(values) for kind, values in tally.latencies.items()},
        "statuses": dict(sorted(tally.statuses.items())),
        "failed_requests": len(tally.failures),
        "failures": dict(Counter(tally.failures)),
        "server_errors": tally.server_errors(),
        "accepted": {
            "uploads": len(tally.uploads),
            "entries": len(tally.entries),
            "reviews": len(tally.reviews),
        },
        "checks": checks,
        "baseline_requests_per_second": round(base_rate, 1),
        "baseline_latency": percentiles(base.latencies.get("healthz", [])),
        "ratio_to_baseline": round(rush_rate / base_rate, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reps", type=int, default=200, help="reps rushing at once")
    parser.add_argument("--max-seconds", type=float, default=300, help="bound for each phase")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="two processes on PostgreSQL, Redis and SeaweedFS instead of the embedded default",
    )
    args = parser.parse_args()
    if args.scale:
        result = run_scale_with_services(args.reps, args.max_seconds)
    else:
        result = run(args.reps, args.max_seconds)
    print(
        f"rush:     {result['setup']}, {result['processes']} process(es), "
        f"{result['requests']} requests in {result['seconds']} s "
        f"= {result['requests_per_second']} req/s"
    )
    for kind, figures in result["latency"].items():
        print(f"  {kind:8s} {figures}")
    print(f"statuses: {result['statuses']}")
    print(f"errors:   {result['failed_requests']} failed, {result['server_errors']} HTTP 500")
    print(f"checks:   {result['checks']}")
    print(
        f"baseline: {result['baseline_requests_per_second']} req/s on /healthz "
        f"(ratio {result['ratio_to_baseline']})"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
