from __future__ import annotations

import httpx

from league.accounts.access import SESSION_COOKIE
from league.accounts.models import Membership, Session
from tests.conftest import ClientFactory, take_new_csrf_token
from tests.factories import PASSWORD


async def sign_in(client: httpx.AsyncClient, member: Membership) -> str:
    response = await client.post("/signin", data={"email": member.user.email, "password": PASSWORD})
    assert response.status_code == 303
    take_new_csrf_token(client, response)
    return str(client.cookies[SESSION_COOKIE])


async def test_it_signs_out_and_ends_the_session_on_the_server(
    client: httpx.AsyncClient, make_client: ClientFactory, rep: Membership
) -> None:
    old_cookie = await sign_in(client, rep)
    assert await Session.filter(membership=rep).count() == 1

    response = await client.post("/signout")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"
    assert await Session.filter(membership=rep).count() == 0

    # Someone who kept a copy of the old cookie gets nothing.
    thief = await make_client(None)
    thief.cookies.set(SESSION_COOKIE, old_cookie)
    again = await thief.get("/")
    assert again.status_code == 303
    assert again.headers["location"].startswith("/signin")


async def test_it_clears_the_cookie(client: httpx.AsyncClient, rep: Membership) -> None:
    await sign_in(client, rep)
    response = await client.post("/signout")
    assert f'{SESSION_COOKIE}="";' in response.headers["set-cookie"]


async def test_it_leaves_other_browsers_signed_in(
    make_client: ClientFactory, rep: Membership
) -> None:
    phone = await make_client(rep)
    laptop = await make_client(rep)
    await phone.post("/signout")
    assert (await laptop.get("/")).status_code == 200


async def test_it_redirects_htmx_with_a_header(make_client: ClientFactory, rep: Membership) -> None:
    client = await make_client(rep)
    response = await client.post("/signout", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/signin"


async def test_it_is_harmless_when_signed_out(client: httpx.AsyncClient) -> None:
    response = await client.post("/signout")
    assert response.status_code == 303


async def test_it_rejects_get(make_client: ClientFactory, rep: Membership) -> None:
    client = await make_client(rep)
    response = await client.get("/signout")
    assert response.status_code == 405
    assert (await client.get("/")).status_code == 200
