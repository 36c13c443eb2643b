from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import httpx

from league.accounts.models import Invitation, Membership, Role
from league.accounts.service import INVITATION_DAYS, token_hash
from league.clock import FrozenClock
from tests import factories

LINK = re.compile(r'value="(http://testserver/join/[^"]+)"')


def find_link(html: str) -> str:
    match = LINK.search(html)
    assert match, "the response shows no invite link"
    return match.group(1)


async def test_it_creates_a_link_for_a_rep(
    manager_client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    response = await manager_client.post(
        "/team/invitations", data={"role": "rep"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text  # the fragment, not a whole page
    link = find_link(response.text)
    invitation = await Invitation.get(token_hash=token_hash(link.rsplit("/", 1)[1]))
    assert invitation.role == Role.REP
    assert invitation.team_id == manager.team.id  # type: ignore[attr-defined]
    assert invitation.expires_at == clock.now() + timedelta(days=INVITATION_DAYS)
    assert invitation.accepted_at is None


async def test_it_stores_only_a_hash_of_the_token(manager_client: httpx.AsyncClient) -> None:
    response = await manager_client.post("/team/invitations", data={"role": "rep"})
    token = find_link(response.text).rsplit("/", 1)[1]
    assert not await Invitation.exists(token_hash=token)
    assert await Invitation.exists(token_hash=token_hash(token))


async def test_it_shows_the_whole_page_to_a_plain_form(
    manager_client: httpx.AsyncClient,
) -> None:
    response = await manager_client.post("/team/invitations", data={"role": "manager"})
    assert response.status_code == 200
    assert "<html" in response.text
    assert "Invite link for a manager" in response.text


async def test_it_lets_an_admin_invite_an_admin(admin_client: httpx.AsyncClient) -> None:
    response = await admin_client.post("/team/invitations", data={"role": "admin"})
    assert response.status_code == 200
    assert await Invitation.filter(role=Role.ADMIN).count() == 1


async def test_it_refuses_a_manager_inviting_an_admin(
    manager_client: httpx.AsyncClient,
) -> None:
    response = await manager_client.post(
        "/team/invitations", data={"role": "admin"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert "Only an admin can invite another admin" in response.text
    assert response.headers["HX-Retarget"] == "#flash"
    assert not await Invitation.exists()


async def test_it_refuses_reps(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.post("/team/invitations", data={"role": "rep"})
    assert response.status_code == 403
    assert not await Invitation.exists()


async def test_it_binds_the_link_to_the_chosen_team(
    admin_client: httpx.AsyncClient, admin: Membership
) -> None:
    second = await factories.make_team(admin.organisation, "Enterprise")
    response = await admin_client.post(
        "/team/invitations", data={"role": "manager", "team_id": str(second.id)}
    )
    assert response.status_code == 200
    invitation = await Invitation.get()
    assert (invitation.team_id, invitation.role) == (second.id, Role.MANAGER)  # type: ignore[attr-defined]


async def test_it_hides_another_organisations_team(
    manager_client: httpx.AsyncClient, outsider: Membership
) -> None:
    response = await manager_client.post(
        "/team/invitations", data={"role": "rep", "team_id": str(outsider.team.id)}
    )
    assert response.status_code == 404
    assert not await Invitation.exists()


async def test_it_refuses_a_team_id_that_is_not_a_number(
    manager_client: httpx.AsyncClient,
) -> None:
    response = await manager_client.post(
        "/team/invitations", data={"role": "rep", "team_id": "first"}
    )
    assert response.status_code == 400
    assert "whole number" in response.text


async def test_it_refuses_an_unknown_role(manager_client: httpx.AsyncClient) -> None:
    response = await manager_client.post("/team/invitations", data={"role": "captain"})
    assert response.status_code == 400
    assert "Choose a role" in response.text


async def test_it_refuses_a_bad_email(manager_client: httpx.AsyncClient) -> None:
    response = await manager_client.post("/team/invitations", data={"role": "rep", "email": "nope"})
    assert response.status_code == 422
    assert "valid email" in unescape(response.text)


async def test_it_redirects_when_signed_out(client: httpx.AsyncClient) -> None:
    response = await client.post("/team/invitations", data={"role": "rep"})
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"
    assert not await Invitation.exists()
