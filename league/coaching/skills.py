"""Skills over a season: each rep's calibrated scores per criterion, the team's, and suggestions.

Scores are read from the reviews feature's read model (`EntryScore`, kept current by its
writer) for rounds whose results are out; nothing is re-scored here. "The team" is every
rep with an entry that round, the rep included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from league.accounts.models import Role
from league.playbook.models import Drill
from league.reviews.models import EntryScore
from league.seasons.models import RoundState

CRITERION = "criterion"
ITEM = "item"


@dataclass(frozen=True)
class ScoredEntry:
    member_id: int
    round_number: int
    drill_id: int
    score: float | None
    per_criterion: dict[str, float]


@dataclass
class SkillData:
    """A season's scored entries, the rubric criteria's names and which drills practise what."""

    entries: list[ScoredEntry]
    criterion_names: dict[str, str] = field(default_factory=dict)
    drills_by_item: dict[int, set[int]] = field(default_factory=dict)

    def values(self, kind: str, key: str) -> Iterable[tuple[ScoredEntry, float]]:
        """(entry, score) for one skill: a criterion's score, or an item's drills' scores."""
        if kind == CRITERION:
            for entry in self.entries:
                value = entry.per_criterion.get(key)
                if value is not None:
                    yield entry, float(value)
            return
        drills = self.drills_by_item.get(int(key), set()) if key.isdigit() else set()
        for entry in self.entries:
            if entry.drill_id in drills and entry.score is not None:
                yield entry, entry.score


@dataclass(frozen=True)
class TrendPoint:
    round_number: int
    own: float | None
    team: float


@dataclass(frozen=True)
class Suggestion:
    kind: str
    key: str
    label: str
    reason: str


def trend(data: SkillData, kind: str, key: str, member_id: int) -> list[TrendPoint]:
    """Round by round: the rep's mean for the skill and the team's."""
    own: dict[int, list[float]] = defaultdict(list)
    team: dict[int, list[float]] = defaultdict(list)
    for entry, value in data.values(kind, key):
        team[entry.round_number].append(value)
        if entry.member_id == member_id:
            own[entry.round_number].append(value)
    return [
        TrendPoint(number, fmean(own[number]) if own[number] else None, fmean(team[number]))
        for number in sorted(team)
    ]


def season_means(data: SkillData, member_id: int) -> list[tuple[str, str, float, float]]:
    """(key, name, rep mean, team mean) per criterion the rep was scored on, weakest first."""
    rows = []
    for key, name in data.criterion_names.items():
        values = list(data.values(CRITERION, key))
        own = [value for entry, value in values if entry.member_id == member_id]
        if own:
            rows.append((key, name, fmean(own), fmean(value for _, value in values)))
    return sorted(rows, key=lambda row: (row[2] - row[3], row[1]))


def recent_drops(data: SkillData, member_id: int) -> list[tuple[str, float, int]]:
    """(key, change, round) per criterion: the rep's latest round against their earlier ones."""
    drops = []
    for key in data.criterion_names:
        points = [p for p in trend(data, CRITERION, key, member_id) if p.own is not None]
        if len(points) < 2:
            continue
        earlier = fmean(p.own for p in points[:-1] if p.own is not None)
        change = (points[-1].own or 0.0) - earlier
        if change < 0:
            drops.append((key, change, points[-1].round_number))
    return sorted(drops, key=lambda drop: drop[1])


def suggest_focus(data: SkillData, member_id: int, limit: int = 3) -> list[Suggestion]:
    """Skills worth training: the weakest against the team and the biggest recent drop.

    Alternates the two lists (weakest gap first) so both kinds of reason show up.
    """
    gaps = [
        Suggestion(
            CRITERION,
            key,
            name,
            f"{team - own:.1f} below the team average ({own:.1f} against {team:.1f})",
        )
        for key, name, own, team in season_means(data, member_id)
        if own < team
    ]
    drops = [
        Suggestion(
            CRITERION,
            key,
            data.criterion_names[key],
            f"down {-change:.1f} in round {number} on the rounds before",
        )
        for key, change, number in recent_drops(data, member_id)
    ]
    chosen: list[Suggestion] = []
    for suggestion in interleave(gaps, drops):
        if all(suggestion.key != other.key for other in chosen):
            chosen.append(suggestion)
    return chosen[:limit]


def interleave(first: Sequence[Suggestion], second: Sequence[Suggestion]) -> list[Suggestion]:
    merged: list[Suggestion] = []
    for index in range(max(len(first), len(second))):
        merged.extend(part[index] for part in (first, second) if index < len(part))
    return merged


async def load_skill_data(season_id: int) -> SkillData:
    """The season's reps' entries with results out, their scores, and the rubric names."""
    rows: list[Any] = await EntryScore.filter(
        round__season_id=season_id,
        round__state=RoundState.RESULTS,
        entry__withdrawn_at=None,
        entry__member__role=Role.REP,
    ).values_list("entry__member_id", "round__number", "entry__drill_id", "score", "per_criterion")
    entries = [
        ScoredEntry(int(member), int(number), int(drill), score, dict(per_criterion or {}))
        for member, number, drill, score, per_criterion in rows
    ]
    drill_ids = {entry.drill_id for entry in entries}
    data = SkillData(entries)
    for drill in await Drill.filter(id__in=drill_ids).prefetch_related("items"):
        for criterion in drill.rubric:
            data.criterion_names.setdefault(str(criterion["key"]), str(criterion["name"]))
        for item in drill.items:
            data.drills_by_item.setdefault(item.id, set()).add(drill.id)
    return data
