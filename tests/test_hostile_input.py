"""No input gives a 500: every route of the route table, with junk in every place.

Paths get ids no row can have, query strings and forms get numbers in other scripts, huge
numbers, control characters and over-long text in every field name the templates use,
JSON bodies get lone surrogates, and clips get broken Range headers. Each answer must be
a 4xx (or a success), never a server error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from league.web.templating import TEMPLATES_DIR
from tests.conftest import ClientFactory
from tests.test_route_access import (
    HTTP_ENDPOINTS,
    PUBLIC,
    SCREEN,
    Endpoint,
    World,
    build_world,
    url_of,
)

HUGE = "9" * 5000
JUNK_VALUES = [
    HUGE,
    "99999999999999999999",
    "-1",
    "١٢",  # Arabic-Indic digits: str.isdigit() says yes
    "²",  # a superscript: isdigit() says yes, int() says no
    "1e309",
    "/\r\nLocation: https://evil.example",
    "\x00\x01\x1b[31m",
    "x" * 20_000,
    "nan",
]
EXTRA_FIELDS = ["password", "current_password", "new_password", "confirm_password", "score"]
SURROGATE_JSON = (
    b'{"endpoint": "https://push.example.com/\\ud800", "keys": {"p256dh": "\\udfff", "auth": "a"}}'
)
RANGE_HEADERS = ["bytes=²-", "bytes=١-٢", f"bytes=0-{HUGE}", f"bytes=-{HUGE}", "bytes=--", "bytes"]


@pytest.fixture
async def world(app: Starlette) -> World:
    return await build_world(app)


def template_field_names() -> list[str]:
    names = set(EXTRA_FIELDS)
    for template in Path(TEMPLATES_DIR).rglob("*.html"):
        names |= set(re.findall(r'name="([a-z_]+)"', template.read_text()))
    return sorted(names - {"csrf_token", "viewport"})


FIELDS = template_field_names()


def rotated(fields: list[str], turn: int) -> dict[str, str]:
    """Each field a different junk value; over len(JUNK_VALUES) turns, every field gets each."""
    return {
        field: JUNK_VALUES[(index + turn) % len(JUNK_VALUES)] for index, field in enumerate(fields)
    }


def junk_forms() -> Iterator[dict[str, str]]:
    for turn in range(len(JUNK_VALUES)):
        yield rotated(FIELDS, turn)


QUERY_FIELDS = ["next", "show", "period", "imported", "code", "kind", "views", "format"]


def junk_queries() -> Iterator[dict[str, str]]:
    for turn in range(len(JUNK_VALUES)):
        yield {key: value[: len(HUGE)] for key, value in rotated(QUERY_FIELDS, turn).items()}


def answered_sanely(endpoint: Endpoint, what: str, response: httpx.Response) -> str | None:
    if response.status_code >= 500:
        return f"{endpoint} with {what}: {response.status_code}"
    location = response.headers.get("location", "") + response.headers.get("hx-redirect", "")
    if any(ord(char) < 0x20 for char in location):
        return f"{endpoint} with {what}: a control character in the redirect {location!r}"
    return None


async def client_for(
    endpoint: Endpoint, world: World, make_client: ClientFactory
) -> httpx.AsyncClient:
    signed_in = None if endpoint.kind in (PUBLIC, SCREEN) else world.actor(endpoint.name)
    return await make_client(signed_in)


@pytest.mark.parametrize(
    "endpoint", [e for e in HTTP_ENDPOINTS if "{" in e.path and ":int" in e.path], ids=str
)
async def test_ids_no_row_can_have_are_404(
    world: World, make_client: ClientFactory, endpoint: Endpoint
) -> None:
    client = await client_for(endpoint, world, make_client)
    for number in (HUGE, "99999999999999999999", "2147483648"):
        url = re.sub(r"\{[a-z_]+:int\}", number, endpoint.path)
        url = url_of(Endpoint(endpoint.name, endpoint.method, url), world)
        response = await client.request(endpoint.method, url)
        assert response.status_code == 404, (url[:80], response.status_code)


async def test_every_route_survives_junk(world: World, make_client: ClientFactory) -> None:
    problems = []
    for endpoint in HTTP_ENDPOINTS:
        client = await client_for(endpoint, world, make_client)
        url = url_of(endpoint, world)
        for query in junk_queries():
            response = await client.request(endpoint.method, url, params=query)
            problems.append(answered_sanely(endpoint, f"query {query}"[:80], response))
        if endpoint.is_write:
            for turn, form in enumerate(junk_forms()):
                for headers in ({}, {"HX-Request": "true"})[: 2 if turn == 0 else 1]:
                    response = await client.request(
                        endpoint.method, url, data=form, headers=headers
                    )
                    problems.append(answered_sanely(endpoint, f"form {form}"[:80], response))
            surrogate = SURROGATE_JSON
            response = await client.request(
                endpoint.method,
                url,
                content=surrogate,
                headers={"Content-Type": "application/json"},
            )
            problems.append(answered_sanely(endpoint, "a lone surrogate in JSON", response))
        else:
            for header in RANGE_HEADERS:
                response = await client.request(
                    endpoint.method, url, headers={"Range": header.encode()}
                )
                problems.append(answered_sanely(endpoint, f"Range {header[:20]!r}", response))
    found = [problem for problem in problems if problem]
    assert not found, "\n".join(found)


async def test_json_routes_answer_json_errors(world: World, make_client: ClientFactory) -> None:
    client = await make_client(world.rep)
    surrogate = SURROGATE_JSON
    response = await client.post(
        "/push/subscriptions", content=surrogate, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]
