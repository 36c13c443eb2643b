from __future__ import annotations

import httpx

from league.accounts.models import Membership, Role
from league.clock import FrozenClock
from tests import factories
from tests.accounts.conftest import invite_link


async def test_it_shows_the_invite_form_and_open_invitations(
    manager_client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    await invite_link(manager, clock.now(), email="newbie@example.com")
    response = await manager_client.get("/team/invitations")
    assert response.status_code == 200
    assert "Create invite link" in response.text
    assert "newbie@example.com" in response.text
    assert "Revoke" in response.text


async def test_it_offers_the_admin_role_only_to_admins(
    manager_client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    assert 'value="admin"' not in (await manager_client.get("/team/invitations")).text
    assert 'value="admin"' in (await admin_client.get("/team/invitations")).text


async def test_it_hides_another_organisations_invitations(
    manager_client: httpx.AsyncClient, outsider: Membership, clock: FrozenClock
) -> None:
    await invite_link(outsider, clock.now(), email="rival-hire@example.com")
    response = await manager_client.get("/team/invitations")
    assert "rival-hire@example.com" not in response.text


async def test_it_refuses_reps(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.get("/team/invitations")
    assert response.status_code == 403
    assert "for managers and admins" in response.text


async def test_it_redirects_when_signed_out(client: httpx.AsyncClient) -> None:
    response = await client.get("/team/invitations")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fteam%2Finvitations"


async def test_it_rejects_wrong_method(manager_client: httpx.AsyncClient) -> None:
    response = await manager_client.put("/team/invitations")
    assert response.status_code == 405


async def test_a_manager_sees_only_their_own_teams_invitations(
    manager_client: httpx.AsyncClient,
    admin_client: httpx.AsyncClient,
    manager: Membership,
    clock: FrozenClock,
) -> None:
    other_team = await factories.make_team(manager.organisation, "Enterprise")  # type: ignore[arg-type]
    other_manager = await factories.make_member(other_team, Role.MANAGER)
    await invite_link(other_manager, clock.now(), email="enterprise-hire@example.com")
    page = (await manager_client.get("/team/invitations")).text
    assert "enterprise-hire@example.com" not in page
    assert "Enterprise" not in page  # nor offers that team to invite into
    assert "enterprise-hire@example.com" in (await admin_client.get("/team/invitations")).text
