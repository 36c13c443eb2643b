from __future__ import annotations

import httpx

from league.accounts import service
from league.accounts.models import Invitation, Membership
from league.clock import FrozenClock


async def make_invitation(inviter: Membership, clock: FrozenClock) -> service.NewInvitation:
    return await service.create_invitation(
        inviter, inviter.team, service.Role.REP, "sam@example.com", clock.now()
    )


def revoke_url(new: service.NewInvitation) -> str:
    return f"/team/invitations/{new.invitation.id}/revoke"


async def test_it_revokes_an_open_invitation(
    manager_client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    new = await make_invitation(manager, clock)
    response = await manager_client.post(revoke_url(new), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "sam@example.com" not in response.text
    invitation = await Invitation.get(id=new.invitation.id)
    assert invitation.revoked_at == clock.now()


async def test_a_revoked_link_no_longer_works(
    manager_client: httpx.AsyncClient,
    client: httpx.AsyncClient,
    manager: Membership,
    clock: FrozenClock,
) -> None:
    new = await make_invitation(manager, clock)
    await manager_client.post(revoke_url(new))
    response = await client.get(f"/join/{new.token}")
    assert response.status_code == 404
    assert "new one" in response.text


async def test_it_shows_the_page_to_a_plain_form(
    manager_client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    new = await make_invitation(manager, clock)
    response = await manager_client.post(revoke_url(new))
    assert response.status_code == 200
    assert "<html" in response.text


async def test_it_hides_another_organisations_invitation(
    manager_client: httpx.AsyncClient, outsider: Membership, clock: FrozenClock
) -> None:
    theirs = await make_invitation(outsider, clock)
    response = await manager_client.post(revoke_url(theirs))
    assert response.status_code == 404
    invitation = await Invitation.get(id=theirs.invitation.id)
    assert invitation.revoked_at is None


async def test_it_refuses_reps(
    rep_client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    new = await make_invitation(manager, clock)
    response = await rep_client.post(revoke_url(new))
    assert response.status_code == 403


async def test_it_redirects_when_signed_out(
    client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    new = await make_invitation(manager, clock)
    response = await client.post(revoke_url(new))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_rejects_get(
    manager_client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    new = await make_invitation(manager, clock)
    response = await manager_client.get(revoke_url(new))
    assert response.status_code == 405
