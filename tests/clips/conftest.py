"""Fixtures for clips: a drill in an open round, stored takes, and an upload helper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clips import service
from league.clips.models import Entry, Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons.models import Round, RoundState
from league.settings import Settings
from tests import factories
from tests.clips import media

CAP_MEGABYTES = 1


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A small cap so the size check can be crossed quickly.
    return replace(settings, max_clip_megabytes=CAP_MEGABYTES)


@pytest.fixture
def storage(app: Starlette) -> LocalStorage:
    store = app.state.storage
    assert isinstance(store, LocalStorage)
    return store


async def make_drill(team: Team, time_limit_seconds: int = 30) -> Drill:
    item = await factories.make_item(
        team,
        prompt="We already use a competitor.",
        key_points=["Acknowledge first", "Ask what they'd change", "acknowledge first"],
    )
    return await factories.make_drill(
        team,
        items=[item],
        prompt="Your buyer says: we already use a competitor. 30 seconds.",
        time_limit_seconds=time_limit_seconds,
    )


async def make_round(
    team: Team, drills: list[Drill], clock: FrozenClock, state: RoundState = RoundState.OPEN
) -> Round:
    now = clock.now()
    season = await factories.make_season(team, starts_on=now.date(), time_zone="Europe/London")
    return await factories.make_round(
        season,
        drills,
        opens_at=now - timedelta(hours=1),
        state=state,
        # Wednesday 4 March 2026, 18:00 in London (GMT, so also 18:00 UTC).
        submit_closes_at=now + timedelta(days=2, hours=9),
        review_closes_at=now + timedelta(days=4),
        results_at=now + timedelta(days=4, hours=4),
    )


@pytest.fixture
async def drill(team: Team) -> Drill:
    return await make_drill(team)


@pytest.fixture
async def open_round(team: Team, drill: Drill, clock: FrozenClock) -> Round:
    return await make_round(team, [drill], clock)


async def store_take(
    storage: LocalStorage,
    member: Membership,
    drill: Drill,
    clock: FrozenClock,
    clip: bytes | None = None,
) -> Take:
    """A take stored through the same service the upload handler uses."""

    async def chunks() -> AsyncIterator[bytes]:
        yield clip if clip is not None else media.webm_opus()

    take, _ = await service.receive_take(
        storage=storage,
        member=member,
        drill=drill,
        chunks=chunks(),
        max_bytes=CAP_MEGABYTES * 1024 * 1024,
        now=clock.now(),
    )
    return take


@pytest.fixture
async def take(storage: LocalStorage, rep: Membership, drill: Drill, clock: FrozenClock) -> Take:
    return await store_take(storage, rep, drill, clock)


@pytest.fixture
async def entry(take: Take, open_round: Round, clock: FrozenClock, reactions: Reactions) -> Entry:
    return await service.submit_take(take, clock.now(), reactions)


async def upload(
    client: httpx.AsyncClient,
    drill: Drill,
    clip: bytes,
    content_type: str = "audio/webm;codecs=opus",
    upload_key: str | None = None,
) -> httpx.Response:
    headers = {"Content-Type": content_type}
    if upload_key:
        headers["X-Upload-Key"] = upload_key
    return await client.post(f"/drills/{drill.id}/takes", content=clip, headers=headers)


def spooled_files(storage: LocalStorage) -> list[Path]:
    return list(storage.spool_dir().iterdir())
