"""Office screens: pairing with a code, expiry, settings, revoking, the results reveal."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.live.hub import CLOSE_REVOKED
from league.live.models import OfficeScreen, ScreenPairing
from league.live.screens import PAIRING_MINUTES
from tests.conftest import ClientFactory
from tests.live.conftest import SocketClosed, SocketFactory, make_screen, screen_cookies
from tests.reviews.conftest import League

CODE = re.compile(r'class="tv-pair-code"[^>]*>([A-Z0-9]{3}-[A-Z0-9]{3})<')


async def show_code(tv: httpx.AsyncClient) -> str:
    response = await tv.get("/tv")
    assert response.status_code == 200
    match = CODE.search(response.text)
    assert match, response.text
    return match.group(1)


async def test_a_new_tv_shows_a_pairing_code_that_stays_for_ten_minutes(
    client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    code = await show_code(client)
    assert "league_screen" in client.cookies
    clock.advance(timedelta(minutes=PAIRING_MINUTES - 1))
    assert await show_code(client) == code
    clock.advance(timedelta(minutes=2))
    assert await show_code(client) != code


async def test_a_manager_pairs_the_tv_and_it_shows_the_standings(
    client: httpx.AsyncClient, manager: Membership, make_client: ClientFactory
) -> None:
    code = await show_code(client)
    status = await client.get("/tv/status", headers={"HX-Request": "true"})
    assert status.status_code == 204 and "HX-Redirect" not in status.headers
    phone = await make_client(manager)
    response = await phone.post("/screens", data={"code": code.lower(), "name": "Sales floor"})
    assert response.status_code == 303
    screen = await OfficeScreen.get(team_id=manager.team_id)  # type: ignore[attr-defined]
    assert screen.name == "Sales floor" and screen.paired_by_id == manager.id  # type: ignore[attr-defined]
    status = await client.get("/tv/status", headers={"HX-Request": "true"})
    assert status.headers["HX-Redirect"] == "/tv"
    board = await client.get("/tv")
    assert 'id="tv-table"' in board.text and manager.team.name in board.text
    assert not await ScreenPairing.exists()
    confirmed = await phone.get(response.headers["location"])
    assert "Screen paired: Sales floor." in confirmed.text


async def test_the_pairing_page_names_the_menu_path_not_a_url(client: httpx.AsyncClient) -> None:
    page = (await client.get("/tv")).text
    assert "Standings › Office screens and results reveal" in page
    assert "/screens</strong>" not in page


async def test_a_second_screen_with_the_same_name_is_numbered(
    make_client: ClientFactory, manager: Membership
) -> None:
    phone = await make_client(manager)
    for _ in range(3):
        tv = await make_client(None)
        code = await show_code(tv)
        response = await phone.post("/screens", data={"code": code, "name": " Sales  floor "})
        assert response.status_code == 303
    names = (
        await OfficeScreen.filter(team_id=manager.team_id)
        .order_by("id")
        .values_list(  # type: ignore[attr-defined]
            "name", flat=True
        )
    )
    assert names == ["Sales floor", "Sales floor 2", "Sales floor 3"]
    linked = await phone.post("/screens/links", data={"name": "Sales floor"})
    assert "Sales floor 4" in linked.text


async def test_an_expired_code_is_refused_keeping_what_was_typed(
    client: httpx.AsyncClient, manager: Membership, make_client: ClientFactory, clock: FrozenClock
) -> None:
    code = await show_code(client)
    clock.advance(timedelta(minutes=PAIRING_MINUTES + 1))
    phone = await make_client(manager)
    response = await phone.post("/screens", data={"code": code, "name": "Lobby TV"})
    assert response.status_code == 422
    assert "check the TV" in response.text
    assert 'value="Lobby TV"' in response.text
    assert not await OfficeScreen.exists()


async def test_a_malformed_code_gets_a_clear_message(
    manager: Membership, make_client: ClientFactory
) -> None:
    response = await (await make_client(manager)).post("/screens", data={"code": "12"})
    assert response.status_code == 422
    assert "6-character code" in response.text


async def test_reps_cannot_pair_or_manage_screens(
    rep: Membership, make_client: ClientFactory
) -> None:
    phone = await make_client(rep)
    assert (await phone.get("/screens")).status_code == 403
    assert (await phone.post("/screens", data={"code": "ABC234"})).status_code == 403
    assert (await phone.post("/screens/reveal")).status_code == 403


async def test_screens_pages_need_signing_in_and_the_right_method(
    client: httpx.AsyncClient, manager: Membership, make_client: ClientFactory
) -> None:
    response = await client.get("/screens")
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")
    screen = await make_screen(manager)
    phone = await make_client(manager)
    assert (await phone.get(f"/screens/{screen.id}/revoke")).status_code == 405
    assert (await phone.put("/screens")).status_code == 405
    page = await phone.get("/screens", headers={"HX-Request": "true"})
    assert page.status_code == 200 and "Sales floor" in page.text


async def test_another_organisations_screen_is_not_found(
    manager: Membership, outsider: Membership, make_client: ClientFactory
) -> None:
    theirs = await make_screen(outsider)
    phone = await make_client(manager)
    assert (await phone.post(f"/screens/{theirs.id}/revoke")).status_code == 404
    response = await phone.post(f"/screens/{theirs.id}/settings", data={"slide_seconds": "30"})
    assert response.status_code == 404
    assert (await OfficeScreen.get(id=theirs.id)).revoked_at is None


async def test_a_revoked_screen_is_disconnected_and_shows_a_code_again(
    manager: Membership, make_client: ClientFactory, open_socket: SocketFactory
) -> None:
    screen = await make_screen(manager, token="tv-token-1")
    socket = await open_socket(path="/live?views=tv", cookies=screen_cookies("tv-token-1"))
    assert 'id="tv-table"' in await socket.receive_text()
    assert 'data-slide-seconds="20"' in await socket.receive_text()
    response = await (await make_client(manager)).post(f"/screens/{screen.id}/revoke")
    assert response.status_code == 303
    try:
        await socket.receive_text()
    except SocketClosed as closed:
        assert closed.code == CLOSE_REVOKED
    else:
        raise AssertionError("the revoked screen stayed connected")
    again = await open_socket(path="/live?views=tv", cookies=screen_cookies("tv-token-1"))
    assert (await again.next_message())["type"] == "websocket.close"


async def test_slide_timing_reaches_the_screen_live_within_limits(
    manager: Membership, make_client: ClientFactory, open_socket: SocketFactory
) -> None:
    screen = await make_screen(manager, token="tv-token-2")
    socket = await open_socket(path="/live?views=tv", cookies=screen_cookies("tv-token-2"))
    await socket.receive_text()
    await socket.receive_text()
    phone = await make_client(manager)
    refused = await phone.post(f"/screens/{screen.id}/settings", data={"slide_seconds": "5"})
    assert refused.status_code == 422 and "10 to 60 seconds" in refused.text
    response = await phone.post(f"/screens/{screen.id}/settings", data={"slide_seconds": "45"})
    assert response.status_code == 303
    assert 'data-slide-seconds="45"' in await socket.receive_text()


async def test_the_manager_starts_the_reveal_on_the_team_screens(
    league: League, make_client: ClientFactory, open_socket: SocketFactory
) -> None:
    await make_screen(league.manager, token="tv-token-3")
    tv = await open_socket(path="/live?views=tv", cookies=screen_cookies("tv-token-3"))
    phone = await open_socket(league.reps[0])
    await tv.receive_text()
    await tv.receive_text()
    await phone.receive_text()
    response = await (await make_client(league.manager)).post("/screens/reveal")
    assert response.status_code == 303
    reveal = await tv.receive_text()
    assert 'id="tv-reveal"' in reveal and "is-armed" in reveal
    assert reveal.count("data-reveal-place") == len(league.reps)
    await phone.expect_nothing()


async def test_anonymous_pairing_codes_are_rate_limited_per_address(
    client: httpx.AsyncClient,
) -> None:
    from league.live.models import ScreenPairing
    from league.live.routes import PAIRINGS_PER_ADDRESS

    for _ in range(PAIRINGS_PER_ADDRESS):
        client.cookies.clear()  # a new browser each time, as a script would be
        assert (await client.get("/tv")).status_code == 200
    client.cookies.clear()
    refused = await client.get("/tv")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert await ScreenPairing.all().count() == PAIRINGS_PER_ADDRESS


async def test_a_tv_reloading_its_code_does_not_use_up_the_allowance(
    client: httpx.AsyncClient,
) -> None:
    from league.live.routes import PAIRINGS_PER_ADDRESS

    for _ in range(PAIRINGS_PER_ADDRESS + 5):
        assert (await client.get("/tv")).status_code == 200
