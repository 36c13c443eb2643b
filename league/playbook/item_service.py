"""The playbook's items: create, edit, order, archive, restore, import. No Request here.

Also what items and drills share: PlaybookError, the text limits and cleaning, `archive`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.functions import Max
from tortoise.transactions import in_transaction

from league.playbook.models import Drill, ItemKind, PlaybookItem
from league.web.errors import LeagueError

MAX_TITLE_LENGTH = 200
MAX_TEXT_LENGTH = 4000
MAX_KEY_POINTS = 10
MAX_KEY_POINT_LENGTH = 120
ITEM_KIND_ORDER = list(ItemKind)


class PlaybookError(LeagueError):
    status = 422


class ImportMode(StrEnum):
    APPEND = "append"  # add the file's items after the current ones
    REPLACE = "replace"  # archive the current items (restorable), then add the file's items


def parse_import_mode(raw: str) -> ImportMode:
    try:
        return ImportMode(raw)
    except ValueError:
        raise PlaybookError("Choose whether to add to the playbook or replace it.") from None


@dataclass
class ItemInput:
    """A playbook item as typed or imported, before it is saved. `line` is where it began."""

    kind: ItemKind
    title: str
    body: str = ""
    prompt: str = ""
    question: str = ""
    key_points: list[str] = field(default_factory=list)
    line: int = 0


def clean_text(value: str) -> str:
    """Trim each line and drop runs of blank lines; paragraphs survive."""
    lines = [line.strip() for line in value.strip().splitlines()]
    paragraphs = "\n".join(lines)
    while "\n\n\n" in paragraphs:
        paragraphs = paragraphs.replace("\n\n\n", "\n\n")
    return paragraphs


def parse_key_points(text: str) -> list[str]:
    """One key point per line; list markers a person may paste in are dropped."""
    points = [line.strip().lstrip("-*•").strip() for line in text.splitlines()]
    return [point for point in points if point]


def clean_key_points(points: list[str]) -> list[str]:
    cleaned: list[str] = []
    for point in points:
        point = " ".join(point.split())
        if point and point.lower() not in (seen.lower() for seen in cleaned):
            cleaned.append(point)
    if len(cleaned) > MAX_KEY_POINTS:
        raise PlaybookError(f"Keep it to {MAX_KEY_POINTS} key points or fewer.")
    for point in cleaned:
        if len(point) > MAX_KEY_POINT_LENGTH:
            raise PlaybookError(
                f"Key points are short phrases: “{point[:40]}…” is over "
                f"{MAX_KEY_POINT_LENGTH} characters."
            )
    return cleaned


# What each kind must have, and how to say it is missing.
REQUIRED_FIELDS: dict[ItemKind, list[tuple[str, str]]] = {
    ItemKind.VALUE_PROPOSITION: [("body", "a value proposition needs its message")],
    ItemKind.DIFFERENTIATOR: [("body", "a differentiator needs its message")],
    ItemKind.INSIGHT: [
        ("body", "an insight needs its message"),
        ("question", "an insight needs the question it tees up"),
    ],
    ItemKind.OBJECTION: [
        ("prompt", "an objection needs the buyer's words"),
        ("body", "an objection needs a response"),
    ],
}


def clean_item(data: ItemInput) -> ItemInput:
    title = " ".join(data.title.split())
    if not title:
        raise PlaybookError(f"{article(data.kind)} {data.kind.label.lower()} needs a title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise PlaybookError(f"Keep the title to {MAX_TITLE_LENGTH} characters.")
    cleaned = ItemInput(
        kind=data.kind,
        title=title,
        body=clean_text(data.body),
        prompt=clean_text(data.prompt) if data.kind == ItemKind.OBJECTION else "",
        question=clean_text(data.question) if data.kind == ItemKind.INSIGHT else "",
        key_points=clean_key_points(data.key_points),
        line=data.line,
    )
    for name, message in REQUIRED_FIELDS[data.kind]:
        if not getattr(cleaned, name):
            raise PlaybookError(message[0].upper() + message[1:] + ".")
    texts = (cleaned.body, cleaned.prompt, cleaned.question)
    if any(len(text) > MAX_TEXT_LENGTH for text in texts):
        raise PlaybookError(f"Keep each text to {MAX_TEXT_LENGTH} characters.")
    return cleaned


def article(kind: ItemKind) -> str:
    return "An" if kind in (ItemKind.INSIGHT, ItemKind.OBJECTION) else "A"


def parse_item_kind(raw: str) -> ItemKind:
    try:
        return ItemKind(raw)
    except ValueError:
        raise PlaybookError(
            "Choose a kind: value proposition, differentiator, insight or objection."
        ) from None


async def list_items(team_id: int, archived: bool = False) -> list[PlaybookItem]:
    """The team's items in playbook order: value proposition first, then by position."""
    items = await PlaybookItem.filter(team_id=team_id, archived_at__isnull=not archived)
    return sorted(items, key=playbook_order)


