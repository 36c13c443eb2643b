"""A smaller Monday rush in every run: bench/load.py with 30 reps at once against a real
`league serve` (the embedded default) must keep every accepted write exactly once, fail
no request, and leave standings equal to a full recompute."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"
REPS = 30


def test_a_rush_of_reps_loses_and_doubles_nothing() -> None:
    finished = subprocess.run(
        [sys.executable, str(BENCH), "--reps", str(REPS), "--max-seconds", "240"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["failed_requests"] == 0 and result["server_errors"] == 0, result["statuses"]
    assert result["accepted"]["uploads"] == REPS
    assert result["accepted"]["entries"] == REPS
    assert result["accepted"]["reviews"] >= 2 * REPS
    checks = result["checks"]
    assert checks["uploads_exactly_once"] and checks["entries_exactly_once"], checks
    assert checks["reviews_exactly_once"], checks
    assert checks["standings_match"] and checks["scores_match"], checks
    assert checks["database_locked"] == 0 and checks["tracebacks"] == 0, checks
