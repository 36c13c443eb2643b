from __future__ import annotations

import time

import httpx
from starlette.applications import Starlette

from league.accounts.access import SESSION_COOKIE
from league.accounts.models import Membership
from league.accounts.throttle import slowdown_steps
from league.settings import Settings
from league.web.csrf import CSRF_COOKIE
from tests.conftest import CSRF_TOKEN, ClientFactory
from tests.factories import PASSWORD


async def test_it_signs_in_and_shows_today(client: httpx.AsyncClient, rep: Membership) -> None:
    response = await client.post(
        "/signin", data={"email": rep.user.email, "password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    today = await client.get("/")
    assert today.status_code == 200
    assert "Today" in today.text


async def test_it_rejects_wrong_password_keeping_the_email(
    client: httpx.AsyncClient, rep: Membership
) -> None:
    response = await client.post("/signin", data={"email": rep.user.email, "password": "nope"})
    assert response.status_code == 400
    assert "don&#39;t match" in response.text
    assert rep.user.email in response.text


async def test_it_refuses_deactivated_member(client: httpx.AsyncClient, rep: Membership) -> None:
    rep.is_active = False
    await rep.save()
    response = await client.post("/signin", data={"email": rep.user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "deactivated" in response.text


async def test_it_locks_after_repeated_failures(client: httpx.AsyncClient, rep: Membership) -> None:
    statuses = []
    for _ in range(7):
        response = await client.post(
            "/signin", data={"email": rep.user.email, "password": "wrong-guess"}
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [400] * 5
    assert statuses[5:] == [429, 429]
    assert "Try again in 15 minutes" in response.text
    assert int(response.headers["Retry-After"]) > 0
    # Even the right password is refused while locked.
    right = await client.post("/signin", data={"email": rep.user.email, "password": PASSWORD})
    assert right.status_code == 429


async def test_it_unlocks_after_the_lock_expires(
    client: httpx.AsyncClient, rep: Membership, clock: object
) -> None:
    from datetime import timedelta

    from league.clock import FrozenClock

    assert isinstance(clock, FrozenClock)
    for _ in range(6):
        await client.post("/signin", data={"email": rep.user.email, "password": "wrong"})
    clock.advance(timedelta(minutes=16))
    response = await client.post("/signin", data={"email": rep.user.email, "password": PASSWORD})
    assert response.status_code == 303


async def test_it_slows_down_repeated_failures(
    client: httpx.AsyncClient, rep: Membership, settings: Settings
) -> None:
    object.__setattr__(settings, "signin_slowdown_seconds", 0.5)
    timings = []
    for _ in range(4):
        started = time.monotonic()
        await client.post("/signin", data={"email": rep.user.email, "password": "wrong"})
        timings.append(time.monotonic() - started)
    # Sleeps never end early, so these lower bounds hold even on a busy machine.
    assert timings[2] >= 0.5  # the 3rd failure waits one slowdown step
    assert timings[3] >= 1.0  # the 4th waits two


def test_a_typo_or_two_costs_no_wait() -> None:
    # Upper bounds on wall-clock time are unreliable on a shared machine: check the schedule.
    assert [slowdown_steps(failures) for failures in range(1, 6)] == [0, 0, 1, 2, 3]


async def test_it_ignores_offsite_next(client: httpx.AsyncClient, rep: Membership) -> None:
    response = await client.post(
        "/signin",
        data={"email": rep.user.email, "password": PASSWORD, "next": "//evil.example/x"},
    )
    assert response.headers["location"] == "/"


async def test_it_ignores_a_backslash_next(client: httpx.AsyncClient, rep: Membership) -> None:
    response = await client.post(
        "/signin",
        data={"email": rep.user.email, "password": PASSWORD, "next": "/\\evil.example"},
    )
    assert response.headers["location"] == "/"


async def test_it_returns_to_the_page_that_asked(
    client: httpx.AsyncClient, rep: Membership
) -> None:
    asked = await client.get("/team?tab=all")
    assert asked.headers["location"] == "/signin?next=%2Fteam%3Ftab%3Dall"
    form = await client.get(asked.headers["location"])
    assert 'name="next" value="/team?tab=all"' in form.text
    response = await client.post(
        "/signin", data={"email": rep.user.email, "password": PASSWORD, "next": "/team?tab=all"}
    )
    assert response.headers["location"] == "/team?tab=all"


async def test_it_treats_the_email_case_insensitively(
    client: httpx.AsyncClient, rep: Membership
) -> None:
    response = await client.post(
        "/signin", data={"email": f"  {rep.user.email.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 303


async def test_it_answers_an_unknown_email_like_a_wrong_password(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/signin", data={"email": "nobody@example.com", "password": "x"})
    assert response.status_code == 400
    assert "don&#39;t match" in response.text


async def test_it_rejects_wrong_method(client: httpx.AsyncClient) -> None:
    response = await client.delete("/signin")
    assert response.status_code == 405


async def test_it_marks_the_cookie_secure_over_https(app: Starlette, rep: Membership) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="https://testserver",
        headers={"X-CSRF-Token": CSRF_TOKEN},
        cookies={CSRF_COOKIE: CSRF_TOKEN},
    ) as client:
        response = await client.post(
            "/signin", data={"email": rep.user.email, "password": PASSWORD}
        )
    session_cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith(SESSION_COOKIE)
    )
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie


async def test_it_ignores_a_forged_session_cookie(
    make_client: ClientFactory, rep: Membership
) -> None:
    client = await make_client(None)
    client.cookies.set(SESSION_COOKIE, "a-made-up-token.with-a-made-up-signature")
    response = await client.get("/")
    assert response.status_code == 303


async def test_it_gives_a_new_csrf_token_at_sign_in(
    client: httpx.AsyncClient, rep: Membership
) -> None:
    before = client.cookies[CSRF_COOKIE]
    response = await client.post("/signin", data={"email": rep.user.email, "password": PASSWORD})
    assert response.status_code == 303
    after = response.cookies.get(CSRF_COOKIE)
    assert after and after != before
