from __future__ import annotations

import httpx
import pytest

from league.accounts.models import Membership, Team
from league.playbook import item_service
from league.playbook.importing import PlaybookFormat, parse_playbook
from league.playbook.models import ItemKind, PlaybookItem
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


def fields(item: PlaybookItem | item_service.ItemInput) -> tuple[object, ...]:
    return (item.kind, item.title, item.body, item.prompt, item.question, list(item.key_points))


@pytest.mark.parametrize("chosen", list(PlaybookFormat))
async def test_it_round_trips_the_playbook(
    make_client: ClientFactory,
    manager: Membership,
    team: Team,
    items: list[PlaybookItem],
    chosen: PlaybookFormat,
) -> None:
    response = await (await make_client(manager)).get(f"/playbook/export/{chosen.value}")
    assert response.status_code == 200
    parsed = parse_playbook(response.text, chosen)
    assert [fields(item) for item in parsed] == [fields(item) for item in items]
    # And back in through the import page, replacing the playbook with an identical one.
    data = {"format": chosen.value, "mode": "replace", "text": response.text}
    again = await (await make_client(manager)).post("/playbook/import", data=data)
    assert again.status_code == 303
    assert [fields(item) for item in await item_service.list_items(team.id)] == [
        fields(item) for item in items
    ]


async def test_it_round_trips_multi_paragraph_text(
    make_client: ClientFactory, manager: Membership, team: Team
) -> None:
    item = await item_service.create_item(
        team.id,
        item_service.ItemInput(
            kind=ItemKind.OBJECTION,
            title="Two parts",
            prompt="Not now.",
            body="First paragraph.\n\nSecond: with a colon.",
            key_points=["one", "two: three"],
        ),
    )
    client = await make_client(manager)
    for chosen in PlaybookFormat:
        text = (await client.get(f"/playbook/export/{chosen.value}")).text
        assert [fields(parsed) for parsed in parse_playbook(text, chosen)] == [fields(item)]


async def test_it_downloads_markdown_and_yaml_files(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    client = await make_client(manager)
    markdown = await client.get("/playbook/export/markdown")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert 'filename="playbook.md"' in markdown.headers["content-disposition"]
    assert markdown.text.startswith("# Playbook: Mid-Market\n")
    assert "## Objections\n\n### We already use spreadsheets\n\nBuyer says: " in markdown.text
    yaml_file = await client.get("/playbook/export/yaml")
    assert yaml_file.headers["content-type"].startswith("application/yaml")
    assert "buyer_says: We already track the forecast" in yaml_file.text


async def test_it_lets_reps_take_the_messaging_with_them(
    make_client: ClientFactory, rep: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(rep)).get("/playbook/export/markdown")
    assert response.status_code == 200


async def test_it_leaves_out_archived_items_and_other_organisations(
    make_client: ClientFactory,
    manager: Membership,
    objection: PlaybookItem,
    foreign_item: PlaybookItem,
) -> None:
    client = await make_client(manager)
    await client.post(f"/playbook/items/{objection.id}/archive")
    text = (await client.get("/playbook/export/markdown")).text
    assert objection.title not in text
    assert foreign_item.title not in text


async def test_it_knows_only_markdown_and_yaml(
    make_client: ClientFactory, manager: Membership
) -> None:
    response = await (await make_client(manager)).get("/playbook/export/docx")
    assert response.status_code == 404


async def test_it_rejects_post(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).post("/playbook/export/yaml")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/playbook/export/yaml")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_file_itself(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(manager)).get("/playbook/export/yaml", headers=HTMX)
    assert response.status_code == 200
    assert response.text.startswith("# Playbook:")
