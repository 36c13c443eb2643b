"""Open live sockets follow the session that opened them.

Signing out, changing the password, being deactivated or getting a new role closes that
member's sockets (the page then reloads: to the sign-in page, or with the new role), and
a socket never outlives its session's expiry.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership, Session
from league.accounts.service import token_hash
from league.live.hub import CLOSE_SIGNED_OUT
from tests import factories
from tests.conftest import SESSION_COOKIE, ClientFactory
from tests.live.conftest import (
    SocketClient,
    SocketClosed,
    SocketFactory,
    member_cookies,
    signed,
)


async def closed_with(socket: SocketClient) -> int | None:
    """The close code once the server closes the socket (None if it stays open)."""
    try:
        while True:
            await socket.receive_text(timeout=2.0)
    except SocketClosed as closed:
        return closed.code
    except TimeoutError:
        return None


async def open_watching(open_socket: SocketFactory, cookies: dict[str, str]) -> SocketClient:
    socket = await open_socket(cookies=cookies, path="/live?views=activity")
    assert 'id="live-activity"' in await socket.receive_text()  # the snapshot
    return socket


async def test_signing_out_closes_that_browsers_sockets_only(
    app: Starlette, rep: Membership, make_client: ClientFactory, open_socket: SocketFactory
) -> None:
    phone = await member_cookies(app, rep)
    laptop = await member_cookies(app, rep)
    on_phone = await open_watching(open_socket, phone)
    on_laptop = await open_watching(open_socket, laptop)
    client = await make_client(None)
    client.cookies.update(phone)
    assert (await client.post("/signout")).status_code == 303
    assert await closed_with(on_phone) == CLOSE_SIGNED_OUT
    assert await closed_with(on_laptop) is None


async def test_changing_the_password_closes_the_other_browsers_sockets(
    app: Starlette, rep: Membership, make_client: ClientFactory, open_socket: SocketFactory
) -> None:
    here = await make_client(rep)
    here_socket = await open_watching(open_socket, dict(here.cookies))
    elsewhere = await open_watching(open_socket, await member_cookies(app, rep))
    form = {
        "current_password": factories.PASSWORD,
        "new_password": "a-new-long-password",
        "confirm_password": "a-new-long-password",
    }
    assert (await here.post("/me/password", data=form)).status_code == 200
    assert await closed_with(elsewhere) == CLOSE_SIGNED_OUT
    assert await closed_with(here_socket) is None


@pytest.mark.parametrize(
    ("path", "form"),
    [("active", {"active": "false"}), ("role", {"role": "manager"})],
)
async def test_deactivation_and_role_change_close_the_members_sockets(
    app: Starlette,
    rep: Membership,
    teammate: Membership,
    manager: Membership,
    make_client: ClientFactory,
    open_socket: SocketFactory,
    path: str,
    form: dict[str, str],
) -> None:
    reps_socket = await open_watching(open_socket, await member_cookies(app, rep))
    teammates_socket = await open_watching(open_socket, await member_cookies(app, teammate))
    coach = await make_client(manager)
    assert (await coach.post(f"/team/members/{rep.id}/{path}", data=form)).status_code == 303
    assert await closed_with(reps_socket) == CLOSE_SIGNED_OUT
    assert await closed_with(teammates_socket) is None


async def test_a_socket_closes_when_its_session_expires(
    app: Starlette, rep: Membership, open_socket: SocketFactory
) -> None:
    cookies = await member_cookies(app, rep)
    token = signed_token(cookies)
    soon = app.state.clock.now() + timedelta(seconds=1)
    await Session.filter(token_hash=token_hash(token)).update(expires_at=soon)
    socket = await open_watching(open_socket, cookies)
    assert await closed_with(socket) == CLOSE_SIGNED_OUT


def signed_token(cookies: dict[str, str]) -> str:
    value = cookies[SESSION_COOKIE]
    token = value.rsplit(".", 1)[0]
    assert signed(token, "league.session") == value
    return token
