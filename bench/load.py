"""Monday rush: N reps upload a clip, enter it and send their reviews, all at once.

Run `make bench-load` (or `python bench/load.py --reps 200`). Loopback only, bounded.

1. A rush league is seeded into a temporary data folder (tests/reliability/rush.py):
   N reps, a round in review (each rep has reviews assigned) and an open round.
2. `league serve` (the embedded default: one process, SQLite file, clips on disk) starts.
3. Baseline: the same number of requests at the same concurrency against /healthz.
4. Rush: every rep at once uploads a 1 s WebM clip (with an upload key, as phones do),
   submits it as their entry and sends each assigned review.
5. The server is stopped and the database checked: every acknowledged upload, entry and
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.clips import media  # noqa: E402
from tests.reliability.clients import rep_client, review_form  # noqa: E402
from tests.reliability.harness import ServerProcess  # noqa: E402

TIMEOUT_SECONDS = 120  # per request; the whole rush is bounded by --max-seconds


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
            self.failures.append(f"{kind}: {type(error).__name__}")
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


async def rush(url: str, league: dict[str, Any]) -> tuple[Tally, float]:
    clip = media.webm_opus(1)
    tally = Tally()
    started = time.perf_counter()
    await asyncio.gather(
        *(one_rep(url, rep, league["drill"], clip, tally) for rep in league["reps"])
    )
    return tally, time.perf_counter() - started


async def baseline(url: str, reps: int, requests_per_rep: int) -> tuple[Tally, float]:
    tally = Tally()

    async def one(client: httpx.AsyncClient) -> None:
        for _ in range(requests_per_rep):
            await tally.call("healthz", client.get("/healthz"))

    clients = [httpx.AsyncClient(base_url=url, timeout=TIMEOUT_SECONDS) for _ in range(reps)]
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


def check_database(server: ServerProcess, tally: Tally, league: dict[str, Any]) -> dict[str, Any]:
    uploads = Counter(
        key for (key,) in server.query("SELECT upload_key FROM take WHERE upload_key IS NOT NULL")
    )
    open_round = server.query("SELECT MAX(round_id) FROM entry")[0][0]
    entries = Counter(
        member
        for (member,) in server.query("SELECT member_id FROM entry WHERE round_id = ?", open_round)
    )
    assigned = [review for rep in league["reps"] for review in rep["reviews"]]
    submitted = {
        review_id
        for (review_id,) in server.query("SELECT id FROM review WHERE status = 'submitted'")
    }
    recompute = run_rush_module("check", str(server.data_dir))
    log = server.log()
    return {
        "uploads_exactly_once": set(uploads) == tally.uploads
        and max(uploads.values(), default=1) == 1,
        "entries_exactly_once": set(entries) == tally.entries
        and max(entries.values(), default=1) == 1,
        "reviews_exactly_once": {r for r in assigned if r in submitted} == tally.reviews,
        "standings_match": recompute["standings_match"],
        "scores_match": recompute["scores_match"],
        "database_locked": log.count("database is locked"),
        "tracebacks": log.count("Traceback"),
    }


def run(reps: int, max_seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="league-load-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "LEAGUE_DATA_DIR": str(folder)}
        league = run_rush_module("seed", str(folder), str(reps), env=env)
        server = ServerProcess(folder).start()
        try:
            requests_per_rep = 2 + max(len(rep["reviews"]) for rep in league["reps"])
            base, base_seconds = asyncio.run(
                asyncio.wait_for(baseline(server.url, reps, requests_per_rep), max_seconds)
            )
            tally, seconds = asyncio.run(asyncio.wait_for(rush(server.url, league), max_seconds))
        finally:
            server.stop()
        checks = check_database(server, tally, league)
    rush_rate = tally.requests / seconds
    base_rate = base.requests / base_seconds
    return {
        "reps": reps,
        "requests": tally.requests,
        "seconds": round(seconds, 2),
        "requests_per_second": round(rush_rate, 1),
        "latency": {kind: percentiles(values) for kind, values in tally.latencies.items()},
        "statuses": dict(sorted(tally.statuses.items())),
        "failed_requests": len(tally.failures),
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
    args = parser.parse_args()
    result = run(args.reps, args.max_seconds)
    print(
        f"rush:     {result['requests']} requests in {result['seconds']} s "
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
