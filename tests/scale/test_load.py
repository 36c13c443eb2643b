"""The Monday rush against the scale-out set-up: bench/load.py's rush with 30 reps spread
over two real `league serve` processes on PostgreSQL, Redis and SeaweedFS.

Both processes rescore the round in review at once (each rep's reviews go through the
process that rep talks to), so this is also the test of the database lock that keeps a
round's rescoring one at a time across processes (league.web.locks): without it the
saved scores and standings end up different from a recompute.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.reliability.load_result import assert_rush_held
from tests.scale import services

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"
REPS = 30
MAX_SECONDS = 240  # per phase


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_rush_on_two_processes_loses_and_doubles_nothing(
    postgres_server: services.PostgresServer,
    redis_server: services.RedisServer,
    seaweed_server: services.SeaweedServer,
    s3_bucket: str,
) -> None:
    bench = load_bench()
    result = bench.run_scale(
        REPS, MAX_SECONDS, postgres_server, redis_server, seaweed_server, s3_bucket
    )
    assert result["setup"] == "scale-out" and result["processes"] == 2
    assert_rush_held(result, REPS)
