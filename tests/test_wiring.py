"""Nothing registers itself by being imported: create_app lists what runs besides requests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, pkgutil, importlib, league
for module in pkgutil.walk_packages(league.__path__, "league."):
    try:
        importlib.import_module(module.name)
    except ModuleNotFoundError:
        pass  # a scale-out module whose optional driver (boto3, redis) is not installed
from league.jobs.service import HANDLERS
from league.seasons.hooks import ROUND_HOOKS
from league.standings.service import POINTS_LISTENERS
before = [sorted(HANDLERS), [h.__name__ for h in ROUND_HOOKS], len(POINTS_LISTENERS)]
from pathlib import Path
from league.app import create_app
from league.settings import Settings
create_app(Settings(data_dir=Path("/nonexistent/wiring"), secret_key="x" * 40))
create_app(Settings(data_dir=Path("/nonexistent/wiring"), secret_key="x" * 40))
after = [sorted(HANDLERS), [h.__name__ for h in ROUND_HOOKS], len(POINTS_LISTENERS)]
print(json.dumps([before, after]))
"""


def test_importing_every_module_registers_nothing_and_create_app_wires_it_once() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, after = json.loads(result.stdout.strip().splitlines()[-1])
    assert before == [[], [], 0]
    kinds, hooks, listeners = after
    assert {"round.open", "round.results", "push.fanout", "push.retry"} <= set(kinds)
    assert hooks == ["react_to_round_state", "schedule_round_reminders", "publish_round_change"]
    assert listeners == 1  # two apps built: still one listener, not two
