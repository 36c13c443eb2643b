from __future__ import annotations

from datetime import timedelta
from html import unescape

import httpx

from league.accounts.models import Membership, Role
from league.clock import FrozenClock
from tests import factories
from tests.accounts.conftest import invite_link
from tests.conftest import ClientFactory

FORM = {"name": "Jo Newcomer", "email": "jo@example.com", "password": "fresh-password"}


async def test_it_shows_who_is_inviting(client: httpx.AsyncClient, rep_invite: str) -> None:
    response = await client.get(rep_invite)
    assert response.status_code == 200
    assert "Join Mid-Market" in response.text
    assert "Brightwave invited you as a rep" in response.text


async def test_it_creates_the_member_and_signs_them_in(
    client: httpx.AsyncClient, rep_invite: str, manager: Membership
) -> None:
    response = await client.post(rep_invite, data=FORM)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    joined = await Membership.get(user__email="jo@example.com").select_related("user")
    assert joined.user.name == "Jo Newcomer"
    assert joined.user.password_hash.startswith("$argon2")
    today = await client.get("/")
    assert today.status_code == 200


async def test_the_new_member_can_sign_in_with_their_password(
    client: httpx.AsyncClient, make_client: ClientFactory, rep_invite: str
) -> None:
    await client.post(rep_invite, data=FORM)
    other = await make_client(None)
    response = await other.post(
        "/signin", data={"email": FORM["email"], "password": FORM["password"]}
    )
    assert response.status_code == 303


async def test_it_binds_the_member_to_the_invitations_team_and_role(
    client: httpx.AsyncClient, admin: Membership, clock: FrozenClock
) -> None:
    enterprise = await factories.make_team(admin.organisation, "Enterprise")
    admin.team = enterprise  # invite_link invites to the inviter's team
    link = await invite_link(admin, clock.now(), Role.MANAGER)
    # Whatever the form adds, the link decides the team and the role.
    await client.post(link, data={**FORM, "role": "admin", "team_id": "999"})
    joined = await Membership.get(user__email="jo@example.com")
    assert joined.team_id == enterprise.id  # type: ignore[attr-defined]
    assert joined.organisation_id == admin.organisation.id  # type: ignore[attr-defined]
    assert joined.role == Role.MANAGER


async def test_a_used_link_cannot_be_used_again(
    client: httpx.AsyncClient, make_client: ClientFactory, rep_invite: str
) -> None:
    await client.post(rep_invite, data=FORM)
    second = await make_client(None)
    page = await second.get(rep_invite)
    assert page.status_code == 410
    assert "already been used" in page.text
    response = await second.post(rep_invite, data={**FORM, "email": "other@example.com"})
    assert response.status_code == 410
    assert not await Membership.exists(user__email="other@example.com")


async def test_an_expired_link_is_refused(
    client: httpx.AsyncClient, rep_invite: str, clock: FrozenClock
) -> None:
    clock.advance(timedelta(days=7, seconds=1))
    response = await client.get(rep_invite)
    assert response.status_code == 410
    assert "expired" in response.text
    posted = await client.post(rep_invite, data=FORM)
    assert posted.status_code == 410
    assert not await Membership.exists(user__email="jo@example.com")


async def test_a_link_still_works_on_its_last_day(
    client: httpx.AsyncClient, rep_invite: str, clock: FrozenClock
) -> None:
    clock.advance(timedelta(days=6, hours=23))
    response = await client.post(rep_invite, data=FORM)
    assert response.status_code == 303


async def test_an_unknown_link_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/join/not-a-real-token")
    assert response.status_code == 404


async def test_it_keeps_typed_values_on_a_short_password(
    client: httpx.AsyncClient, rep_invite: str
) -> None:
    response = await client.post(rep_invite, data={**FORM, "password": "short"})
    assert response.status_code == 422
    text = unescape(response.text)
    assert 'value="Jo Newcomer"' in text and 'value="jo@example.com"' in text
    # The link is still unused, so the person can correct the password and join.
    retry = await client.post(rep_invite, data=FORM)
    assert retry.status_code == 303


async def test_it_refuses_an_email_that_already_has_an_account(
    client: httpx.AsyncClient, rep_invite: str, rep: Membership
) -> None:
    response = await client.post(rep_invite, data={**FORM, "email": rep.user.email})
    assert response.status_code == 422
    assert "already exists" in unescape(response.text)
    # Nothing was claimed: the link still works for a free address.
    assert (await client.post(rep_invite, data=FORM)).status_code == 303


async def test_it_holds_an_emailed_invitation_to_that_address(
    client: httpx.AsyncClient, manager: Membership, clock: FrozenClock
) -> None:
    link = await invite_link(manager, clock.now(), email="chosen@example.com")
    page = await client.get(link)
    assert 'value="chosen@example.com"' in page.text and "readonly" in page.text
    response = await client.post(link, data=FORM)
    assert response.status_code == 422
    assert "This invitation is for chosen@example.com" in unescape(response.text)
    ok = await client.post(link, data={**FORM, "email": "Chosen@Example.com"})
    assert ok.status_code == 303


async def test_it_rejects_wrong_method(client: httpx.AsyncClient, rep_invite: str) -> None:
    response = await client.delete(rep_invite)
    assert response.status_code == 405
