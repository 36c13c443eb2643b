"""What a Monday rush (bench/load.py) must show, whichever set-up it ran against."""

from __future__ import annotations

from typing import Any


def assert_rush_held(result: dict[str, Any], reps: int) -> None:
    """No request failed or got a 500, every rep's upload, entry and reviews were accepted
    and are in the database exactly once, and standings equal a full recompute."""
    failed = (result["statuses"], result["failures"])
    assert result["failed_requests"] == 0 and result["server_errors"] == 0, failed
    assert result["accepted"]["uploads"] == reps
    assert result["accepted"]["entries"] == reps
    assert result["accepted"]["reviews"] >= 2 * reps
    checks = result["checks"]
    assert checks["uploads_exactly_once"] and checks["entries_exactly_once"], checks
    assert checks["reviews_exactly_once"], checks
    assert checks["standings_match"] and checks["scores_match"], checks
    assert checks["database_locked"] == 0 and checks["tracebacks"] == 0, checks