def playbook_order(item: PlaybookItem) -> tuple[int, int, int]:
    return (ITEM_KIND_ORDER.index(item.kind), item.position, item.id)


def group_items(items: list[PlaybookItem]) -> list[tuple[ItemKind, list[PlaybookItem]]]:
    """Every kind in playbook order, each with its items (possibly none)."""
    return [(kind, [item for item in items if item.kind == kind]) for kind in ItemKind]


async def next_position(team_id: int, kind: ItemKind) -> int:
    row = (
        await PlaybookItem.filter(team_id=team_id, kind=kind)
        .annotate(highest=Max("position"))
        .first()
        .values("highest")
    )
    highest = row["highest"] if row else None
    return 0 if highest is None else int(highest) + 1


async def ensure_one_value_proposition(team_id: int, kind: ItemKind, except_id: int = 0) -> None:
    if kind != ItemKind.VALUE_PROPOSITION:
        return
    taken = (
        await PlaybookItem.filter(team_id=team_id, kind=kind, archived_at__isnull=True)
        .exclude(id=except_id)
        .exists()
    )
    if taken:
        raise PlaybookError(
            "The playbook already has a value proposition. Edit that one, or archive it first."
        )


async def create_item(team_id: int, data: ItemInput) -> PlaybookItem:
    data = clean_item(data)
    await ensure_one_value_proposition(team_id, data.kind)
    return await PlaybookItem.create(
        team_id=team_id,
        kind=data.kind,
        position=await next_position(team_id, data.kind),
        **written_item_fields(data),
    )


async def update_item(item: PlaybookItem, data: ItemInput) -> PlaybookItem:
    data = clean_item(replace(data, kind=item.kind))
    await item.update_from_dict(written_item_fields(data)).save()
    return item


def written_item_fields(data: ItemInput) -> dict[str, Any]:
    """What the manager writes on an item (its kind and place are set by the playbook)."""
    return {
        "title": data.title,
        "body": data.body,
        "prompt": data.prompt,
        "question": data.question,
        "key_points": data.key_points,
    }


async def archive(record: PlaybookItem | Drill, now: datetime) -> None:
    """Archived items leave the playbook and archived drills the Drills tab; the drills,
    rounds and clips built from them keep them."""
    if record.archived_at is None:
        record.archived_at = now
        await record.save(update_fields=["archived_at", "updated_at"])


async def restore_item(item: PlaybookItem) -> None:
    if item.archived_at is None:
        return
    await ensure_one_value_proposition(item.team_id, item.kind, except_id=item.id)  # type: ignore[attr-defined]
    item.archived_at = None
    item.position = await next_position(item.team_id, item.kind)  # type: ignore[attr-defined]
    await item.save(update_fields=["archived_at", "position", "updated_at"])


async def move_item(item: PlaybookItem, direction: int) -> None:
    """Swap an item with its neighbour of the same kind (-1 up, +1 down); ends stay put."""
    siblings = [
        sibling
        for sibling in await list_items(item.team_id)  # type: ignore[attr-defined]
        if sibling.kind == item.kind
    ]
    index = next((i for i, sibling in enumerate(siblings) if sibling.id == item.id), None)
    if index is None:
        raise PlaybookError("Archived items can't be moved. Restore it first.")
    target = index + direction
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    async with in_transaction():
        # Renumbering the whole kind also repairs any ties left by older data.
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                await PlaybookItem.filter(id=sibling.id).update(position=position)


async def import_items(
    team_id: int, items: list[ItemInput], mode: ImportMode, now: datetime
) -> list[PlaybookItem]:
    """Save parsed items all at once; a problem saves nothing. Replacing archives, never deletes."""
    cleaned = [clean_item(item) for item in items]
    async with in_transaction():
        if mode == ImportMode.REPLACE:
            await PlaybookItem.filter(team_id=team_id, archived_at__isnull=True).update(
                archived_at=now
            )
        created: list[PlaybookItem] = []
        for item in cleaned:
            try:
                await ensure_one_value_proposition(team_id, item.kind)
            except PlaybookError:
                raise PlaybookError(
                    f"Line {item.line}: the playbook already has a value proposition. "
                    "Choose “Replace”, or leave this section out of the file."
                ) from None
            created.append(await create_item(team_id, item))
    return created
