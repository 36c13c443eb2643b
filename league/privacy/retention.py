"""Once a day: delete old recordings after `LEAGUE_RETENTION_DAYS` (kept when 0), and
per-device push outcomes after 30 days (push.outcomes.DELIVERY_RECORD_DAYS).

Practice takes older than that are deleted with their clips. Entries older than that
lose their recording once their round has results; the entry row, its scores, the
reviews and the points stay, so the results and standings do not change.
The daily run is a durable job keyed by date: a restart neither skips nor repeats it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise.expressions import Subquery

from league.clips.models import Entry, Take
from league.clips.storage import Storage
from league.jobs.models import Job
from league.jobs.service import JobContext, schedule
from league.push import outcomes as push_outcomes
from league.seasons.models import RoundState
from league.settings import Settings

logger = logging.getLogger(__name__)

RETENTION_JOB = "privacy.retention"


def retention_key(moment: datetime) -> str:
    return f"privacy:retention:{moment.date().isoformat()}"


async def schedule_retention(now: datetime) -> None:
    """Today's run; each run schedules the next day's."""
    await schedule(RETENTION_JOB, retention_key(now), now, {})


async def run_retention(job: Job, context: JobContext) -> None:
    settings: Settings = context.services["settings"]
    forgotten = await push_outcomes.delete_old_records(context.now)
    logger.info("retention: %s push delivery records deleted", forgotten)
    if settings.retention_days > 0:
        cutoff = context.now - timedelta(days=settings.retention_days)
        storage = context.services["storage"]
        deleted = await delete_recordings_before(storage, cutoff, context.now)
        logger.info("retention: %s recordings older than %s deleted", deleted, cutoff.date())
    tomorrow = context.now + timedelta(days=1)
    await schedule(RETENTION_JOB, retention_key(tomorrow), tomorrow, {})


async def delete_recordings_before(storage: Storage, cutoff: datetime, now: datetime) -> int:
    """Delete practice takes recorded and entries submitted before `cutoff`; returns a count."""
    entered = Subquery(Entry.all().values("take_id"))
    practice = Take.filter(created_at__lt=cutoff).exclude(id__in=entered)
    practice_keys = list(await practice.values_list("storage_key", flat=True))
    await Take.filter(storage_key__in=practice_keys).delete()
    expired = await Entry.filter(
        submitted_at__lt=cutoff, round__state=RoundState.RESULTS, take__deleted_at=None
    ).values_list("take_id", flat=True)
    entry_keys = list(await Take.filter(id__in=list(expired)).values_list("storage_key", flat=True))
    await Take.filter(id__in=list(expired)).update(deleted_at=now)
    # Rows first, files second: a clip is never listed without its file.
    for key in [*practice_keys, *entry_keys]:
        await storage.delete(str(key))
    return len(practice_keys) + len(entry_keys)
