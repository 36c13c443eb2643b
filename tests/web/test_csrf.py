from __future__ import annotations

import re

import httpx

from league.accounts.models import Membership
from league.web.csrf import CSRF_COOKIE
from tests.factories import PASSWORD

MESSAGE = "This form expired or came from another site. Reload the page and try again."


async def fetch_token(client: httpx.AsyncClient) -> str:
    """Load a page the way a browser does and read the token it was given."""
    page = await client.get("/signin")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def sign_in_form(member: Membership) -> dict[str, str]:
    return {"email": member.user.email, "password": PASSWORD}


async def test_it_gives_each_browser_a_token_cookie(bare_client: httpx.AsyncClient) -> None:
    page = await bare_client.get("/signin")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = bare_client.cookies[CSRF_COOKIE]
    assert f'<meta name="csrf-token" content="{token}">' in page.text
    assert f'name="csrf_token" value="{token}"' in page.text


async def test_it_keeps_the_same_token_across_pages(bare_client: httpx.AsyncClient) -> None:
    first = await fetch_token(bare_client)
    second = await bare_client.get("/signup")
    assert "set-cookie" not in second.headers
    assert f'value="{first}"' in second.text


async def test_it_accepts_the_token_in_a_form_field(
    bare_client: httpx.AsyncClient, rep: Membership
) -> None:
    token = await fetch_token(bare_client)
    response = await bare_client.post("/signin", data={**sign_in_form(rep), "csrf_token": token})
    assert response.status_code == 303


async def test_it_accepts_the_token_in_the_htmx_header(
    bare_client: httpx.AsyncClient, rep: Membership
) -> None:
    token = await fetch_token(bare_client)
    response = await bare_client.post(
        "/signin",
        data=sign_in_form(rep),
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"


async def test_it_refuses_a_post_without_a_token(
    bare_client: httpx.AsyncClient, rep: Membership
) -> None:
    await fetch_token(bare_client)
    response = await bare_client.post("/signin", data=sign_in_form(rep))
    assert response.status_code == 403
    assert MESSAGE in response.text.replace("&#39;", "'")
    assert "league_session" not in response.headers.get("set-cookie", "")


async def test_it_refuses_a_wrong_token(bare_client: httpx.AsyncClient, rep: Membership) -> None:
    await fetch_token(bare_client)
    response = await bare_client.post("/signin", data={**sign_in_form(rep), "csrf_token": "x" * 43})
    assert response.status_code == 403
    header = await bare_client.post(
        "/signin", data=sign_in_form(rep), headers={"X-CSRF-Token": "y" * 43}
    )
    assert header.status_code == 403


async def test_it_refuses_a_token_without_the_cookie(
    bare_client: httpx.AsyncClient, rep: Membership
) -> None:
    token = await fetch_token(bare_client)
    bare_client.cookies.clear()
    response = await bare_client.post("/signin", data={**sign_in_form(rep), "csrf_token": token})
    assert response.status_code == 403


async def test_it_refuses_a_cookie_too_short_to_be_ours(
    bare_client: httpx.AsyncClient, rep: Membership
) -> None:
    bare_client.cookies.set(CSRF_COOKIE, "abc")
    response = await bare_client.post(
        "/signin", data=sign_in_form(rep), headers={"X-CSRF-Token": "abc"}
    )
    assert response.status_code == 403


async def test_it_refuses_a_non_ascii_token_without_crashing(
    bare_client: httpx.AsyncClient, rep: Membership
) -> None:
    await fetch_token(bare_client)
    response = await bare_client.post("/signin", data={**sign_in_form(rep), "csrf_token": "é" * 30})
    assert response.status_code == 403


async def test_it_needs_the_header_for_multipart_uploads(
    bare_client: httpx.AsyncClient, rep: Membership
) -> None:
    token = await fetch_token(bare_client)
    response = await bare_client.post(
        "/signin",
        data={**sign_in_form(rep), "csrf_token": token},
        files={"clip": ("clip.webm", b"\x1a\x45\xdf\xa3", "audio/webm")},
    )
    assert response.status_code == 403


async def test_it_shows_htmx_the_message_in_the_flash_area(
    bare_client: httpx.AsyncClient,
) -> None:
    await fetch_token(bare_client)
    response = await bare_client.post("/signout", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flash"
    assert 'role="alert"' in response.text
    assert "<html" not in response.text


async def test_it_lets_safe_methods_through_without_a_token(
    bare_client: httpx.AsyncClient,
) -> None:
    assert (await bare_client.get("/signin")).status_code == 200
    assert (await bare_client.head("/signin")).status_code == 200
