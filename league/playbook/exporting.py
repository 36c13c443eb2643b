"""Write a playbook as YAML or Markdown, in the formats league.playbook.importing reads."""

from __future__ import annotations

from typing import Any

import yaml

from league.playbook.importing import YAML_FIELDS, YAML_SECTIONS
from league.playbook.item_service import group_items
from league.playbook.models import ItemKind, PlaybookItem


class BlockDumper(yaml.SafeDumper):  # type: ignore[misc]
    """Multi-line text as `|` blocks, so an exported file reads like the messaging doc."""


def represent_text(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


BlockDumper.add_representer(str, represent_text)


def item_fields(item: PlaybookItem) -> dict[str, Any]:
    return {
        name: (list(item.key_points) if attribute == "key_points" else getattr(item, attribute))
        for name, attribute in YAML_FIELDS[item.kind].items()
    }


def export_yaml(team_name: str, items: list[PlaybookItem]) -> str:
    document: dict[str, Any] = {}
    for section, kind in YAML_SECTIONS.items():
        chosen = [item_fields(item) for item in items if item.kind == kind]
        if kind == ItemKind.VALUE_PROPOSITION:
            document[section] = chosen[0] if chosen else None
        else:
            document[section] = chosen
    header = f"# Playbook: {team_name}. Import it on the Playbook page of Practice League.\n"
    body = yaml.dump(document, Dumper=BlockDumper, sort_keys=False, allow_unicode=True, width=100)
    return header + str(body)


def export_markdown(team_name: str, items: list[PlaybookItem]) -> str:
    lines = [f"# Playbook: {team_name}", ""]
    for kind, chosen in group_items(items):
        lines += [f"## {kind.plural}", ""]
        for item in chosen:
            lines += markdown_item(item)
    return "\n".join(lines).rstrip() + "\n"


def markdown_item(item: PlaybookItem) -> list[str]:
    lines = [f"### {item.title}", ""]
    if item.kind == ItemKind.OBJECTION:
        # "Buyer says:" is one line in the file format.
        lines += [f"Buyer says: {' '.join(item.prompt.split())}", "", f"Response: {item.body}", ""]
    else:
        lines += [item.body, ""]
    if item.kind == ItemKind.INSIGHT:
        lines += [f"Question: {' '.join(item.question.split())}", ""]
    if item.key_points:
        lines += [f"- {point}" for point in item.key_points] + [""]
    return lines
