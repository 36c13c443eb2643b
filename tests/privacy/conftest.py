"""Fixtures for privacy: a league with results whose clips exist in storage."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from league.clips.models import Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from league.settings import Settings
from tests.reviews.conftest import League, league, publish, review_everything

__all__ = ["league"]  # the fixture, shared with the reviews tests


@pytest.fixture
def storage(app: Starlette) -> LocalStorage:
    store = app.state.storage
    assert isinstance(store, LocalStorage)
    return store


async def store_clip(storage: LocalStorage, key: str, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=storage.spool_dir(), delete=False) as handle:
        handle.write(data)
    await storage.save(key, Path(handle.name))


def clip_bytes(take_id: int, size: int = 2048) -> bytes:
    return (f"clip-{take_id}-".encode() * size)[:size]


async def store_every_clip(storage: LocalStorage) -> None:
    for take in await Take.all():
        await store_clip(storage, take.storage_key, clip_bytes(take.id))


@pytest.fixture
async def played(
    league: League,
    storage: LocalStorage,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> League:
    """The round reviewed (with varied scores) and published; every entry's clip stored."""
    await store_every_clip(storage)
    scores = {member.id: 2 + place % 3 for place, member in enumerate(league.reps)}
    await review_everything(league, app_services, clock.now(), scores_by_author=scores)
    await publish(league.round, app_services, clock)
    return league
