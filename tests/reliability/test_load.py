"""A smaller Monday rush in every run: bench/load.py with 30 reps at once against a real
`league serve` (the embedded default) must keep every accepted write exactly once, fail
no request, and leave standings equal to a full recompute."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.reliability.load_result import assert_rush_held

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
    assert result["setup"] == "embedded" and result["processes"] == 1
    assert_rush_held(result, REPS)
