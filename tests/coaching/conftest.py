"""Coaching fixtures: a team of three reps with known names and emails."""

from __future__ import annotations

import pytest

from league.accounts.models import Membership, Role, Team
from tests.factories import make_member


@pytest.fixture
async def reps(team: Team) -> list[Membership]:
    return [
        await make_member(team, Role.REP, name="Priya Shah", email="priya@example.com"),
        await make_member(team, Role.REP, name="Jonas Berg", email="jonas@example.com"),
        await make_member(team, Role.REP, name="Amara Nwosu", email="amara@example.com"),
    ]
