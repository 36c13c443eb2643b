from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership
from tests.conftest import ClientFactory

PATHS = ["/signin", "/", "/healthz", "/no-such-page", "/static/css/app.css", "/team"]


def script_sources(policy: str) -> str:
    for directive in policy.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name == "script-src":
            return value
    raise AssertionError("no script-src in the policy")


@pytest.mark.parametrize("path", PATHS)
async def test_every_response_carries_the_security_headers(
    make_client: ClientFactory, rep: Membership, path: str
) -> None:
    for client in (await make_client(None), await make_client(rep)):
        response = await client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "default-src 'self'" in policy
        assert script_sources(policy) == "'self'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


async def test_error_responses_carry_them_too(make_client: ClientFactory) -> None:
    client = await make_client(None)
    response = await client.delete("/signin")
    assert response.status_code == 405
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


async def test_pages_have_no_inline_scripts_or_styles(
    make_client: ClientFactory, manager: Membership
) -> None:
    client = await make_client(manager)
    for path in ("/signin", "/signup", "/", "/team", "/team/invitations", "/me", "/me/password"):
        html = (await client.get(path)).text
        assert "<script>" not in html and "<style" not in html, path
        assert " style=" not in html and " onclick=" not in html, path


async def test_https_responses_tell_browsers_to_stay_on_https(app: Starlette) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://league.example"
    ) as secure:
        assert "max-age=" in (await secure.get("/signin")).headers["Strict-Transport-Security"]


async def test_plain_http_responses_do_not_claim_https(client: httpx.AsyncClient) -> None:
    assert "Strict-Transport-Security" not in (await client.get("/signin")).headers


async def test_scripts_may_connect_only_to_this_origin(client: httpx.AsyncClient) -> None:
    policy = (await client.get("/signin")).headers["Content-Security-Policy"]
    [connect] = [d.strip() for d in policy.split(";") if d.strip().startswith("connect-src")]
    assert connect == "connect-src 'self' ws://testserver wss://testserver"


async def test_a_strange_host_header_leaves_only_self(client: httpx.AsyncClient) -> None:
    response = await client.get("/signin", headers={"Host": "evil.example; script-src *"})
    policy = response.headers["Content-Security-Policy"]
    assert "connect-src 'self';" in policy and "script-src *" not in policy
