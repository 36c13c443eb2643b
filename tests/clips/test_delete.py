from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from tests.conftest import ClientFactory


def delete_url(take: Take) -> str:
    return f"/takes/{take.id}/delete"


async def test_it_deletes_the_take_and_its_clip(
    make_client: ClientFactory,
    rep: Membership,
    take: Take,
    storage: LocalStorage,
    clock: FrozenClock,
) -> None:
    client = await make_client(rep)
    response = await client.post(delete_url(take))
    assert response.status_code == 303
    await take.refresh_from_db()
    assert take.deleted_at == clock.now()
    assert not (storage.root / take.storage_key).exists()
    assert (await client.get(f"/clips/{take.id}/media")).status_code == 404


async def test_it_answers_htmx_with_the_panel_without_the_take(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    client = await make_client(rep)
    response = await client.post(delete_url(take), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="take-{take.id}"' not in response.text
    assert "No takes yet" in response.text


async def test_it_refuses_to_delete_the_current_entry(
    make_client: ClientFactory, rep: Membership, entry: Entry, take: Take, storage: LocalStorage
) -> None:
    client = await make_client(rep)
    response = await client.post(delete_url(take), headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "your entry for round 1" in response.text
    assert "Withdraw the entry first" in response.text
    await take.refresh_from_db()
    assert take.deleted_at is None
    assert (storage.root / take.storage_key).exists()


async def test_it_deletes_a_withdrawn_entrys_take(
    make_client: ClientFactory, rep: Membership, entry: Entry, take: Take
) -> None:
    client = await make_client(rep)
    await client.post(f"/entries/{entry.id}/withdraw")
    assert (await client.post(delete_url(take))).status_code == 303
    await take.refresh_from_db()
    assert take.deleted_at is not None


async def test_only_the_rep_can_delete(
    make_client: ClientFactory,
    manager: Membership,
    teammate: Membership,
    outsider: Membership,
    take: Take,
) -> None:
    for member in (manager, teammate, outsider):
        client = await make_client(member)
        assert (await client.post(delete_url(take))).status_code == 404
    await take.refresh_from_db()
    assert take.deleted_at is None


async def test_deleting_twice_is_a_404(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    client = await make_client(rep)
    await client.post(delete_url(take))
    assert (await client.post(delete_url(take))).status_code == 404


async def test_it_sends_logged_out_people_to_sign_in(client: httpx.AsyncClient, take: Take) -> None:
    assert (await client.post(delete_url(take))).status_code == 303


async def test_it_rejects_get(make_client: ClientFactory, rep: Membership, take: Take) -> None:
    client = await make_client(rep)
    assert (await client.get(delete_url(take))).status_code == 405
