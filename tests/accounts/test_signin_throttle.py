"""Sign-in throttling: atomic under concurrent guesses, per address, and no lock-out by others."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.accounts.throttle import ADDRESS_FAILURES_BEFORE_LOCK, PAIR_FAILURES_BEFORE_LOCK
from league.web.csrf import CSRF_COOKIE
from tests.conftest import CSRF_TOKEN, take_new_csrf_token
from tests.factories import PASSWORD


def client_from(app: Starlette, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 40000)),
        base_url="http://testserver",
        headers={"X-CSRF-Token": CSRF_TOKEN},
        cookies={CSRF_COOKIE: CSRF_TOKEN},
    )


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> int:
    response = await client.post("/signin", data={"email": email, "password": password})
    take_new_csrf_token(client, response)
    return response.status_code


async def test_concurrent_guesses_get_no_more_tries_than_one_after_another(
    app: Starlette, rep: Membership
) -> None:
    async with client_from(app, "203.0.113.7") as attacker:
        guesses = [sign_in(attacker, rep.user.email, f"guess-{n}") for n in range(20)]
        statuses = await asyncio.gather(*guesses)
    assert statuses.count(400) == PAIR_FAILURES_BEFORE_LOCK
    assert statuses.count(429) == 20 - PAIR_FAILURES_BEFORE_LOCK


async def test_guessing_from_elsewhere_does_not_lock_the_owner_out(
    app: Starlette, rep: Membership
) -> None:
    async with client_from(app, "203.0.113.7") as attacker:
        for n in range(PAIR_FAILURES_BEFORE_LOCK + 3):
            await sign_in(attacker, rep.user.email, f"guess-{n}")
        assert await sign_in(attacker, rep.user.email, PASSWORD) == 429
    async with client_from(app, "198.51.100.20") as owner:
        assert await sign_in(owner, rep.user.email, PASSWORD) == 303


async def test_one_address_trying_many_accounts_is_locked(app: Starlette, rep: Membership) -> None:
    async with client_from(app, "203.0.113.9") as sprayer:
        for n in range(ADDRESS_FAILURES_BEFORE_LOCK):
            assert await sign_in(sprayer, f"person-{n}@example.com", "password1") == 400
        assert await sign_in(sprayer, rep.user.email, PASSWORD) == 429
    async with client_from(app, "198.51.100.20") as owner:
        assert await sign_in(owner, rep.user.email, PASSWORD) == 303


async def test_signing_in_does_not_use_up_the_addresss_allowance(
    app: Starlette, rep: Membership
) -> None:
    async with client_from(app, "192.0.2.50") as office:
        for _ in range(ADDRESS_FAILURES_BEFORE_LOCK + 5):
            assert await sign_in(office, rep.user.email, PASSWORD) == 303


async def test_an_over_long_email_is_a_plain_refusal(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/signin", data={"email": "a" * 5000 + "@example.com", "password": "whatever1"}
    )
    assert response.status_code == 400
