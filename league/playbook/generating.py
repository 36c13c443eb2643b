"""Generate drills: one per playbook item, editable after, never twice for the same item."""

from __future__ import annotations

from dataclasses import dataclass

from league.playbook.drill_service import DrillInput, create_drill
from league.playbook.item_service import list_items
from league.playbook.models import Drill, DrillKind, ItemKind, PlaybookItem


@dataclass
class GenerateResult:
    created: list[Drill]
    skipped: int


# Seconds a rep gets for each kind of generated drill.
GENERATED_SECONDS = {
    ItemKind.VALUE_PROPOSITION: 30,
    ItemKind.DIFFERENTIATOR: 45,
    ItemKind.INSIGHT: 60,
    ItemKind.OBJECTION: 45,
}


def suggest_drill(item: PlaybookItem) -> DrillInput:
    """The drill "Generate drills" makes for one playbook item."""
    seconds = GENERATED_SECONDS[item.kind]
    title, prompt, kind = describe_drill(item, seconds)
    return DrillInput(
        title=title, prompt=prompt, kind=kind, time_limit_seconds=seconds, item_ids=[item.id]
    )


def describe_drill(item: PlaybookItem, seconds: int) -> tuple[str, str, DrillKind]:
    """Title, prompt and kind of the drill generated from `item`."""
    if item.kind == ItemKind.VALUE_PROPOSITION:
        return (
            "Value proposition in 30 seconds",
            f"Give the value proposition in {seconds} seconds, as you would open a call.",
            DrillKind.VALUE_PROP,
        )
    if item.kind == ItemKind.DIFFERENTIATOR:
        return (
            f"Differentiator: {item.title}",
            f"Your buyer asks what makes you different. Make the case for "
            f"“{item.title}” in {seconds} seconds.",
            DrillKind.DIFFERENTIATOR,
        )
    if item.kind == ItemKind.INSIGHT:
        return (
            f"Insight: {item.title}",
            f"Share the insight “{item.title}” and end with the question: "
            f"“{item.question}” {seconds} seconds.",
            DrillKind.INSIGHT_TO_QUESTION,
        )
    return (
        f"Objection: {item.title}",
        f"Your buyer says: “{item.prompt}” Respond in {seconds} seconds.",
        DrillKind.OBJECTION,
    )


async def generate_drills(team_id: int) -> GenerateResult:
    """One drill per active playbook item that has never had a generated drill.

    A drill generated earlier counts even if it was edited or archived since, so running
    this again never brings back a drill the manager chose to archive.
    """
    items = await list_items(team_id)
    generated = Drill.filter(team_id=team_id, generated_from_id__isnull=False)
    done = {row["generated_from_id"] for row in await generated.values("generated_from_id")}
    created = [
        await create_drill(team_id, suggest_drill(item), generated_from=item)
        for item in items
        if item.id not in done
    ]
    return GenerateResult(created=created, skipped=len(items) - len(created))
