"""Every form and JSON input of the app, tried with what hypothesis makes up: each answer
is a success or a 4xx that carries a message, never a server error.

The routes come from the app's route table (tests/test_route_access.py): a new POST route
is tried here without a line added. Each one gets, signed in as the person allowed to use
it, urlencoded forms (any of the field names the templates use, with text, numbers in
any script, dates, times and other near-valid values, some repeated), JSON bodies of any
shape, and multipart forms with a file, with and without htmx's headers. tests/
test_hostile_input.py sends fixed junk to every route; this finds the inputs nobody
thought of.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from tests.conftest import ClientFactory
from tests.test_hostile_input import FIELDS, client_for
from tests.test_route_access import HTTP_ENDPOINTS, REPORT, Endpoint, World, build_world, url_of

EXAMPLES_PER_ROUTE = 10
WRITES = [e for e in HTTP_ENDPOINTS if e.is_write and e.kind != REPORT]

NEAR_VALID = st.sampled_from(
    ["", "0", "1", "3", "5", "-1", "on", "true", "rep", "manager", "admin", "markdown",
     "2026-03-02", "2026-02-30", "08:00", "24:61", "a@b.test", "Europe/London", "Mars/Base"]
)  # fmt: skip
VALUE = st.one_of(
    NEAR_VALID,
    st.text(max_size=80),
    st.integers(-(10**20), 10**20).map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
FORM = st.dictionaries(st.sampled_from(FIELDS), st.one_of(VALUE, st.lists(VALUE, max_size=3)))
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
JSON_BODY = st.one_of(
    st.dictionaries(
        st.sampled_from(["endpoint", "keys", "p256dh", "auth", "order", "ids", *FIELDS[:20]]),
        JSON_VALUE,
    ),
    JSON_VALUE,
)
FILE = st.tuples(st.text(max_size=30), st.binary(max_size=300), st.sampled_from(
    ["text/csv", "text/markdown", "application/x-yaml", "application/octet-stream", ""]
))  # fmt: skip


@st.composite
def request_body(draw: st.DrawFn) -> dict[str, Any]:
    """httpx keyword arguments for one request body, of one of three kinds."""
    kind = draw(st.sampled_from(["form", "json", "multipart"]))
    headers = {"HX-Request": "true"} if draw(st.booleans()) else {}
    if kind == "form":
        return {"data": draw(FORM), "headers": headers}
    if kind == "json":
        body = json.dumps(draw(JSON_BODY)).encode()
        return {"content": body, "headers": {**headers, "Content-Type": "application/json"}}
    data = {name: str(value) for name, value in draw(FORM).items()}
    name = draw(st.sampled_from(["file", "upload", "playbook", "metrics", "csv"]))
    return {"data": data, "files": {name: draw(FILE)}, "headers": headers}


ERROR_PAGE = re.compile(r'class="card error-page">.*?</h1>\s*<p>([^<]+)</p>', re.S)
ALERT = re.compile(r'role="alert">\s*<p>([^<]+)</p>', re.S)


def message_of(response: httpx.Response) -> str:
    """The message a 4xx shows the person: JSON's "error", an error page or an alert."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return str(response.json().get("error") or "")
    found = ERROR_PAGE.search(response.text) or ALERT.search(response.text)
    return found.group(1).strip() if found else ""


async def world_of(app: Starlette) -> World:
    """One world per test (hypothesis runs every example on the same app)."""
    if not hasattr(app.state, "input_world"):
        app.state.input_world = await build_world(app)
    world: World = app.state.input_world
    return world


@pytest.mark.parametrize("endpoint", WRITES, ids=str)
@settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=request_body())
async def test_any_input_gets_a_success_or_a_4xx_with_a_message(
    app: Starlette, make_client: ClientFactory, endpoint: Endpoint, body: dict[str, Any]
) -> None:
    world = await world_of(app)
    client = await client_for(endpoint, world, make_client)
    response = await client.request(endpoint.method, url_of(endpoint, world), **body)
    assert response.status_code < 500, (body, response.text[:300])
    if response.status_code >= 400:
        assert message_of(response), (body, response.status_code, response.text[:300])
