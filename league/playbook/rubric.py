"""Rubrics: the criteria a clip is scored on, 1 to 5, with a one-line description per level.

A rubric is stored on each drill as a list of criteria:
    {"key": "clarity", "name": "Clarity", "weight": 1.0, "levels": [level 1, ..., level 5]}
`key` is a slug of the name, unique within the rubric; scores are stored against it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from league.web.errors import LeagueError

LEVELS = 5
MIN_CRITERIA = 1
MAX_CRITERIA = 8
MAX_WEIGHT = 10.0
MAX_NAME_LENGTH = 60
MAX_LEVEL_LENGTH = 160

Criterion = dict[str, Any]

DEFAULT_RUBRIC: list[Criterion] = [
    {
        "key": "clarity",
        "name": "Clarity",
        "weight": 1.0,
        "levels": [
            "Hard to follow; the point gets lost.",
            "The point is there but buried or muddled.",
            "A clear point, with some detours or jargon.",
            "Clear and well ordered; a buyer would follow it.",
            "Crisp and vivid; the buyer could repeat it back.",
        ],
    },
    {
        "key": "concision",
        "name": "Concision",
        "weight": 1.0,
        "levels": [
            "Runs well over time or rambles.",
            "Noticeably long, with several filler phrases.",
            "About the right length, with some padding.",
            "Tight: every sentence earns its place.",
            "Says it all in fewer words than you'd expect.",
        ],
    },
    {
        "key": "key_points",
        "name": "Key points",
        "weight": 1.5,
        "levels": [
            "None of the key points.",
            "One key point, loosely.",
            "About half of the key points.",
            "Most key points, in their own words.",
            "Every key point, natural and connected.",
        ],
    },
    {
        "key": "confidence",
        "name": "Confidence",
        "weight": 1.0,
        "levels": [
            "Hesitant: reads it out or apologises.",
            "Unsure in places, with many fillers.",
            "Steady, with a few wobbles.",
            "Assured pace and tone.",
            "Calm, warm and certain: sounds like the expert.",
        ],
    },
    {
        "key": "ends_with_question",
        "name": "Ends with a question",
        "weight": 1.0,
        "levels": [
            "No question at the end.",
            "A closed or generic question.",
            "A relevant question, but it trails off.",
            "A clear, open question that fits.",
            "A sharp, open question that hands the buyer the next move.",
        ],
    },
]


class RubricError(LeagueError):
    status = 422


def default_rubric() -> list[Criterion]:
    """A fresh copy: each drill owns its rubric, so editing one never changes another."""
    return copy.deepcopy(DEFAULT_RUBRIC)


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def parse_weight(raw: str, name: str) -> float:
    try:
        weight = float(raw.strip().replace(",", "."))
    except ValueError:
        raise RubricError(f"The weight of “{name}” must be a number, like 1 or 1.5.") from None
    if not 0 < weight <= MAX_WEIGHT:
        raise RubricError(f"The weight of “{name}” must be more than 0 and at most 10.")
    return weight


def clean_criterion(name: str, weight: str, levels: list[str], key: str = "") -> Criterion:
    """A criterion from the editor. `key` is kept when renaming, so old scores still match."""
    name = " ".join(name.split())
    if not name:
        raise RubricError("Every criterion needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise RubricError(f"“{name[:30]}…” is too long for a criterion name (60 characters).")
    cleaned_levels = [" ".join(level.split()) for level in levels]
    if len(cleaned_levels) != LEVELS or not all(cleaned_levels):
        raise RubricError(f"“{name}” needs a one-line description for each level, 1 to 5.")
    if any(len(level) > MAX_LEVEL_LENGTH for level in cleaned_levels):
        raise RubricError(f"Keep each level of “{name}” to one line (160 characters).")
    return {
        "key": key or slugify(name) or "criterion",
        "name": name,
        "weight": parse_weight(weight, name),
        "levels": cleaned_levels,
    }


def validate_rubric(criteria: list[Criterion]) -> list[Criterion]:
    """Check a whole rubric: 1–8 criteria with distinct names, each key unique."""
    if not MIN_CRITERIA <= len(criteria) <= MAX_CRITERIA:
        raise RubricError(f"A rubric has {MIN_CRITERIA} to {MAX_CRITERIA} criteria.")
    names = [criterion["name"].lower() for criterion in criteria]
    for criterion in criteria:
        if names.count(criterion["name"].lower()) > 1:
            raise RubricError(f"Two criteria are called “{criterion['name']}”: rename one.")
    return unique_keys(criteria)


def unique_keys(criteria: list[Criterion]) -> list[Criterion]:
    """A new criterion whose slug matches a renamed one's kept key gets a numbered key."""
    seen: set[str] = set()
    result: list[Criterion] = []
    for criterion in criteria:
        key, number = criterion["key"], 2
        while key in seen:
            key, number = f"{criterion['key']}_{number}", number + 1
        seen.add(key)
        result.append({**criterion, "key": key})
    return result


def blank_criterion() -> Criterion:
    return {"key": "", "name": "", "weight": 1.0, "levels": [""] * LEVELS}


def format_weight(weight: float) -> str:
    return f"{weight:g}"
