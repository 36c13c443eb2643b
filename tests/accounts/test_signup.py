from __future__ import annotations

from html import unescape

import httpx

from league.accounts.models import Membership, Role
from tests.factories import PASSWORD

FORM = {
    "organisation": "Northwind",
    "team": "Enterprise",
    "time_zone": "Europe/Berlin",
    "name": "Nina Norris",
    "email": "Nina@Northwind.example",
    "password": "long-enough-secret",
}


async def test_it_shows_the_form(client: httpx.AsyncClient) -> None:
    response = await client.get("/signup")
    assert response.status_code == 200
    assert "Start a league" in response.text
    assert 'name="csrf_token"' in response.text


async def test_it_creates_an_organisation_with_its_first_admin(client: httpx.AsyncClient) -> None:
    response = await client.post("/signup", data=FORM)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    member = await Membership.get(user__email="nina@northwind.example").select_related(
        "team", "organisation", "user"
    )
    assert member.role == Role.ADMIN
    assert member.organisation.name == "Northwind"
    assert (member.team.name, member.team.time_zone) == ("Enterprise", "Europe/Berlin")
    assert member.user.password_hash.startswith("$argon2")
    # The new admin is signed in straight away.
    today = await client.get("/")
    assert today.status_code == 200
    assert "Enterprise" in today.text


async def test_it_keeps_typed_values_when_the_password_is_short(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/signup", data={**FORM, "password": "short"})
    assert response.status_code == 422
    text = unescape(response.text)
    assert "at least 8 characters" in text
    for typed in ("Northwind", "Enterprise", "Europe/Berlin", "Nina Norris"):
        assert f'value="{typed}"' in text
    assert 'value="short"' not in text  # passwords are never sent back
    assert not await Membership.exists()


async def test_it_rejects_an_unknown_time_zone(client: httpx.AsyncClient) -> None:
    response = await client.post("/signup", data={**FORM, "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert "not a time zone we know" in unescape(response.text)


async def test_it_rejects_a_blank_organisation(client: httpx.AsyncClient) -> None:
    response = await client.post("/signup", data={**FORM, "organisation": "   "})
    assert response.status_code == 422
    assert "organisation" in unescape(response.text).lower()


async def test_it_rejects_a_duplicate_email(client: httpx.AsyncClient, rep: Membership) -> None:
    response = await client.post("/signup", data={**FORM, "email": rep.user.email.upper()})
    assert response.status_code == 422
    assert "already exists" in unescape(response.text)
    assert await Membership.filter(user__email=rep.user.email).count() == 1


async def test_it_rejects_a_bad_email(client: httpx.AsyncClient) -> None:
    response = await client.post("/signup", data={**FORM, "email": "not-an-email"})
    assert response.status_code == 422
    assert "valid email" in unescape(response.text)


async def test_it_rejects_wrong_method(client: httpx.AsyncClient) -> None:
    response = await client.put("/signup", data=FORM)
    assert response.status_code == 405


async def test_it_never_stores_the_password(client: httpx.AsyncClient) -> None:
    await client.post("/signup", data={**FORM, "password": PASSWORD})
    member = await Membership.get(user__email="nina@northwind.example").select_related("user")
    assert PASSWORD not in member.user.password_hash
