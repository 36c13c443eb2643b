from __future__ import annotations

import httpx

from league.accounts.models import Membership, Role
from tests import factories


async def test_it_lists_the_team(
    rep_client: httpx.AsyncClient, rep: Membership, teammate: Membership, manager: Membership
) -> None:
    response = await rep_client.get("/team")
    assert response.status_code == 200
    for person in (rep, teammate, manager):
        assert person.user.name in response.text
    assert "3 active members" in response.text


async def test_it_gives_reps_no_member_controls(
    rep_client: httpx.AsyncClient, teammate: Membership
) -> None:
    response = await rep_client.get("/team")
    assert "Deactivate" not in response.text
    assert "Invite people" not in response.text


async def test_it_gives_coaches_controls_for_others_only(
    manager_client: httpx.AsyncClient, manager: Membership, rep: Membership
) -> None:
    response = await manager_client.get("/team")
    assert f'id="role-{rep.id}"' in response.text
    assert f'id="role-{manager.id}"' not in response.text
    assert "Invite people" in response.text


async def test_it_gives_managers_no_controls_over_admins(
    manager_client: httpx.AsyncClient, admin: Membership
) -> None:
    response = await manager_client.get("/team")
    assert admin.user.name in response.text
    assert f'id="role-{admin.id}"' not in response.text


async def test_it_shows_deactivated_members_last(
    manager_client: httpx.AsyncClient, team: object, rep: Membership
) -> None:
    gone = await factories.make_member(rep.team, Role.REP, name="Aaron Away", is_active=False)
    response = await manager_client.get("/team")
    assert response.text.index(rep.user.name) < response.text.index(gone.user.name)
    assert "deactivated" in response.text


async def test_it_shows_admins_every_team(
    admin_client: httpx.AsyncClient, admin: Membership
) -> None:
    enterprise = await factories.make_team(admin.organisation, "Enterprise")
    await factories.make_member(enterprise, Role.REP, name="Eve Enterprise")
    response = await admin_client.get("/team")
    assert "Eve Enterprise" in response.text
    assert "Enterprise" in response.text


async def test_it_shows_a_manager_only_their_team(
    manager_client: httpx.AsyncClient, manager: Membership
) -> None:
    enterprise = await factories.make_team(manager.organisation, "Enterprise")
    await factories.make_member(enterprise, Role.REP, name="Eve Enterprise")
    response = await manager_client.get("/team")
    assert "Eve Enterprise" not in response.text


async def test_it_never_shows_another_organisation(
    manager_client: httpx.AsyncClient, outsider: Membership
) -> None:
    response = await manager_client.get("/team")
    assert outsider.user.name not in response.text


async def test_it_redirects_when_signed_out(client: httpx.AsyncClient) -> None:
    response = await client.get("/team")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fteam"


async def test_it_rejects_wrong_method(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.post("/team")
    assert response.status_code == 405
