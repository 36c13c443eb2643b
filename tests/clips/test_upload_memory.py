"""A 20 MB upload must not raise the server's memory by more than a few MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "upload_memory.py"
MAX_GROWTH_KB = 4 * 1024


def test_a_20_mb_upload_barely_moves_the_servers_memory() -> None:
    # The bench runs a real `league serve` process, so RSS is that server's alone.
    finished = subprocess.run(
        [sys.executable, str(BENCH), "--megabytes", "20"],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["upload_status"] == 201
    assert result["upload_bytes"] >= 20 * 1024 * 1024
    assert result["rss_delta_kb"] < MAX_GROWTH_KB, result
    assert result["peak_delta_kb"] < MAX_GROWTH_KB, result
