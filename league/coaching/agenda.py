"""A suggested 60-minute 1:1, built from the packet: strengths first, one skill, the numbers,
questions that make the rep think, and one agreed next rep. Worded as training, always.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from league.coaching.metrics import Comparison
from league.coaching.skills import Suggestion


@dataclass(frozen=True)
class AgendaItem:
    minutes: int
    title: str
    detail: str
    questions: list[str] = field(default_factory=list)
    clip_take_id: int | None = None
    drill_id: int | None = None


class ClipLike(Protocol):
    @property
    def take_id(self) -> int: ...
    @property
    def drill_id(self) -> int: ...
    @property
    def drill(self) -> str: ...
    @property
    def round_number(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def comments(self) -> list[tuple[str, str]]: ...


class SkillLike(Protocol):
    @property
    def label(self) -> str: ...


def suggest_agenda(
    best: ClipLike | None,
    weakest: ClipLike | None,
    focus: Sequence[SkillLike],
    suggestions: Sequence[Suggestion],
    comparison: Comparison | None,
    last_week_actions: int,
) -> list[AgendaItem]:
    skill = focus[0].label if focus else (suggestions[0].label if suggestions else None)
    return [
        celebrate(best),
        AgendaItem(
            5,
            "Last week's next reps",
            f"Go through the {last_week_actions} action{'s' if last_week_actions != 1 else ''} "
            "agreed last week: what happened, what got in the way."
            if last_week_actions
            else "No actions were recorded last week: ask what they practised on their own.",
        ),
        rehearse(skill, weakest or best),
        numbers(comparison),
        AgendaItem(
            10,
            "Agree the next rep",
            "Agree one specific thing to try before next week, in the rep's own words, and "
            "write it below. Finish on what is going well.",
        ),
    ]


def celebrate(best: ClipLike | None) -> AgendaItem:
    if best is None:
        return AgendaItem(
            10,
            "Start with a strength",
            "No scored clip yet: ask which drill felt best this week and why.",
            ["What are you most pleased with from this week's practice?"],
        )
    kudos = next((kudos for kudos, _ in best.comments if kudos), "")
    said = f' A teammate said: "{kudos}"' if kudos else ""
    return AgendaItem(
        10,
        "Celebrate a win",
        f"Play their best take together: {best.drill}, round {best.round_number} "
        f"({best.score:.1f} of 5).{said}",
        ["What did you do in that take that you want to keep doing?"],
        clip_take_id=best.take_id,
        drill_id=best.drill_id,
    )


def rehearse(skill: str | None, clip: ClipLike | None) -> AgendaItem:
    if skill is None:
        return AgendaItem(
            25,
            "Rehearse one skill",
            "Choose one focus skill with the rep (the suggestions above help), then "
            "rehearse a drill on it out loud together.",
        )
    drill = f"the drill {clip.drill}" if clip else "this week's drill"
    return AgendaItem(
        25,
        f"Rehearse: {skill}",
        f"Run {drill} out loud three times, changing one thing each take, with {skill} as "
        "the only thing you listen for. Model it once yourself if they ask.",
        [
            f"When you listen back, what would you change about your {skill.lower()}?",
            "What would a buyer remember from that take?",
        ],
        drill_id=clip.drill_id if clip else None,
    )


def numbers(comparison: Comparison | None) -> AgendaItem:
    if comparison is None:
        return AgendaItem(
            10,
            "The numbers",
            "No sales numbers imported for this rep yet: import the month from Sales metrics.",
        )
    gap = comparison.widest_gap
    if gap is None or gap.rate is None or gap.team is None:
        return AgendaItem(
            10,
            "The numbers",
            f"Every funnel step is at or above the team in {comparison.period}: ask what they "
            "do that others could learn from.",
            ["Which of your habits should the team copy?"],
        )
    source, target = gap.source_label, gap.target_label
    return AgendaItem(
        10,
        f"The numbers: {gap.label}",
        f"In {comparison.period}, {gap.rate:.0%} of {source.lower()} became "
        f"{target.lower()}, against {gap.team:.0%} for the team.",
        [
            f"Walk me through your last {source.lower()} that did not move on. What happened?",
            "What would you try differently next time?",
        ],
    )
