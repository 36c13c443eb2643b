"""Fixtures for the accounts tests: clients signed in as each persona, invitation links."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from league.accounts import service
from league.accounts.models import Membership, Role
from league.clock import FrozenClock
from tests.conftest import ClientFactory


@pytest.fixture
async def manager_client(make_client: ClientFactory, manager: Membership) -> httpx.AsyncClient:
    return await make_client(manager)


@pytest.fixture
async def admin_client(make_client: ClientFactory, admin: Membership) -> httpx.AsyncClient:
    return await make_client(admin)


@pytest.fixture
async def rep_client(make_client: ClientFactory, rep: Membership) -> httpx.AsyncClient:
    return await make_client(rep)


async def invite_link(
    inviter: Membership, now: datetime, role: Role = Role.REP, email: str = ""
) -> str:
    """The /join path of a fresh invitation to the inviter's team."""
    new = await service.create_invitation(inviter, inviter.team, role, email, now)
    return f"/join/{new.token}"


@pytest.fixture
async def rep_invite(manager: Membership, clock: FrozenClock) -> str:
    return await invite_link(manager, clock.now())
