"""A round is rescored by one process at a time, whichever process took the review.

Concurrent reviews of one round each read the round and write its scores; two processes
doing that at once can each miss the other's review. On PostgreSQL the rescoring lock
(league.web.locks) is a database advisory lock as well as an in-process one. Here two
real processes try to hold it for the same round at the same moment: one waits for the
other. The control shows the measurement can tell: holding only the in-process part,
the two processes overlap. (The Monday rush in tests/scale/test_load.py sends reviews of
one round through two servers at once and checks the standings against a recompute.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.scale import services

HOLD_SECONDS = 2.0


@pytest.fixture(scope="module")
def database_url(postgres_server: services.PostgresServer) -> str:
    return postgres_server.create_database("round_lock")


def hold_together(database_url: str, round_ids: list[int], *mode: str) -> list[dict[str, Any]]:
    """One process per round id; once all have the database open, all try at once."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.scale.hold_lock", database_url, str(round_id)]
            + [str(HOLD_SECONDS), *mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for round_id in round_ids
    ]
    try:
        for process in processes:
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=60)[0] for process in processes]
    finally:
        for process in processes:
            services.stop_process(process)  # type: ignore[arg-type]
    assert all(process.returncode == 0 for process in processes), outputs
    return sorted(
        (json.loads(out.splitlines()[-1]) for out in outputs), key=lambda h: h["acquired"]
    )


def overlap_seconds(first: dict[str, Any], second: dict[str, Any]) -> float:
    return float(first["released"] - second["acquired"])


def test_two_processes_rescore_one_round_one_after_the_other(database_url: str) -> None:
    first, second = hold_together(database_url, [7, 7])
    assert second["acquired"] >= first["released"], overlap_seconds(first, second)


def test_two_processes_rescore_different_rounds_at_once(database_url: str) -> None:
    first, second = hold_together(database_url, [7, 8])
    assert overlap_seconds(first, second) > HOLD_SECONDS / 2


def test_an_in_process_lock_alone_would_let_two_processes_overlap(database_url: str) -> None:
    first, second = hold_together(database_url, [7, 7], "in-process")
    assert overlap_seconds(first, second) > HOLD_SECONDS / 2
