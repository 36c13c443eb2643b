"""Reading the playbook and drill forms into plain values (and back, to show them again)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from league.playbook import rubric
from league.playbook.drill_service import DrillInput, parse_drill_kind, parse_time_limit
from league.playbook.item_service import ItemInput, PlaybookError, parse_key_points
from league.playbook.models import Drill, ItemKind, PlaybookItem

# A rubric row as the editor shows it: weight stays text so a typo is shown back as typed.
RubricRow = dict[str, Any]


def text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def item_input(form: FormData, kind: ItemKind) -> ItemInput:
    return ItemInput(
        kind=kind,
        title=text(form, "title"),
        body=text(form, "body"),
        prompt=text(form, "prompt"),
        question=text(form, "question"),
        key_points=parse_key_points(text(form, "key_points")),
    )


def item_values(item: PlaybookItem) -> dict[str, str]:
    return {
        "title": item.title,
        "body": item.body,
        "prompt": item.prompt,
        "question": item.question,
        "key_points": "\n".join(item.key_points),
    }


def form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {key: value for key, value in form.items() if isinstance(value, str)}
    values["item_ids"] = parse_item_ids(form)
    return values


def parse_item_ids(form: FormData) -> list[int]:
    try:
        return [int(value) for value in form.getlist("item_ids") if isinstance(value, str)]
    except ValueError:
        raise PlaybookError("Choose playbook items from the list.") from None


def rubric_rows(form: FormData) -> list[RubricRow]:
    rows: list[RubricRow] = []
    index = 0
    while f"criteria-{index}-name" in form:
        prefix = f"criteria-{index}-"
        rows.append(
            {
                "key": text(form, prefix + "key"),
                "name": text(form, prefix + "name"),
                "weight": text(form, prefix + "weight"),
                "levels": [text(form, f"{prefix}level-{n}") for n in range(1, rubric.LEVELS + 1)],
            }
        )
        index += 1
    return rows


def rows_for(criteria: list[rubric.Criterion]) -> list[RubricRow]:
    return [
        {**criterion, "weight": rubric.format_weight(float(criterion["weight"]))}
        for criterion in criteria
    ]


def apply_rubric_action(action: str, rows: list[RubricRow]) -> list[RubricRow]:
    """The editor's add / remove-N / reset buttons change the rows without saving anything."""
    if action == "add":
        if len(rows) >= rubric.MAX_CRITERIA:
            raise rubric.RubricError(f"A rubric has {rubric.MAX_CRITERIA} criteria at most.")
        return [*rows, rubric.blank_criterion()]
    if action == "reset":
        return rows_for(rubric.default_rubric())
    if action.startswith("remove-") and action[7:].isdigit():
        index = int(action[7:])
        return [row for number, row in enumerate(rows) if number != index]
    raise PlaybookError("That rubric button isn't known. Reload the page.")


def clean_rubric(rows: list[RubricRow]) -> list[rubric.Criterion]:
    criteria = [
        rubric.clean_criterion(row["name"], row["weight"], row["levels"], row["key"])
        for row in rows
    ]
    return rubric.validate_rubric(criteria)


def drill_input(form: FormData) -> DrillInput:
    return DrillInput(
        title=text(form, "title"),
        prompt=text(form, "prompt"),
        kind=parse_drill_kind(text(form, "kind")),
        time_limit_seconds=parse_time_limit(text(form, "time_limit_seconds")),
        item_ids=parse_item_ids(form),
        rubric=clean_rubric(rubric_rows(form)),
    )


def drill_values(drill: Drill) -> dict[str, Any]:
    return {
        "title": drill.title,
        "prompt": drill.prompt,
        "kind": drill.kind.value,
        "time_limit_seconds": str(drill.time_limit_seconds),
        "item_ids": [item.id for item in drill.items],
    }
