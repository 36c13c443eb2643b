"""The importers never fail with anything but a clear 4xx message.

The committed corpus (tests/fuzz/corpus/importers: real playbooks and CSV exports, and
every input that once broke an importer) is replayed on each run; then atheris fuzzes
the importers, coverage-guided, for LEAGUE_FUZZ_SECONDS (20 by default).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from league.playbook.importing import PlaybookFormat, decode, parse_playbook
from league.web.errors import LeagueError
from tests.fuzz.importers import fuzz_one

CORPUS = Path(__file__).parent / "corpus" / "importers"
FUZZ_SECONDS = int(os.environ.get("LEAGUE_FUZZ_SECONDS", "20"))


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda path: path.name)
def test_the_corpus_gets_items_or_a_clear_message(path: Path) -> None:
    fuzz_one(path.read_bytes())


def test_deeply_nested_yaml_gets_a_clear_message() -> None:
    with pytest.raises(LeagueError, match="nests too deeply"):
        parse_playbook(decode(b"[" * 5000), PlaybookFormat.YAML)


def test_coverage_guided_fuzzing_finds_no_crash(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzz.importers",
            f"-max_total_time={FUZZ_SECONDS}",
            "-rss_limit_mb=2048",
            "-print_final_stats=1",
            f"-artifact_prefix={tmp_path}/",  # a crashing input is kept here, not in the tree
            str(tmp_path / "new"),  # new inputs land here; the committed corpus stays as it is
            str(CORPUS),
        ],
        capture_output=True,
        text=True,
        timeout=FUZZ_SECONDS + 120,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    runs = re.search(r"stat::number_of_executed_units: (\d+)", finished.stderr)
    assert runs is not None and int(runs.group(1)) > 100, finished.stderr[-2000:]
    print(f"importer fuzzing: {runs.group(1)} inputs in {FUZZ_SECONDS} s, no crash")
