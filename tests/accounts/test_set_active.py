from __future__ import annotations

from typing import Any

import httpx

from league.accounts.models import Membership, Role, Session
from tests import factories
from tests.conftest import ClientFactory
from tests.factories import PASSWORD

HTMX = {"HX-Request": "true"}


async def is_active(member: Membership) -> bool:
    return (await Membership.get(id=member.id)).is_active


async def set_active(
    client: httpx.AsyncClient, member: Membership, active: bool, **kwargs: Any
) -> httpx.Response:
    data = {"active": "true" if active else "false"}
    return await client.post(f"/team/members/{member.id}/active", data=data, **kwargs)


async def test_it_deactivates_a_member(manager_client: httpx.AsyncClient, rep: Membership) -> None:
    response = await set_active(manager_client, rep, False, headers=HTMX)
    assert response.status_code == 200
    assert "deactivated" in response.text
    assert "Reactivate" in response.text
    assert not await is_active(rep)


async def test_a_deactivated_member_is_signed_out_and_cannot_sign_in(
    manager_client: httpx.AsyncClient,
    make_client: ClientFactory,
    rep: Membership,
) -> None:
    reps_phone = await make_client(rep)
    assert (await reps_phone.get("/")).status_code == 200

    await set_active(manager_client, rep, False)

    assert await Session.filter(membership=rep).count() == 0
    assert (await reps_phone.get("/")).status_code == 303
    fresh = await make_client(None)
    response = await fresh.post("/signin", data={"email": rep.user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "deactivated" in response.text


async def test_a_deactivated_members_data_stays(
    manager_client: httpx.AsyncClient, rep: Membership
) -> None:
    await set_active(manager_client, rep, False)
    kept = await Membership.get(id=rep.id).select_related("user")
    assert kept.user.email == rep.user.email
    team = await manager_client.get("/team")
    assert rep.user.name in team.text


async def test_it_reactivates_a_member(
    manager_client: httpx.AsyncClient, client: httpx.AsyncClient, rep: Membership
) -> None:
    await set_active(manager_client, rep, False)
    response = await set_active(manager_client, rep, True, headers=HTMX)
    assert response.status_code == 200
    assert "Deactivate" in response.text
    assert await is_active(rep)
    signin = await client.post("/signin", data={"email": rep.user.email, "password": PASSWORD})
    assert signin.status_code == 303


async def test_nobody_deactivates_themselves(
    manager_client: httpx.AsyncClient, manager: Membership
) -> None:
    response = await set_active(manager_client, manager, False)
    assert response.status_code == 400
    assert await is_active(manager)


async def test_a_manager_cannot_deactivate_an_admin(
    manager_client: httpx.AsyncClient, admin: Membership
) -> None:
    response = await set_active(manager_client, admin, False)
    assert response.status_code == 403
    assert await is_active(admin)


async def test_an_admin_may_deactivate_another_admin_but_one_admin_always_remains(
    admin: Membership, make_client: ClientFactory
) -> None:
    second = await factories.make_member(admin.team, Role.ADMIN, name="Second Admin")
    second_client = await make_client(second)
    response = await set_active(second_client, admin, False)
    assert response.status_code == 303
    assert not await is_active(admin)
    # `second` is now the only active admin: they cannot give the role away.
    demote = await second_client.post(f"/team/members/{second.id}/role", data={"role": "rep"})
    assert demote.status_code == 400
    assert "at least one active admin" in demote.text


async def test_it_refuses_reps(rep_client: httpx.AsyncClient, teammate: Membership) -> None:
    response = await set_active(rep_client, teammate, False)
    assert response.status_code == 403
    assert await is_active(teammate)


async def test_it_hides_another_organisations_member(
    manager_client: httpx.AsyncClient, outsider: Membership
) -> None:
    response = await set_active(manager_client, outsider, False)
    assert response.status_code == 404
    assert await is_active(outsider)


async def test_it_redirects_when_signed_out(client: httpx.AsyncClient, rep: Membership) -> None:
    response = await set_active(client, rep, False)
    assert response.status_code == 303
    assert await is_active(rep)


async def test_it_rejects_get(manager_client: httpx.AsyncClient, rep: Membership) -> None:
    response = await manager_client.get(f"/team/members/{rep.id}/active")
    assert response.status_code == 405
