from __future__ import annotations

from typing import Any

import httpx

from league.accounts.models import Membership, Role

HTMX = {"HX-Request": "true"}


async def role_of(member: Membership) -> Role:
    return (await Membership.get(id=member.id)).role


async def change_role(
    client: httpx.AsyncClient, member: Membership, role: str, **kwargs: Any
) -> httpx.Response:
    return await client.post(f"/team/members/{member.id}/role", data={"role": role}, **kwargs)


async def test_it_promotes_a_rep_to_manager(
    manager_client: httpx.AsyncClient, rep: Membership
) -> None:
    response = await change_role(manager_client, rep, "manager", headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="member-row" id="member-{rep.id}"')
    assert '<option value="manager" selected>' in response.text
    assert await role_of(rep) == Role.MANAGER


async def test_it_redirects_a_plain_form_back_to_the_team(
    manager_client: httpx.AsyncClient, rep: Membership
) -> None:
    response = await change_role(manager_client, rep, "manager")
    assert response.status_code == 303
    assert response.headers["location"] == "/team"


async def test_only_an_admin_makes_an_admin(
    manager_client: httpx.AsyncClient, admin_client: httpx.AsyncClient, rep: Membership
) -> None:
    refused = await change_role(manager_client, rep, "admin", headers=HTMX)
    assert refused.status_code == 403
    assert refused.headers["HX-Retarget"] == "#flash"
    assert await role_of(rep) == Role.REP
    allowed = await change_role(admin_client, rep, "admin")
    assert allowed.status_code == 303
    assert await role_of(rep) == Role.ADMIN


async def test_a_manager_cannot_demote_an_admin(
    manager_client: httpx.AsyncClient, admin: Membership, rep: Membership
) -> None:
    response = await change_role(manager_client, admin, "rep")
    assert response.status_code == 403
    assert await role_of(admin) == Role.ADMIN


async def test_it_keeps_the_last_admin(admin_client: httpx.AsyncClient, admin: Membership) -> None:
    response = await change_role(admin_client, admin, "manager", headers=HTMX)
    assert response.status_code == 400
    assert "at least one active admin" in response.text
    assert await role_of(admin) == Role.ADMIN


async def test_an_admin_may_step_down_when_another_admin_remains(
    admin_client: httpx.AsyncClient, admin: Membership, rep: Membership
) -> None:
    await change_role(admin_client, rep, "admin")
    response = await change_role(admin_client, admin, "manager")
    assert response.status_code == 303
    assert await role_of(admin) == Role.MANAGER


async def test_it_refuses_an_unknown_role(
    manager_client: httpx.AsyncClient, rep: Membership
) -> None:
    response = await change_role(manager_client, rep, "boss")
    assert response.status_code == 400
    assert await role_of(rep) == Role.REP


async def test_it_refuses_reps(rep_client: httpx.AsyncClient, teammate: Membership) -> None:
    response = await change_role(rep_client, teammate, "manager")
    assert response.status_code == 403
    assert await role_of(teammate) == Role.REP


async def test_it_hides_another_organisations_member(
    admin_client: httpx.AsyncClient, outsider: Membership
) -> None:
    response = await change_role(admin_client, outsider, "rep")
    assert response.status_code == 404
    assert await role_of(outsider) == Role.MANAGER


async def test_it_redirects_when_signed_out(client: httpx.AsyncClient, rep: Membership) -> None:
    response = await change_role(client, rep, "manager")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


async def test_it_rejects_get(manager_client: httpx.AsyncClient, rep: Membership) -> None:
    response = await manager_client.get(f"/team/members/{rep.id}/role")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
