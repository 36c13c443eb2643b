"""The in-app notification list mirrors what was pushed."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.push.models import Notification
from league.seasons.models import Round
from tests.conftest import ClientFactory
from tests.push.conftest import open_round


async def test_it_lists_my_reminders_newest_first_and_marks_them_read(
    app: Starlette,
    make_client: ClientFactory,
    round_: Round,
    rep: Membership,
    teammate: Membership,
) -> None:
    await open_round(app, round_)
    client = await make_client(rep)

    response = await client.get("/notifications")

    assert response.status_code == 200
    assert "Round 1 is open" in response.text
    assert "New" in response.text
    assert await Notification.filter(member_id=rep.id, read_at=None).count() == 0
    assert await Notification.filter(member_id=teammate.id, read_at=None).count() == 1
    again = await client.get("/notifications")
    assert "badge-gold" not in again.text


async def test_it_shows_nothing_of_other_members(
    app: Starlette,
    make_client: ClientFactory,
    round_: Round,
    rep: Membership,
    outsider: Membership,
) -> None:
    await open_round(app, round_)
    response = await (await make_client(outsider)).get("/notifications")
    assert "Round 1 is open" not in response.text
    assert "Nothing yet" in response.text


async def test_it_needs_sign_in(client: httpx.AsyncClient) -> None:
    assert (await client.get("/notifications")).status_code == 303


async def test_it_rejects_post(make_client: ClientFactory, rep: Membership) -> None:
    assert (await (await make_client(rep)).post("/notifications")).status_code == 405


async def test_the_top_bar_links_to_the_list(make_client: ClientFactory, rep: Membership) -> None:
    response = await (await make_client(rep)).get("/notifications", headers={"HX-Request": "true"})
    assert 'href="/notifications"' in response.text
