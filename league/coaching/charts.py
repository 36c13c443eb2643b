"""Server-rendered charts: the geometry is worked out here, `templates/coaching/_charts.html`
draws it as SVG. Fixed view boxes scale to any width, so the same chart reads on a phone
and prints on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from league.coaching.skills import TrendPoint

WIDTH = 320
HEIGHT = 150
LEFT, RIGHT, TOP, BOTTOM = 28, 10, 10, 24
SCORE_MIN, SCORE_MAX = 1.0, 5.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Line:
    name: str
    css_class: str
    dots: list[Dot]

    @property
    def points(self) -> str:
        return " ".join(f"{dot.x:.1f},{dot.y:.1f}" for dot in self.dots)


@dataclass(frozen=True)
class LineChart:
    lines: list[Line]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    summary: str  # what a screen reader hears instead of the picture
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT


def x_position(index: int, count: int) -> float:
    if count <= 1:
        return LEFT + (WIDTH - LEFT - RIGHT) / 2
    return LEFT + index * (WIDTH - LEFT - RIGHT) / (count - 1)


def y_position(value: float) -> float:
    share = (min(max(value, SCORE_MIN), SCORE_MAX) - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)
    return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)


def trend_chart(points: Sequence[TrendPoint], own_name: str) -> LineChart:
    """The rep's score per round against the team's, on the 1-5 rubric scale."""
    count = len(points)
    own = [
        Dot(x_position(i, count), y_position(p.own), p.own)
        for i, p in enumerate(points)
        if p.own is not None
    ]
    team = [Dot(x_position(i, count), y_position(p.team), p.team) for i, p in enumerate(points)]
    words = [
        f"round {p.round_number}: {'no entry' if p.own is None else f'{p.own:.1f}'}"
        f" against the team's {p.team:.1f}"
        for p in points
    ]
    return LineChart(
        lines=[Line("Team average", "series-team", team), Line(own_name, "series-own", own)],
        x_labels=[(x_position(i, count), f"R{p.round_number}") for i, p in enumerate(points)],
        y_ticks=[(y_position(value), str(int(value))) for value in (1.0, 3.0, 5.0)],
        summary=f"{own_name}, " + "; ".join(words) if words else "No scores yet.",
    )


@dataclass(frozen=True)
class Bar:
    label: str
    own: float | None  # a rate, 0-1
    team: float | None
    own_width: float
    team_width: float
    y: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_left: int = 0


BAR_ROW = 46  # px per funnel step: label, rep bar, team bar


def funnel_chart(steps: Sequence[tuple[str, float | None, float | None]]) -> BarChart:
    """Each funnel step's conversion rate for the rep and the team, as paired bars."""
    top = max([rate for _, own, team in steps for rate in (own, team) if rate] or [1.0])
    scale = (WIDTH - 60) / top

    def width(rate: float | None) -> float:
        return round((rate or 0.0) * scale, 1)

    bars = [
        Bar(label, own, team, width(own), width(team), index * BAR_ROW)
        for index, (label, own, team) in enumerate(steps)
    ]
    return BarChart(bars=bars, height=len(bars) * BAR_ROW)
