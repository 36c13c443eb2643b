"""The coach's pick clip plays on the team's office screen once results are out."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.live.models import OfficeScreen
from league.reviews.models import CoachPick
from league.seasons.models import RoundState
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.live.conftest import make_screen, screen_cookies
from tests.reviews.conftest import League, enter_state

CLIP = b"\x1a\x45\xdf\xa3" + b"clip-bytes" * 100


async def pick_with_clip(app: Starlette, league: League) -> CoachPick:
    entry = league.entries[0]
    take = await entry.take
    take.has_video = True
    await take.save()
    path = app.state.storage.path_for(take.storage_key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(CLIP)
    return await CoachPick.create(
        team=league.team,
        round=league.round,
        drill=league.drill,
        entry=entry,
        picked_by=league.manager,
    )


async def tv_client(
    make_client: ClientFactory, screen: OfficeScreen, token: str
) -> httpx.AsyncClient:
    client = await make_client(None)
    for name, value in screen_cookies(token).items():
        client.cookies.set(name, value)
    return client


async def finish_round(league: League, app_services: dict[str, Any]) -> None:
    await enter_state(league.round, RoundState.REVIEWS_CLOSED, app_services, league.round.opens_at)
    await enter_state(league.round, RoundState.RESULTS, app_services, league.round.results_at)


async def test_the_team_screen_plays_the_pick_after_results(
    app: Starlette,
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    app_services: dict[str, Any],
) -> None:
    pick = await pick_with_clip(app, league)
    screen = await make_screen(league.manager, token="tv-pick")
    tv = await tv_client(make_client, screen, "tv-pick")
    assert (await tv.get(f"/tv/picks/{pick.id}/media")).status_code == 404
    await finish_round(league, app_services)
    response = await tv.get(f"/tv/picks/{pick.id}/media", headers={"Range": "bytes=0-3"})
    assert response.status_code == 206 and response.content == CLIP[:4]
    board = await tv.get("/tv")
    assert f"/tv/picks/{pick.id}/media" in board.text


async def test_another_teams_screen_and_signed_out_browsers_get_nothing(
    app: Starlette,
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    outsider: Membership,
    app_services: dict[str, Any],
) -> None:
    pick = await pick_with_clip(app, league)
    await finish_round(league, app_services)
    theirs = await make_screen(outsider, token="tv-rival")
    rival = await tv_client(make_client, theirs, "tv-rival")
    assert (await rival.get(f"/tv/picks/{pick.id}/media")).status_code == 404
    anonymous = await make_client(None)
    assert (await anonymous.get(f"/tv/picks/{pick.id}/media")).status_code == 404
    assert (await rival.post(f"/tv/picks/{pick.id}/media")).status_code == 405
