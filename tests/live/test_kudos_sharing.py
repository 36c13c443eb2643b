"""Kudos are quoted in the feed only when their writer agreed, and only after results."""

from __future__ import annotations

from typing import Any

import httpx

from league.accounts.models import Membership
from league.live.models import KudosSharing
from league.seasons.models import RoundState
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, enter_state, send_review

KUDOS = "Loved how you opened with their numbers."


async def test_it_saves_the_choice_and_goes_back_to_standings(
    rep: Membership, make_client: ClientFactory
) -> None:
    phone = await make_client(rep)
    response = await phone.post("/live/kudos-sharing", data={"allow_quotes": "yes"})
    assert response.status_code == 303 and response.headers["location"] == "/standings"
    assert (await KudosSharing.get(member_id=rep.id)).allow_quotes
    await phone.post("/live/kudos-sharing", data={})
    assert not (await KudosSharing.get(member_id=rep.id)).allow_quotes
    page = await phone.get("/standings")
    assert 'name="allow_quotes" value="yes">' in page.text


async def test_it_needs_a_member_and_a_post(
    client: httpx.AsyncClient, rep: Membership, make_client: ClientFactory
) -> None:
    response = await client.post("/live/kudos-sharing", data={"allow_quotes": "yes"})
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")
    assert (await (await make_client(rep)).get("/live/kudos-sharing")).status_code == 405
    htmx = await (await make_client(rep)).post(
        "/live/kudos-sharing", data={"allow_quotes": "yes"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == "/standings"


async def test_quotes_appear_after_results_only_when_allowed(
    league: League, make_client: ClientFactory, settings: Settings, app_services: dict[str, Any]
) -> None:
    sharer, private = league.reps[0], league.reps[1]
    await KudosSharing.create(member=sharer, allow_quotes=True)
    await send_review(make_client, sharer, await league.review_of(sharer), kudos=KUDOS)
    secret = "Private praise that stays between us."
    await send_review(make_client, private, await league.review_of(private), kudos=secret)
    viewer = await make_client(league.reps[3])
    assert KUDOS not in (await viewer.get("/standings")).text
    await enter_state(league.round, RoundState.REVIEWS_CLOSED, app_services, league.round.opens_at)
    await enter_state(league.round, RoundState.RESULTS, app_services, league.round.results_at)
    page = (await viewer.get("/standings")).text
    assert KUDOS in page
    assert secret not in page
    assert "Kudos for" in page
    assert sharer.user.name not in page.split(KUDOS)[0].rsplit("<li", 1)[-1]
