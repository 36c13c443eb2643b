"""The team's drills: create, edit, restore, list, and what a good answer contains.

No Request here. Drills are built from playbook items (see `item_service`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from league.playbook.item_service import (
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    PlaybookError,
    clean_text,
    playbook_order,
)
from league.playbook.models import (
    MAX_DRILL_SECONDS,
    MIN_DRILL_SECONDS,
    Drill,
    DrillKind,
    PlaybookItem,
)
from league.playbook.rubric import Criterion, default_rubric, validate_rubric

DRILL_KIND_ORDER = list(DrillKind)


@dataclass
class DrillInput:
    title: str
    prompt: str
    kind: DrillKind = DrillKind.OPEN
    time_limit_seconds: int = 45
    item_ids: list[int] = field(default_factory=list)
    rubric: list[Criterion] = field(default_factory=default_rubric)


def parse_drill_kind(raw: str) -> DrillKind:
    try:
        return DrillKind(raw)
    except ValueError:
        raise PlaybookError(
            "Choose a kind: value prop, differentiator, insight to question, objection or open."
        ) from None


def parse_time_limit(raw: str) -> int:
    try:
        seconds = int(raw.strip())
    except ValueError:
        raise PlaybookError("The time limit must be a whole number of seconds.") from None
    check_time_limit(seconds)
    return seconds


def check_time_limit(seconds: int) -> None:
    if not MIN_DRILL_SECONDS <= seconds <= MAX_DRILL_SECONDS:
        raise PlaybookError(
            f"The time limit must be between {MIN_DRILL_SECONDS} and {MAX_DRILL_SECONDS} seconds."
        )


def clean_drill(data: DrillInput) -> DrillInput:
    title = " ".join(data.title.split())
    if not title:
        raise PlaybookError("A drill needs a title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise PlaybookError(f"Keep the title to {MAX_TITLE_LENGTH} characters.")
    prompt = clean_text(data.prompt)
    if not prompt:
        raise PlaybookError("A drill needs a prompt: what the rep sees before recording.")
    if len(prompt) > MAX_TEXT_LENGTH:
        raise PlaybookError(f"Keep the prompt to {MAX_TEXT_LENGTH} characters.")
    check_time_limit(data.time_limit_seconds)
    return DrillInput(
        title=title,
        prompt=prompt,
        kind=data.kind,
        time_limit_seconds=data.time_limit_seconds,
        item_ids=list(dict.fromkeys(data.item_ids)),
        rubric=validate_rubric(data.rubric),
    )


async def load_team_items(team_id: int, item_ids: list[int]) -> list[PlaybookItem]:
    items = await PlaybookItem.filter(team_id=team_id, id__in=item_ids)
    if len(items) != len(set(item_ids)):
        raise PlaybookError("One of the chosen playbook items no longer exists. Reload the page.")
    return items


async def create_drill(
    team_id: int, data: DrillInput, generated_from: PlaybookItem | None = None
) -> Drill:
    data = clean_drill(data)
    items = await load_team_items(team_id, data.item_ids)
    async with in_transaction():
        drill = await Drill.create(
            team_id=team_id, generated_from=generated_from, **written_drill_fields(data)
        )
        if items:
            await drill.items.add(*items)
    return drill


async def update_drill(drill: Drill, data: DrillInput) -> Drill:
    data = clean_drill(data)
    items = await load_team_items(drill.team_id, data.item_ids)  # type: ignore[attr-defined]
    async with in_transaction():
        await drill.update_from_dict(written_drill_fields(data)).save()
        await drill.items.clear()
        if items:
            await drill.items.add(*items)
    return drill


def written_drill_fields(data: DrillInput) -> dict[str, Any]:
    """What the manager writes on a drill (its playbook items are linked separately)."""
    return {
        "title": data.title,
        "prompt": data.prompt,
        "kind": data.kind,
        "time_limit_seconds": data.time_limit_seconds,
        "rubric": data.rubric,
    }


async def restore_drill(drill: Drill) -> None:
    if drill.archived_at is not None:
        drill.archived_at = None
        await drill.save(update_fields=["archived_at", "updated_at"])


async def list_drills(team_id: int, archived: bool = False) -> list[Drill]:
    """The team's drills in playbook order: value prop, differentiators, ..., open; then oldest."""
    drills = await Drill.filter(team_id=team_id, archived_at__isnull=not archived)
    return sorted(drills, key=lambda drill: (DRILL_KIND_ORDER.index(drill.kind), drill.id))


async def drill_key_points(drill: Drill) -> list[str]:
    """What a good answer to this drill contains: its items' key points, in playbook order.

    Duplicates (ignoring case) appear once. Archived items still count: the drill was
    built from them.
    """
    items = sorted(await drill.items.all(), key=playbook_order)
    points: list[str] = []
    for item in items:
        for point in item.key_points:
            if point.lower() not in (seen.lower() for seen in points):
                points.append(point)
    return points
