from __future__ import annotations

import httpx
import pytest

from league.accounts.models import Membership, Team
from league.playbook import item_service
from league.playbook.importing import PlaybookFormat, parse_playbook
from league.playbook.models import ItemKind, PlaybookItem
from league.web.errors import LeagueError
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX

MARKDOWN = """# Playbook: Mid-Market Sales

## Differentiators

### Live in a week
We connect to the CRM as it is.

- no new fields
- first forecast in a week

## Objections

### Bad timing
Buyer says: Call me next quarter.
Response: Next quarter's forecast is built this quarter.
Let's start small.
- the forecast is built now
"""

YAML = """insights:
  - title: Stalled deals
    body: Deals go quiet first.
    question: Which deals went quiet this week?
    key_points: [quiet first, ask weekly]
"""

BROKEN_MARKDOWN = """## Differentiators
### Live in a week
We connect to the CRM as it is.

## Objections
### Bad timing
Buyer says: Call me next quarter.
- the forecast is built now
"""


async def active_titles(team: Team) -> list[str]:
    return [item.title for item in await item_service.list_items(team.id)]


async def test_it_adds_pasted_markdown_after_the_current_items(
    make_client: ClientFactory, manager: Membership, team: Team, items: list[PlaybookItem]
) -> None:
    data = {"format": "markdown", "mode": "append", "text": MARKDOWN}
    response = await (await make_client(manager)).post("/playbook/import", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == "/playbook?imported=2"
    titles = await active_titles(team)
    assert len(titles) == len(items) + 2
    bad_timing = await PlaybookItem.get(title="Bad timing")
    assert bad_timing.prompt == "Call me next quarter."
    assert bad_timing.body == "Next quarter's forecast is built this quarter.\nLet's start small."
    assert bad_timing.key_points == ["the forecast is built now"]
    assert titles.index("Live in a week") < titles.index("Deals go quiet before they slip")


async def test_it_replaces_the_playbook_from_an_uploaded_yaml_file_archiving_the_old_one(
    make_client: ClientFactory, manager: Membership, team: Team, items: list[PlaybookItem]
) -> None:
    response = await (await make_client(manager)).post(
        "/playbook/import",
        data={"format": "markdown", "mode": "replace", "text": ""},
        files={"file": ("playbook.yaml", YAML.encode(), "application/yaml")},
    )
    assert response.status_code == 303
    assert await active_titles(team) == ["Stalled deals"]
    archived = await item_service.list_items(team.id, archived=True)
    assert len(archived) == len(items)


async def test_it_names_the_wrong_line_and_saves_nothing(
    make_client: ClientFactory, manager: Membership, team: Team, items: list[PlaybookItem]
) -> None:
    data = {"format": "markdown", "mode": "replace", "text": BROKEN_MARKDOWN}
    response = await (await make_client(manager)).post("/playbook/import", data=data)
    assert response.status_code == 422
    assert "Line 6: an objection needs a response." in response.text
    assert "Call me next quarter." in response.text  # the pasted text is kept
    assert len(await active_titles(team)) == len(items)
    assert not await PlaybookItem.exists(title="Live in a week")


async def test_it_names_the_wrong_line_of_an_uploaded_yaml_file(
    make_client: ClientFactory, manager: Membership
) -> None:
    broken = YAML.replace("    question: Which deals went quiet this week?\n", "    colour: red\n")
    response = await (await make_client(manager)).post(
        "/playbook/import",
        data={"format": "yaml", "mode": "append"},
        files={"file": ("playbook.yml", broken.encode(), "application/yaml")},
    )
    assert response.status_code == 422
    assert "playbook.yml: Line 4: unknown field “colour” in an insight" in response.text


@pytest.mark.parametrize(
    ("text", "chosen", "message"),
    [
        ("Our pitch\n", PlaybookFormat.MARKDOWN, "Line 1: start with a section heading"),
        ("## Pricing\n", PlaybookFormat.MARKDOWN, "Line 1: unknown section “## Pricing”"),
        ("## Insights\n\n### Quiet\nBody.\n", PlaybookFormat.MARKDOWN, "Line 3: an insight needs"),
        ("## Insights\nBody.\n", PlaybookFormat.MARKDOWN, "Line 2: start each insight with"),
        ("## Objections\n### A\nQuestion: Why?\n", PlaybookFormat.MARKDOWN, "Line 3: an objection"),
        (
            "## Value proposition\nOne.\n## Value proposition\nTwo.\n",
            PlaybookFormat.MARKDOWN,
            "Line 4: a playbook has one value proposition",
        ),
        ("insights:\n  - title: [A\n", PlaybookFormat.YAML, "Line 3: this isn't valid YAML"),
        ("pricing: 1\n", PlaybookFormat.YAML, "Line 1: unknown section “pricing”"),
        ("differentiators:\n  title: A\n", PlaybookFormat.YAML, "Line 2: list each differentiator"),
        (
            "objections:\n  - title: A\n    buyer_says: No.\n",
            PlaybookFormat.YAML,
            "Line 2: an objection needs a response",
        ),
        (
            "differentiators:\n  - title: A\n    body: B\n    key_points: one\n",
            PlaybookFormat.YAML,
            "Line 4: key_points is a list",
        ),
    ],
)
def test_it_explains_bad_files_by_line(text: str, chosen: PlaybookFormat, message: str) -> None:
    with pytest.raises(LeagueError) as raised:
        parse_playbook(text, chosen)
    assert raised.value.message.startswith(message)
    assert 400 <= raised.value.status < 500


async def test_it_refuses_a_value_proposition_when_adding_to_a_playbook_that_has_one(
    make_client: ClientFactory, manager: Membership, items: list[PlaybookItem]
) -> None:
    text = "## Value proposition\n### Better pitch\nWe help.\n"
    data = {"format": "markdown", "mode": "append", "text": text}
    response = await (await make_client(manager)).post("/playbook/import", data=data)
    assert response.status_code == 422
    assert "Line 2: the playbook already has a value proposition" in response.text
    assert not await PlaybookItem.exists(title="Better pitch")


async def test_it_refuses_files_that_are_too_big_or_not_text(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    data = {"format": "markdown", "mode": "append"}
    big = await client.post(
        "/playbook/import", data=data, files={"file": ("big.md", b"x" * 300_000, "text/plain")}
    )
    assert big.status_code == 413
    not_text = {"file": ("p.md", b"## Insights\n\xff\xfe", "text/plain")}
    binary = await client.post("/playbook/import", data=data, files=not_text)
    assert binary.status_code == 422
    assert "Line 2: this isn&#39;t UTF-8 text" in binary.text


async def test_it_refuses_an_empty_paste(make_client: ClientFactory, manager: Membership) -> None:
    data = {"format": "markdown", "mode": "append", "text": "  \n"}
    response = await (await make_client(manager)).post("/playbook/import", data=data)
    assert response.status_code == 422
    assert "The playbook is empty" in response.text


async def test_it_shows_the_form_with_both_modes(
    make_client: ClientFactory, manager: Membership
) -> None:
    response = await (await make_client(manager)).get("/playbook/import")
    assert response.status_code == 200
    assert 'hx-encoding="multipart/form-data"' in response.text
    assert "current items are archived" in response.text


async def test_it_forbids_reps(make_client: ClientFactory, rep: Membership) -> None:
    data = {"format": "yaml", "mode": "append", "text": YAML}
    response = await (await make_client(rep)).post("/playbook/import", data=data)
    assert response.status_code == 403
    assert not await PlaybookItem.exists(kind=ItemKind.INSIGHT)


async def test_it_rejects_put(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).put("/playbook/import")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/playbook/import")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_refuses_an_upload_without_the_csrf_header(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    del client.headers["X-CSRF-Token"]
    response = await client.post(
        "/playbook/import",
        data={"format": "yaml", "mode": "append"},
        files={"file": ("playbook.yaml", YAML.encode(), "application/yaml")},
    )
    assert response.status_code == 403
    assert not await PlaybookItem.exists(title="Stalled deals")


async def test_it_answers_htmx_with_the_form_or_a_redirect(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    form = await client.get("/playbook/import", headers=HTMX)
    assert form.text.lstrip().startswith("<form")
    bad = await client.post(
        "/playbook/import",
        data={"format": "markdown", "mode": "append", "text": "Hi"},
        headers=HTMX,
    )
    assert bad.status_code == 422
    assert bad.text.lstrip().startswith("<form")
    done = await client.post(
        "/playbook/import", data={"format": "yaml", "mode": "append", "text": YAML}, headers=HTMX
    )
    assert done.status_code == 204
    assert done.headers["HX-Redirect"] == "/playbook?imported=1"


def test_its_format_example_imports_cleanly() -> None:
    from league.web.templating import TEMPLATES_DIR

    page = (TEMPLATES_DIR / "playbook" / "import.html").read_text()
    example = page.split('<pre class="format-example">')[1].split("</pre>")[0]
    items = parse_playbook(example.replace("&#39;", "'"), PlaybookFormat.MARKDOWN)
    assert [item.kind for item in items] == list(ItemKind)
    assert items[2].question == "Which deals went quiet?"
    assert items[3].body == "Compare it to one\nslipped deal this quarter."
