"""Password reset without email: a one-time link an admin or manager makes for a member."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from html import unescape

import httpx

from league.accounts.models import Membership, PasswordReset, Role, Session, User
from league.accounts.passwords import verify_password
from league.clock import FrozenClock
from tests import factories
from tests.conftest import ClientFactory
from tests.factories import PASSWORD

NEW = "a-fresh-practice-password"


def new_password(new: str = NEW, confirm: str = NEW) -> dict[str, str]:
    return {"new_password": new, "confirm_password": confirm}


async def make_link(client: httpx.AsyncClient, member: Membership) -> str:
    response = await client.post(f"/team/members/{member.id}/reset-link")
    assert response.status_code == 200, response.text
    found = re.search(r'value="https?://[^/"]+(/reset/[^"]+)"', response.text)
    assert found, "the link is shown once on the page"
    return unescape(found.group(1))


async def test_a_manager_makes_a_link_and_the_rep_sets_a_new_password_with_it(
    manager_client: httpx.AsyncClient, client: httpx.AsyncClient, rep: Membership
) -> None:
    other_browser = await Session.filter(membership=rep).count()
    link = await make_link(manager_client, rep)
    form = await client.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.text
    assert rep.user.name in form.text
    done = await client.post(link, data=new_password())
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert (await client.get("/")).status_code == 200  # signed in straight after
    user = await User.get(id=rep.user.id)
    assert verify_password(user.password_hash, NEW)
    assert await Session.filter(membership=rep).count() == other_browser + 1
    assert (await PasswordReset.get(membership_id=rep.id)).used_at is not None


async def test_the_link_works_only_once(
    manager_client: httpx.AsyncClient, make_client: ClientFactory, rep: Membership
) -> None:
    link = await make_link(manager_client, rep)
    first = await make_client(None)
    assert (await first.post(link, data=new_password())).status_code == 303
    second = await make_client(None)
    again = await second.post(
        link, data=new_password("someone-elses-password", "someone-elses-password")
    )
    assert again.status_code == 410 and "already been used" in unescape(again.text)
    assert (await second.get(link)).status_code == 410
    assert verify_password((await User.get(id=rep.user.id)).password_hash, NEW)


async def test_two_tabs_racing_with_one_link_set_one_password(
    manager_client: httpx.AsyncClient, make_client: ClientFactory, rep: Membership
) -> None:
    link = await make_link(manager_client, rep)
    tabs = [await make_client(None) for _ in range(2)]
    first, second = await asyncio.gather(
        tabs[0].post(link, data=new_password("first-tab-password", "first-tab-password")),
        tabs[1].post(link, data=new_password("second-tab-password", "second-tab-password")),
    )
    assert sorted([first.status_code, second.status_code]) == [303, 410]
    winner = "first-tab-password" if first.status_code == 303 else "second-tab-password"
    assert verify_password((await User.get(id=rep.user.id)).password_hash, winner)


async def test_the_link_expires_after_a_day(
    manager_client: httpx.AsyncClient,
    client: httpx.AsyncClient,
    rep: Membership,
    clock: FrozenClock,
) -> None:
    link = await make_link(manager_client, rep)
    clock.set(clock.now() + timedelta(hours=24, seconds=1))
    response = await client.post(link, data=new_password())
    assert response.status_code == 410 and "expired" in response.text
    assert verify_password((await User.get(id=rep.user.id)).password_hash, PASSWORD)


async def test_a_newer_link_replaces_the_older_one(
    manager_client: httpx.AsyncClient, client: httpx.AsyncClient, rep: Membership
) -> None:
    old = await make_link(manager_client, rep)
    new = await make_link(manager_client, rep)
    assert (await client.get(old)).status_code == 404
    assert (await client.get(new)).status_code == 200


async def test_a_bad_password_keeps_the_link_usable(
    manager_client: httpx.AsyncClient, client: httpx.AsyncClient, rep: Membership
) -> None:
    link = await make_link(manager_client, rep)
    mismatch = await client.post(link, data=new_password(NEW, "something-else-entirely"))
    assert mismatch.status_code == 422 and "don&#39;t match" in mismatch.text
    short = await client.post(link, data=new_password("short", "short"))
    assert short.status_code == 422
    assert (await client.post(link, data=new_password())).status_code == 303


async def test_an_unknown_link_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/reset/not-a-real-token")
    assert response.status_code == 404 and "isn&#39;t valid" in response.text


async def test_a_rep_cannot_make_a_link(
    rep_client: httpx.AsyncClient, teammate: Membership
) -> None:
    response = await rep_client.post(f"/team/members/{teammate.id}/reset-link")
    assert response.status_code == 403
    assert not await PasswordReset.exists(membership_id=teammate.id)


async def test_a_manager_cannot_reset_an_admin_or_themselves(
    manager_client: httpx.AsyncClient, admin: Membership, manager: Membership
) -> None:
    assert (await manager_client.post(f"/team/members/{admin.id}/reset-link")).status_code == 403
    own = await manager_client.post(f"/team/members/{manager.id}/reset-link")
    assert own.status_code == 403 and "Change password" in own.text
    assert not await PasswordReset.exists()


async def test_a_manager_cannot_reset_another_teams_member(
    manager: Membership, make_client: ClientFactory
) -> None:
    other_team = await factories.make_team(manager.organisation, name="Enterprise")
    stranger = await factories.make_member(other_team, Role.REP)
    client = await make_client(manager)
    response = await client.post(f"/team/members/{stranger.id}/reset-link")
    assert response.status_code == 404


async def test_an_admin_can_reset_anyone_in_the_organisation_but_not_outsiders(
    admin_client: httpx.AsyncClient, admin: Membership, outsider: Membership
) -> None:
    other_team = await factories.make_team(admin.organisation, name="Enterprise")
    elsewhere = await factories.make_member(other_team, Role.MANAGER)
    await make_link(admin_client, elsewhere)
    response = await admin_client.post(f"/team/members/{outsider.id}/reset-link")
    assert response.status_code == 404


async def test_making_a_link_needs_signing_in_and_a_post(
    client: httpx.AsyncClient, manager_client: httpx.AsyncClient, rep: Membership
) -> None:
    signed_out = await client.post(f"/team/members/{rep.id}/reset-link")
    assert signed_out.status_code in (303, 403)
    assert not await PasswordReset.exists()
    wrong = await manager_client.get(f"/team/members/{rep.id}/reset-link")
    assert wrong.status_code == 405


async def test_a_deactivated_members_link_stops_working(
    manager_client: httpx.AsyncClient, client: httpx.AsyncClient, rep: Membership
) -> None:
    link = await make_link(manager_client, rep)
    await Membership.filter(id=rep.id).update(is_active=False)
    assert (await client.get(link)).status_code == 403


async def test_the_team_tab_offers_the_link_and_the_sign_in_page_explains_it(
    manager_client: httpx.AsyncClient, client: httpx.AsyncClient, rep: Membership
) -> None:
    team = (await manager_client.get("/team")).text
    assert f'action="/team/members/{rep.id}/reset-link"' in team
    signin = (await client.get("/signin")).text
    assert "Forgot your password?" in signin and "reset link" in signin
    assert "Trying the demo?" not in signin  # no demo loaded here
