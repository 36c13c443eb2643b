"""The "How scoring works" page shows the real weights, in friendly words."""

from __future__ import annotations

from dataclasses import replace

from starlette.applications import Starlette

from league.accounts.models import Membership
from league.settings import Settings
from tests.conftest import ClientFactory


async def test_it_explains_points_with_the_configured_weights(
    make_client: ClientFactory, rep: Membership, app: Starlette, settings: Settings
) -> None:
    app.state.settings = replace(settings, points_showing_up=12)
    response = await (await make_client(rep)).get("/scoring")
    assert response.status_code == 200
    assert "<strong>12</strong> for showing up" in response.text
    assert "newcomers can win this" in response.text
    for word in ("remedial", "underperform", "bottom"):
        assert word not in response.text.lower()


async def test_it_rejects_post(make_client: ClientFactory, rep: Membership) -> None:
    assert (await (await make_client(rep)).post("/scoring")).status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(make_client: ClientFactory) -> None:
    assert (await (await make_client(None)).get("/scoring")).status_code == 303


async def test_it_returns_a_fragment_to_htmx(make_client: ClientFactory, rep: Membership) -> None:
    response = await (await make_client(rep)).get("/scoring", headers={"HX-Request": "true"})
    assert "<html" not in response.text and "How scoring works" in response.text
