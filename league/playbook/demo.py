"""The demo team's playbook and drills, from seeds/playbook.yaml and seeds/drills.yaml."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from league.accounts.models import Team
from league.playbook import drill_service, item_service
from league.playbook.importing import PlaybookFormat, parse_playbook
from league.playbook.models import Drill, DrillKind, PlaybookItem
from league.playbook.rubric import default_rubric


async def load_demo_playbook(team: Team, seeds_dir: Path) -> list[Drill]:
    """Load the playbook and drills into `team`, in seed order.

    Idempotent: a team that already has a playbook keeps it, and gets its active drills back.
    """
    if await PlaybookItem.exists(team_id=team.id):
        return await drill_service.list_drills(team.id)
    items = parse_playbook((seeds_dir / "playbook.yaml").read_text(), PlaybookFormat.YAML)
    created = await item_service.import_items(
        team.id, items, item_service.ImportMode.APPEND, datetime.now(UTC)
    )
    by_title = {item.title: item for item in created}
    specs: list[dict[str, Any]] = yaml.safe_load((seeds_dir / "drills.yaml").read_text())
    return [await create_seed_drill(team.id, spec, by_title) for spec in specs]


async def create_seed_drill(
    team_id: int, spec: dict[str, Any], by_title: dict[str, PlaybookItem]
) -> Drill:
    source = find_item(by_title, spec["generated_from"]) if "generated_from" in spec else None
    items = [find_item(by_title, title) for title in spec.get("items", [])]
    if source is not None:
        items.insert(0, source)
    data = drill_service.DrillInput(
        title=spec["title"],
        prompt=spec["prompt"],
        kind=DrillKind(spec["kind"]),
        time_limit_seconds=int(spec["time_limit_seconds"]),
        item_ids=[item.id for item in items],
        rubric=default_rubric(),
    )
    return await drill_service.create_drill(team_id, data, generated_from=source)


def find_item(by_title: dict[str, PlaybookItem], title: str) -> PlaybookItem:
    if title not in by_title:
        raise ValueError(f"seeds/drills.yaml names {title!r}, which seeds/playbook.yaml lacks")
    return by_title[title]
