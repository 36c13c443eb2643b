"""The coach's pick: one per drill per round."""

from __future__ import annotations

from league.accounts.models import Membership
from league.reviews.models import CoachPick
from tests.conftest import ClientFactory
from tests.reviews.conftest import League


async def test_it_picks_one_entry_per_drill_replacing_the_last_pick(
    league: League, make_client: ClientFactory
) -> None:
    client = await make_client(league.manager)
    first = await client.post(f"/judging/entries/{league.entries[0].id}/pick")
    assert first.status_code == 303
    await client.post(f"/judging/entries/{league.entries[2].id}/pick")
    picks = await CoachPick.filter(round_id=league.round.id)
    assert [(pick.drill_id, pick.entry_id) for pick in picks] == [  # type: ignore[attr-defined]
        (league.drill.id, league.entries[2].id)
    ]


async def test_htmx_gets_the_updated_queue(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).post(
        f"/judging/entries/{league.entries[1].id}/pick", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "★ Coach's pick" in response.text


async def test_reps_may_not_pick(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.reps[1])).post(
        f"/judging/entries/{league.entries[0].id}/pick"
    )
    assert response.status_code == 403


async def test_it_hides_another_organisations_entry(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    response = await (await make_client(outsider)).post(
        f"/judging/entries/{league.entries[0].id}/pick"
    )
    assert response.status_code == 404


async def test_it_rejects_get(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).get(
        f"/judging/entries/{league.entries[0].id}/pick"
    )
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(None)).post(f"/judging/entries/{league.entries[0].id}/pick")
    assert response.status_code == 303
