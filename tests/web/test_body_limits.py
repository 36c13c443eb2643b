"""Every request body has a cap, enforced before the body is read in full."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from league.accounts.models import Membership
from league.web.limits import FORM_MAX_BYTES, JSON_MAX_BYTES
from tests.conftest import ClientFactory


async def stream(total: int, piece: bytes = b"a" * 65536) -> AsyncIterator[bytes]:
    for _ in range(total // len(piece) + 1):
        yield piece


async def test_a_form_declaring_more_than_the_cap_is_refused_unread(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/signin",
        content=b"email=a",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(FORM_MAX_BYTES + 1),
        },
    )
    assert response.status_code == 413
    assert "too big" in response.text


async def test_a_streamed_form_past_the_cap_gets_413(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    response = await client.post(
        "/playbook/items/new",
        content=stream(2 * FORM_MAX_BYTES),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


async def test_a_multipart_upload_past_the_cap_gets_413(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    big = b"- item\n" * (FORM_MAX_BYTES // 7 + 10)
    response = await client.post(
        "/playbook/import", files={"file": ("playbook.md", big, "text/markdown")}
    )
    assert response.status_code == 413


async def test_json_is_small_and_answers_in_json(
    make_client: ClientFactory, rep: Membership
) -> None:
    client = await make_client(rep)
    response = await client.post(
        "/push/subscriptions",
        content=stream(2 * JSON_MAX_BYTES),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "limit" in response.json()["error"]


async def test_a_body_within_the_cap_still_works(client: httpx.AsyncClient) -> None:
    response = await client.post("/signin", data={"email": "x@example.com", "password": "p"})
    assert response.status_code == 400
