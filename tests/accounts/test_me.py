from __future__ import annotations

import httpx

from league.accounts.models import Membership


async def test_it_shows_who_is_signed_in(rep_client: httpx.AsyncClient, rep: Membership) -> None:
    response = await rep_client.get("/me")
    assert response.status_code == 200
    assert rep.user.name in response.text
    assert rep.user.email in response.text
    assert "Sign out" in response.text
    assert 'aria-current="page"' in response.text


async def test_it_redirects_when_signed_out(client: httpx.AsyncClient) -> None:
    response = await client.get("/me")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fme"


async def test_it_redirects_htmx_with_a_header(client: httpx.AsyncClient) -> None:
    response = await client.get("/me", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/signin?next=%2Fme"


async def test_it_rejects_wrong_method(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.post("/me")
    assert response.status_code == 405
