"""Test data with sensible defaults. Personas: manager, rep, teammate, outsider."""

from __future__ import annotations

import itertools
from functools import lru_cache

from league.accounts.models import Membership, Organisation, Role, Team, User
from league.accounts.passwords import hash_password

PASSWORD = "practice-password"
_sequence = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    # Hashing with argon2 is slow on purpose; every test user shares one hash.
    return hash_password(PASSWORD)


async def make_organisation(name: str = "Acme") -> Organisation:
    return await Organisation.create(name=name)


async def make_team(
    organisation: Organisation | None = None, name: str = "Sales", time_zone: str = "Europe/London"
) -> Team:
    organisation = organisation or await make_organisation()
    return await Team.create(organisation=organisation, name=name, time_zone=time_zone)


async def make_member(
    team: Team | None = None,
    role: Role = Role.REP,
    name: str | None = None,
    email: str | None = None,
    is_active: bool = True,
) -> Membership:
    team = team or await make_team()
    number = next(_sequence)
    user = await User.create(
        email=email or f"person{number}@example.com",
        name=name or f"Person {number}",
        password_hash=password_hash(),
    )
    membership = await Membership.create(
        user=user,
        organisation_id=team.organisation_id,  # type: ignore[attr-defined]
        team=team,
        role=role,
        is_active=is_active,
    )
    return await Membership.get(id=membership.id).select_related("user", "team", "organisation")
