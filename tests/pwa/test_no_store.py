"""Pages are never kept in the browser's cache, so none outlives a sign-out."""

from __future__ import annotations

import httpx

from league.accounts.models import Membership
from tests.conftest import ClientFactory


async def test_a_members_pages_and_fragments_are_never_stored(
    make_client: ClientFactory, rep: Membership
) -> None:
    client = await make_client(rep)
    for path in ("/me", "/notifications", "/me/reminders"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store", path
    fragment = await client.get("/me/reminders", headers={"HX-Request": "true"})
    assert fragment.headers["cache-control"] == "no-store"


async def test_the_sign_in_page_is_never_stored(client: httpx.AsyncClient) -> None:
    response = await client.get("/signin")
    assert response.headers["cache-control"] == "no-store"


async def test_it_leaves_a_handlers_own_choice_and_other_files_alone(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/offline")).headers["cache-control"] == "no-cache"
    assert (await client.get("/sw.js")).headers["cache-control"] == "no-cache"
    stylesheet = await client.get("/static/css/app.css")
    assert "no-store" not in stylesheet.headers.get("cache-control", "")
