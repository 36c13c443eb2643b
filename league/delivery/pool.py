"""What runs inside a pool process: one recogniser per process, loaded once."""

from __future__ import annotations

from pathlib import Path

from league.delivery.analysis import Delivery, Recogniser, analyse
from league.jobs.cpu_pool import exit_with_parent

# The model takes a second and ~150 MB to load, so each pool process keeps its own for
# every take it analyses. It lives only in pool processes, never in the server.
_recogniser: Recogniser | None = None


def load_recogniser() -> None:
    global _recogniser
    _recogniser = Recogniser()


def start_process(parent_pid: int) -> None:
    """A pool process's start: leave with the server (one killed outright never shuts its
    pool down), then load the model once for every clip it will analyse."""
    exit_with_parent(parent_pid)
    load_recogniser()


def analyse_clip(path: str, key_points: list[str]) -> Delivery:
    if _recogniser is None:
        load_recogniser()
    assert _recogniser is not None
    return analyse(Path(path).read_bytes(), key_points, _recogniser)


def warm_up() -> None:
    """Nothing: submitting it starts a pool process, whose initializer loads the model."""
