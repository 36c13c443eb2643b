"""The coach's pick: one per drill per round."""

from __future__ import annotations

from typing import Any

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.reviews.models import CoachPick
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.live.conftest import make_screen, screen_cookies
from tests.reviews.conftest import League, publish, review_everything


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
    assert "<html" not in response.text
    assert '<span class="badge badge-gold"><svg class="icon icon-star"' in response.text
    assert "Coach's pick</span>" in response.text


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


async def test_the_pick_shows_on_standings_and_the_office_screen_after_results(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    picked = league.reps[1]
    await (await make_client(league.manager)).post(f"/judging/entries/{league.entries[1].id}/pick")
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    standings = (await (await make_client(league.reps[0])).get("/standings")).text
    picks = standings.split('id="standings-picks"')[1].split("</section>")[0]
    assert picked.user.name in picks and league.drill.title in picks
    await make_screen(league.manager, token="tv-pick")
    screen = await make_client(None)
    for name, value in screen_cookies("tv-pick").items():
        screen.cookies.set(name, value)
    board = (await screen.get("/tv")).text
    slide = board.split('class="slide slide-pick"')[1].split("</article>")[0]
    assert "Coach's pick" in slide and picked.user.name in slide
