from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.clips.models import Entry
from league.clock import FrozenClock
from league.seasons.models import Round, RoundState
from tests.conftest import ClientFactory


def withdraw_url(entry: Entry) -> str:
    return f"/entries/{entry.id}/withdraw"


async def test_it_withdraws_the_entry_and_keeps_the_row(
    make_client: ClientFactory, rep: Membership, entry: Entry, clock: FrozenClock
) -> None:
    client = await make_client(rep)
    response = await client.post(withdraw_url(entry))
    assert response.status_code == 303
    await entry.refresh_from_db()
    assert entry.withdrawn_at == clock.now()


async def test_it_answers_htmx_with_the_panel_showing_the_withdrawal(
    make_client: ClientFactory, rep: Membership, entry: Entry
) -> None:
    client = await make_client(rep)
    response = await client.post(withdraw_url(entry), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'data-entry-state="withdrawn"' in response.text
    assert "Submit a take before" in response.text


async def test_withdrawing_twice_keeps_the_first_time(
    make_client: ClientFactory, rep: Membership, entry: Entry, clock: FrozenClock
) -> None:
    client = await make_client(rep)
    await client.post(withdraw_url(entry))
    first = clock.now()
    clock.advance(clock.now() - clock.now().replace(hour=0))
    await client.post(withdraw_url(entry))
    await entry.refresh_from_db()
    assert entry.withdrawn_at == first


async def test_it_can_withdraw_while_the_round_is_reviewed(
    make_client: ClientFactory, rep: Membership, entry: Entry, open_round: Round
) -> None:
    open_round.state = RoundState.REVIEWING
    await open_round.save()
    client = await make_client(rep)
    assert (await client.post(withdraw_url(entry))).status_code == 303
    await entry.refresh_from_db()
    assert entry.withdrawn_at is not None


async def test_it_keeps_entries_once_results_are_out(
    make_client: ClientFactory, rep: Membership, entry: Entry, open_round: Round
) -> None:
    open_round.state = RoundState.RESULTS
    await open_round.save()
    client = await make_client(rep)
    response = await client.post(withdraw_url(entry))
    assert response.status_code == 409
    assert "Results are out for round 1" in response.text
    await entry.refresh_from_db()
    assert entry.withdrawn_at is None


async def test_only_the_rep_can_withdraw(
    make_client: ClientFactory, manager: Membership, outsider: Membership, entry: Entry
) -> None:
    for member in (manager, outsider):
        client = await make_client(member)
        assert (await client.post(withdraw_url(entry))).status_code == 404


async def test_it_sends_logged_out_people_to_sign_in(
    client: httpx.AsyncClient, entry: Entry
) -> None:
    assert (await client.post(withdraw_url(entry))).status_code == 303


async def test_it_rejects_get(make_client: ClientFactory, rep: Membership, entry: Entry) -> None:
    client = await make_client(rep)
    assert (await client.get(withdraw_url(entry))).status_code == 405
