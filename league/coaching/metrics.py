"""Sales metrics against the team: each number and each funnel step, with the rep's trend.

Team figures for a count are the mean over the reps with numbers in that period. Team
conversion rates and deal size are pooled (team total over team total), so a rep with
three meetings does not weigh as much as one with thirty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from league.coaching.importing import COLUMN_LABELS, COUNT_FIELDS


@dataclass(frozen=True)
class Numbers:
    """One rep's numbers for one period, as the maths needs them."""

    member_id: int
    counts: dict[str, int]
    average_deal_size: float | None

    @property
    def won_value(self) -> float:
        return self.counts["wins"] * (self.average_deal_size or 0.0)


@dataclass(frozen=True)
class MetricLine:
    key: str
    label: str
    value: float | None
    team: float | None
    previous: float | None  # the rep's own value in the period before

    @property
    def versus_team(self) -> float | None:
        """The rep's value as a share of the team's: 1.1 is 10% above."""
        if self.value is None or not self.team:
            return None
        return self.value / self.team

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class StepLine:
    """One step of the funnel, e.g. meetings -> opportunities, as conversion rates (0-1)."""

    source: str
    target: str
    rate: float | None
    team: float | None
    previous: float | None

    @property
    def source_label(self) -> str:
        return COLUMN_LABELS[self.source]

    @property
    def target_label(self) -> str:
        return COLUMN_LABELS[self.target]

    @property
    def label(self) -> str:
        """In words ("Meetings to opportunities"): an arrow glyph may be missing on a screen."""
        return f"{self.source_label} to {self.target_label.lower()}"

    @property
    def gap(self) -> float | None:
        """Percentage points behind (negative) or ahead of the team."""
        if self.rate is None or self.team is None:
            return None
        return self.rate - self.team


@dataclass(frozen=True)
class Comparison:
    period: str
    previous_period: str | None
    metrics: list[MetricLine]
    steps: list[StepLine]

    @property
    def widest_gap(self) -> StepLine | None:
        """The step where the rep falls furthest behind the team: where deals are lost."""
        behind = [step for step in self.steps if step.gap is not None and step.gap < 0]
        return min(behind, key=lambda step: step.gap or 0.0) if behind else None


FUNNEL_STEPS = tuple(zip(COUNT_FIELDS, COUNT_FIELDS[1:], strict=False))


def team_mean(period: Sequence[Numbers], key: str) -> float | None:
    if not period:
        return None
    return sum(numbers.counts[key] for numbers in period) / len(period)


def team_deal_size(period: Sequence[Numbers]) -> float | None:
    wins = sum(numbers.counts["wins"] for numbers in period)
    return sum(numbers.won_value for numbers in period) / wins if wins else None


def rate(numbers: Sequence[Numbers], source: str, target: str) -> float | None:
    base = sum(n.counts[source] for n in numbers)
    return sum(n.counts[target] for n in numbers) / base if base else None


def find(period: Sequence[Numbers], member_id: int) -> Numbers | None:
    return next((numbers for numbers in period if numbers.member_id == member_id), None)


def compare(
    member_id: int,
    period: str,
    current: Sequence[Numbers],
    previous_period: str | None = None,
    previous: Sequence[Numbers] = (),
) -> Comparison | None:
    """The rep's numbers against the team's in `period`; None if the rep has none there."""
    own = find(current, member_id)
    if own is None:
        return None
    before = find(previous, member_id)
    metrics = [
        MetricLine(
            key,
            COLUMN_LABELS[key],
            own.counts[key],
            team_mean(current, key),
            before.counts[key] if before else None,
        )
        for key in COUNT_FIELDS
    ]
    metrics.append(
        MetricLine(
            "average_deal_size",
            COLUMN_LABELS["average_deal_size"],
            own.average_deal_size,
            team_deal_size(current),
            before.average_deal_size if before else None,
        )
    )
    steps = [
        StepLine(
            source,
            target,
            rate([own], source, target),
            rate(current, source, target),
            rate([before], source, target) if before else None,
        )
        for source, target in FUNNEL_STEPS
    ]
    return Comparison(period, previous_period if before else None, metrics, steps)
