"""LEAGUE_RETENTION_DAYS: old recordings are deleted by a daily durable job; results stay."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from starlette.applications import Starlette

from league.clips.models import Entry, Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from league.jobs.models import Job, JobStatus
from league.jobs.service import run_due_jobs
from league.settings import Settings, SettingsError
from tests.privacy.conftest import store_clip
from tests.reviews.conftest import League
from tests.standings.test_points_incremental import snapshot

DAYS = 30


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, retention_days=DAYS)


async def make_practice_take(
    played: League, storage: LocalStorage, key: str, recorded_at: datetime
) -> Take:
    await store_clip(storage, key, b"practice")
    take = await Take.create(
        team_id=played.team.id,
        member=played.reps[0],
        drill=played.drill,
        storage_key=key,
        content_type="audio/webm",
        duration_seconds=10.0,
        size_bytes=8,
    )
    await Take.filter(id=take.id).update(created_at=recorded_at)
    return take


async def run_jobs(app: Starlette) -> None:
    await run_due_jobs(app.state.make_job_context())


async def test_it_deletes_old_recordings_and_keeps_results(
    played: League, app: Starlette, storage: LocalStorage, clock: FrozenClock
) -> None:
    practice = await make_practice_take(
        played, storage, "takes/practice-old.webm", clock.now() - timedelta(hours=1)
    )
    results = await snapshot(played.season.id)
    entry_keys = await Take.filter(entries__id__gte=1).values_list("storage_key", flat=True)
    clock.set(clock.now() + timedelta(days=DAYS + 1))
    await Job.filter(kind="privacy.retention").update(run_at=clock.now())
    await run_jobs(app)
    assert not await Take.filter(id=practice.id).exists()
    assert not await storage.exists(practice.storage_key)
    assert entry_keys and not any([await storage.exists(key) for key in entry_keys])
    assert await Entry.all().count() == len(played.entries)
    assert await snapshot(played.season.id) == results


async def test_it_keeps_recent_recordings(
    played: League, app: Starlette, storage: LocalStorage, clock: FrozenClock
) -> None:
    practice = await make_practice_take(
        played, storage, "takes/practice-new.webm", clock.now() - timedelta(days=DAYS - 1)
    )
    await run_jobs(app)
    assert await storage.exists(practice.storage_key)
    assert all([await storage.exists(take.storage_key) for take in await Take.all()])


async def test_it_runs_once_a_day_as_a_durable_job(
    played: League, app: Starlette, clock: FrozenClock
) -> None:
    await run_jobs(app)
    jobs = await Job.filter(kind="privacy.retention").order_by("run_at")
    assert [job.status for job in jobs] == [JobStatus.DONE, JobStatus.PENDING]
    assert jobs[1].run_at == clock.now() + timedelta(days=1)
    await run_jobs(app)  # nothing due yet: the next day's run waits
    assert await Job.filter(kind="privacy.retention", status=JobStatus.DONE).count() == 1


async def test_recordings_are_kept_by_default(
    played: League, app: Starlette, clock: FrozenClock, settings: Settings
) -> None:
    assert Settings.retention_days == 0  # the default
    app.state.services["settings"] = replace(settings, retention_days=0)
    clock.advance(timedelta(days=400))
    await run_jobs(app)  # the daily run still happens: push records are kept 30 days
    assert await Job.filter(kind="privacy.retention", status=JobStatus.DONE).exists()
    takes = await Take.filter(deleted_at=None).count()
    assert takes and takes == await Take.all().count()


def test_a_negative_setting_is_refused() -> None:
    with pytest.raises(SettingsError, match="LEAGUE_RETENTION_DAYS"):
        Settings.from_env({"LEAGUE_RETENTION_DAYS": "-3", "LEAGUE_SECRET_KEY_FILE": __file__})
