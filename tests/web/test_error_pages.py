from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts.models import Membership
from tests.conftest import ClientFactory


async def test_it_shows_a_friendly_404_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text
    assert "find that page" in response.text
    assert 'href="/signin"' in response.text


async def test_it_keeps_the_tabs_for_a_signed_in_member(
    make_client: ClientFactory, rep: Membership
) -> None:
    client = await make_client(rep)
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert 'aria-label="Main"' in response.text
    assert "Back to today" in response.text


async def test_it_sends_htmx_a_fragment_for_the_flash_area(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#flash"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert response.text.lstrip().startswith('<div class="notice notice-error" role="alert">')


async def test_it_sends_a_boosted_navigation_the_whole_page(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/no-such-page", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert response.status_code == 404
    assert "HX-Retarget" not in response.headers
    assert "<html" in response.text


async def test_it_answers_a_wrong_method_with_405_and_allow(client: httpx.AsyncClient) -> None:
    response = await client.put("/signout")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "<h1>Not available</h1>" in response.text


async def test_it_sends_a_signed_out_visitor_to_sign_in_and_back(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/team")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fteam"


async def test_it_shows_a_friendly_403_page(make_client: ClientFactory, rep: Membership) -> None:
    client = await make_client(rep)
    response = await client.get("/team/invitations")
    assert response.status_code == 403
    assert "<h1>Not for this account</h1>" in response.text
    assert "for managers and admins" in response.text


async def test_it_hides_a_crash_behind_a_friendly_500_page(
    app: Starlette, make_client: ClientFactory, rep: Membership
) -> None:
    async def crash(request: Request) -> Response:
        raise RuntimeError("a bug in a handler")

    app.router.routes.append(Route("/crash", crash))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://testserver",
    ) as client:
        response = await client.get("/crash")
        htmx = await client.get("/crash", headers={"HX-Request": "true"})
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "RuntimeError" not in response.text and "Traceback" not in response.text
    assert htmx.status_code == 500
    assert htmx.headers["HX-Retarget"] == "#flash"
