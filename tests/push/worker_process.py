"""A second worker process for tests: runs the due jobs of a shared database once and
prints how many it ran.

python -m tests.push.worker_process DATABASE_URL DATA_DIR NOW_ISO
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

from league.app import create_app
from league.db import open_database
from league.jobs.service import JobContext, run_due_jobs
from league.push.vapid import load_push_config
from league.settings import Settings


async def main(database_url: str, data_dir: str, now: str) -> None:
    settings = Settings(
        data_dir=Path(data_dir),
        database_url=database_url,
        secret_key="worker",
        database_setup="none",
    )
    app = create_app(settings)
    services = {
        "settings": settings,
        "push": load_push_config(settings.data_dir, settings.push_contact, allow_loopback=True),
        "url_path_for": app.url_path_for,
        "reactions": app.state.reactions,
    }
    async with open_database(database_url, "none"):
        # Ready: wait for the test to say "go", so both workers start together.
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        ran = await run_due_jobs(JobContext(now=datetime.fromisoformat(now), services=services))
        print(ran, flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
