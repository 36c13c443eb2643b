"""A member's own progress for their season card: personal bests per rubric criterion and
how their latest round compares with their own baseline. Read only.

Scores are the calibrated per-criterion scores kept on each entry (`EntryScore`); the
baseline is the one the points rules use (kept on `RoundPoints`), so the card and the
"most improved" points always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from league.reviews.models import EntryScore
from league.standings.models import RoundPoints


@dataclass(frozen=True)
class SkillBest:
    name: str
    best: float
    latest: float
    first: float
    entries: int

    @property
    def change(self) -> float:
        """Latest against first: how the member moved on this criterion this season."""
        return round(self.latest - self.first, 1)


@dataclass(frozen=True)
class BaselineProgress:
    round_number: int
    score: float
    baseline: float

    @property
    def delta(self) -> float:
        return round(self.score - self.baseline, 1)


async def load_skill_bests(season_id: int, member_id: int) -> list[SkillBest]:
    """Per rubric criterion: best, latest and first score this season, oldest entry first."""
    rows: list[Any] = (
        await EntryScore.filter(
            entry__member_id=member_id, round__season_id=season_id, entry__withdrawn_at=None
        )
        .order_by("round__number", "entry_id")
        .values_list("per_criterion", "entry__drill__rubric")
    )
    series: dict[str, list[float]] = {}
    for per_criterion, rubric in rows:
        names = {str(item.get("key")): str(item.get("name")) for item in rubric or []}
        for key, value in (per_criterion or {}).items():
            if value is not None:
                series.setdefault(names.get(key, key), []).append(float(value))
    bests = [
        SkillBest(name, max(values), values[-1], values[0], len(values))
        for name, values in series.items()
    ]
    return sorted(bests, key=lambda skill: (-skill.best, skill.name))


async def load_baseline_progress(season_id: int, member_id: int) -> BaselineProgress | None:
    """The latest scored round that had a baseline to compare with (None before that)."""
    row = (
        await RoundPoints.filter(
            season_id=season_id,
            member_id=member_id,
            round_score__isnull=False,
            baseline__isnull=False,
        )
        .order_by("-round__number")
        .first()
        .values_list("round__number", "round_score", "baseline")
    )
    if row is None:
        return None
    number, score, baseline = row
    return BaselineProgress(int(number), float(score), float(baseline))
