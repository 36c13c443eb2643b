"""The sample files in seeds/metrics read cleanly against the demo team's reps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from league.coaching.importing import Rep, preview_import
from league.web.templating import SEEDS_DIR

SEEDS = SEEDS_DIR


def demo_reps() -> list[Rep]:
    people = yaml.safe_load((SEEDS / "league.yaml").read_text())["members"]
    return [
        Rep(number, person["email"], person["name"])
        for number, person in enumerate(people)
        if person["role"] == "rep"
    ]


@pytest.mark.parametrize("name", ["month_1.csv", "month_2.csv", "crm_report_export.csv"])
def test_the_sample_reads_without_problems(name: str) -> None:
    preview = preview_import((SEEDS / "metrics" / name).read_bytes(), demo_reps())
    assert preview.problems == []
    assert len(preview.rows) == 8


def test_the_crm_export_matches_the_second_month() -> None:
    ours = preview_import(Path(SEEDS / "metrics" / "month_2.csv").read_bytes(), demo_reps())
    crm = preview_import((SEEDS / "metrics" / "crm_report_export.csv").read_bytes(), demo_reps())
    assert [(r.member_id, r.values, r.average_deal_size) for r in crm.rows] == [
        (r.member_id, r.values, r.average_deal_size) for r in ours.rows
    ]
