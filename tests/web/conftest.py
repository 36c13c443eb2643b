"""Fixtures for the web plumbing tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette


@pytest.fixture
async def bare_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends no CSRF token by itself, like a browser on another site."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://testserver",
    ) as client:
        yield client
