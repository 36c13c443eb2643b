from __future__ import annotations

from html import unescape

import httpx

from league.accounts import service
from league.accounts.models import Membership, Session, User
from league.accounts.passwords import verify_password
from tests.conftest import ClientFactory
from tests.factories import PASSWORD

NEW = "a-brand-new-password"


def change(current: str = PASSWORD, new: str = NEW, confirm: str = NEW) -> dict[str, str]:
    return {"current_password": current, "new_password": new, "confirm_password": confirm}


async def test_it_shows_the_form(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.get("/me/password")
    assert response.status_code == 200
    assert "Change password" in response.text


async def test_it_changes_the_password(
    rep_client: httpx.AsyncClient, client: httpx.AsyncClient, rep: Membership
) -> None:
    response = await rep_client.post("/me/password", data=change())
    assert response.status_code == 200
    assert "Password changed" in response.text
    user = await User.get(id=rep.user.id)
    assert verify_password(user.password_hash, NEW)
    old = await client.post("/signin", data={"email": rep.user.email, "password": PASSWORD})
    assert old.status_code == 400
    new = await client.post("/signin", data={"email": rep.user.email, "password": NEW})
    assert new.status_code == 303


async def test_it_signs_out_other_browsers_but_not_this_one(
    make_client: ClientFactory, rep: Membership
) -> None:
    phone = await make_client(rep)
    laptop = await make_client(rep)
    await phone.post("/me/password", data=change())
    assert (await phone.get("/")).status_code == 200
    assert (await laptop.get("/")).status_code == 303
    assert await Session.filter(membership=rep).count() == 1


async def test_it_refuses_a_wrong_current_password(
    rep_client: httpx.AsyncClient, rep: Membership
) -> None:
    response = await rep_client.post("/me/password", data=change(current="not-it-at-all"))
    assert response.status_code == 422
    assert "current password" in unescape(response.text)
    user = await User.get(id=rep.user.id)
    assert verify_password(user.password_hash, PASSWORD)


async def test_it_refuses_mismatched_new_passwords(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.post("/me/password", data=change(confirm="something-else"))
    assert response.status_code == 422
    assert "don't match" in unescape(response.text)


async def test_it_refuses_a_short_new_password(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.post("/me/password", data=change(new="short", confirm="short"))
    assert response.status_code == 422
    assert f"at least {service.MIN_PASSWORD_LENGTH} characters" in unescape(response.text)


async def test_it_redirects_when_signed_out(client: httpx.AsyncClient) -> None:
    response = await client.get("/me/password")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fme%2Fpassword"


async def test_it_rejects_wrong_method(rep_client: httpx.AsyncClient) -> None:
    response = await rep_client.delete("/me/password")
    assert response.status_code == 405
