from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.playbook.models import PlaybookItem
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX


def form_for(item: PlaybookItem, **changes: str) -> dict[str, str]:
    values = {
        "title": item.title,
        "prompt": item.prompt,
        "body": item.body,
        "question": item.question,
        "key_points": "\n".join(item.key_points),
    }
    return {**values, **changes}


async def test_it_shows_the_item_in_the_form(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).get(f"/playbook/items/{objection.id}/edit")
    assert response.status_code == 200
    assert objection.prompt in response.text
    assert objection.key_points[0] in response.text


async def test_it_saves_a_new_key_point(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    points = "\n".join([*objection.key_points, "ask what the spreadsheet misses"])
    data = form_for(objection, key_points=points)
    response = await (await make_client(manager)).post(
        f"/playbook/items/{objection.id}/edit", data=data
    )
    assert response.status_code == 303
    await objection.refresh_from_db()
    assert objection.key_points[-1] == "ask what the spreadsheet misses"


async def test_it_keeps_what_was_saved_when_the_edit_is_wrong(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    before = objection.body
    data = form_for(objection, body="", title="Renamed")
    response = await (await make_client(manager)).post(
        f"/playbook/items/{objection.id}/edit", data=data
    )
    assert response.status_code == 422
    assert "An objection needs a response." in response.text
    assert 'value="Renamed"' in response.text
    await objection.refresh_from_db()
    assert objection.body == before and objection.title != "Renamed"


async def test_it_refuses_a_key_point_that_is_a_paragraph(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    data = form_for(objection, key_points="word " * 40)
    response = await (await make_client(manager)).post(
        f"/playbook/items/{objection.id}/edit", data=data
    )
    assert response.status_code == 422
    assert "Key points are short phrases" in response.text


async def test_it_hides_another_organisations_item(
    make_client: ClientFactory, manager: Membership, foreign_item: PlaybookItem
) -> None:
    client = await make_client(manager)
    assert (await client.get(f"/playbook/items/{foreign_item.id}/edit")).status_code == 404
    response = await client.post(
        f"/playbook/items/{foreign_item.id}/edit", data=form_for(foreign_item, title="Mine")
    )
    assert response.status_code == 404
    await foreign_item.refresh_from_db()
    assert foreign_item.title == "Rival edge"


async def test_it_forbids_reps(
    make_client: ClientFactory, rep: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(rep)).get(f"/playbook/items/{objection.id}/edit")
    assert response.status_code == 403


async def test_it_rejects_delete(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).delete(f"/playbook/items/{objection.id}/edit")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(
    client: httpx.AsyncClient, objection: PlaybookItem
) -> None:
    response = await client.get(f"/playbook/items/{objection.id}/edit")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_form_fragment(
    make_client: ClientFactory, manager: Membership, objection: PlaybookItem
) -> None:
    response = await (await make_client(manager)).get(
        f"/playbook/items/{objection.id}/edit", headers=HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<form")
    assert "<html" not in response.text
