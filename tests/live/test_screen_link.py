"""Pairing an office screen with a secret link instead of a code."""

from __future__ import annotations

import html
import re

import httpx

from league.accounts.models import Membership
from league.live.hub import CLOSE_REVOKED
from league.live.models import OfficeScreen
from tests.conftest import ClientFactory
from tests.live.conftest import SocketClosed, SocketFactory

LINK = re.compile(r'id="field-new-link" value="([^"]+)"')


async def create_link(phone: httpx.AsyncClient, name: str = "Lobby TV") -> str:
    response = await phone.post("/screens/links", data={"name": name})
    assert response.status_code == 201, response.text
    match = LINK.search(response.text)
    assert match, response.text
    return html.unescape(match.group(1))


async def test_a_manager_creates_a_link_that_pairs_the_browser_opening_it(
    manager: Membership, make_client: ClientFactory, client: httpx.AsyncClient
) -> None:
    link = await create_link(await make_client(manager))
    assert link.startswith("http://testserver/tv/link/")
    screen = await OfficeScreen.get(team_id=manager.team_id)  # type: ignore[attr-defined]
    assert screen.name == "Lobby TV" and screen.paired_by_id == manager.id  # type: ignore[attr-defined]
    opened = await client.get(link)
    assert opened.status_code == 303 and opened.headers["location"] == "/tv"
    board = await client.get("/tv")
    assert 'id="tv-table"' in board.text and manager.team.name in board.text
    # A power cycle keeps the cookie; a signage player opening the link again is fine too.
    assert (await client.get("/tv")).status_code == 200
    assert (await client.get(link)).status_code == 303


async def test_the_link_is_shown_once_and_never_stored(
    manager: Membership, make_client: ClientFactory
) -> None:
    phone = await make_client(manager)
    link = await create_link(phone)
    token = link.rsplit("/", 1)[-1]
    screen = await OfficeScreen.get(team_id=manager.team_id)  # type: ignore[attr-defined]
    assert screen.token_hash and token not in screen.token_hash
    assert token not in (await phone.get("/screens")).text


async def test_an_unpaired_link_stops_working_and_its_screen_is_disconnected(
    manager: Membership,
    make_client: ClientFactory,
    client: httpx.AsyncClient,
    open_socket: SocketFactory,
) -> None:
    phone = await make_client(manager)
    link = await create_link(phone)
    await client.get(link)
    socket = await open_socket(path="/live?views=tv", cookies=dict(client.cookies))
    assert 'id="tv-table"' in await socket.receive_text()
    screen = await OfficeScreen.get(team_id=manager.team_id)  # type: ignore[attr-defined]
    assert (await phone.post(f"/screens/{screen.id}/revoke")).status_code == 303
    try:
        while True:
            await socket.receive_text()
    except SocketClosed as closed:
        assert closed.code == CLOSE_REVOKED
    again = await client.get(link)
    assert again.status_code == 404 and "Ask your manager for a new one" in again.text
    assert "tv-pair-code" in (await client.get("/tv")).text


async def test_a_made_up_link_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/tv/link/not-a-real-token")
    assert response.status_code == 404
    assert "league_screen" not in response.headers.get("set-cookie", "")


async def test_a_too_long_name_is_refused_keeping_what_was_typed(
    manager: Membership, make_client: ClientFactory
) -> None:
    name = "TV " * 40
    response = await (await make_client(manager)).post("/screens/links", data={"name": name})
    assert response.status_code == 422
    assert "under 80 characters" in response.text
    assert name.strip() in response.text
    assert not await OfficeScreen.exists()


async def test_only_a_signed_in_coach_may_create_links_with_a_post(
    client: httpx.AsyncClient, rep: Membership, manager: Membership, make_client: ClientFactory
) -> None:
    signed_out = await client.post("/screens/links", data={"name": "TV"})
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/signin")
    assert (await (await make_client(rep)).post("/screens/links")).status_code == 403
    phone = await make_client(manager)
    assert (await phone.get("/screens/links")).status_code == 405
    htmx = await phone.post("/screens/links", data={"name": "TV"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 201 and 'id="field-new-link"' in htmx.text


async def test_another_organisations_screen_link_shows_only_their_team(
    manager: Membership, outsider: Membership, make_client: ClientFactory
) -> None:
    theirs = await create_link(await make_client(outsider), name="Their TV")
    tv = await make_client(None)
    await tv.get(theirs)
    board = (await tv.get("/tv")).text
    assert outsider.team.name in board and manager.team.name not in board
