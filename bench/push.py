"""10 000 reminders through the league vs a bare pywebpush loop. Run with `make bench-push`.

A loopback push service (a separate process that answers 201 to every message and counts
them) stands in for the browsers' push services. In one temporary SQLite league, a team of
N reps, each with a push subscription, has a round that just opened; the benchmark times
the worker running the "round is open" job: working out who gets the reminder, recording
N notifications, encrypting and pushing each one, and recording the answers. The baseline,
in the same run, pushes the same N encrypted messages with `pywebpush.webpush_async` in a
bare loop at the same concurrency (the league's push concurrency), recording nothing.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from pywebpush import webpush_async

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from league.accounts.models import Membership, Organisation, Role, Team, User  # noqa: E402
from league.accounts.passwords import hash_password  # noqa: E402
from league.app import create_app  # noqa: E402
from league.jobs.service import run_due_jobs  # noqa: E402
from league.playbook.models import Drill  # noqa: E402
from league.push import jobs as push_jobs  # noqa: E402
from league.push.models import PushSubscription  # noqa: E402
from league.push.vapid import PushConfig  # noqa: E402
from league.seasons.models import Round, RoundState, Season  # noqa: E402
from league.settings import Settings  # noqa: E402
from tests.push.push_service import LocalPushService  # noqa: E402
from tests.scale.services import free_port, is_listening  # noqa: E402


async def serve_push(port: int) -> None:
    """The loopback push service: 201 for every message, and a count on GET /count."""
    received = 0

    async def push(request: web.Request) -> web.Response:
        nonlocal received
        await request.read()
        received += 1
        return web.Response(status=201)

    async def count(request: web.Request) -> web.Response:
        return web.json_response({"received": received})

    app = web.Application()
    app.add_routes([web.post("/push/{n}", push), web.get("/count", count)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
    await asyncio.Event().wait()


async def received(port: int) -> int:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/count") as response:
            return int((await response.json())["received"])


def midday_time_zone(now: datetime) -> str:
    """A zone where it is about noon now, so quiet hours never hold the reminders."""
    offset = 12 - now.hour  # Etc/GMT names count the other way: Etc/GMT-2 is UTC+2
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


async def make_league(reps: int, port: int, keys: tuple[str, str]) -> Round:
    now = datetime.now(UTC)
    zone = midday_time_zone(now)
    organisation = await Organisation.create(name="Bench Co")
    team = await Team.create(organisation=organisation, name="Everyone", time_zone=zone)
    password = hash_password("bench-password-not-used")
    await User.bulk_create(
        [
            User(email=f"rep{n}@bench.test", name=f"Rep {n}", password_hash=password)
            for n in range(reps)
        ],
        batch_size=1000,
    )
    user_ids = await User.all().order_by("id").values_list("id", flat=True)
    await Membership.bulk_create(
        [
            Membership(user_id=uid, organisation=organisation, team=team, role=Role.REP)
            for uid in user_ids
        ],
        batch_size=1000,
    )
    member_ids = await Membership.all().order_by("id").values_list("id", flat=True)
    p256dh, auth = keys
    await PushSubscription.bulk_create(
        [
            PushSubscription(
                member_id=mid,
                endpoint=f"http://127.0.0.1:{port}/push/{n}",
                p256dh=p256dh,
                auth=auth,
            )
            for n, mid in enumerate(member_ids)
        ],
        batch_size=1000,
    )
    season = await Season.create(
        team=team, name="Bench", starts_on=now.date(), round_count=4, time_zone=zone
    )
    drill = await Drill.create(team=team, title="Value prop", prompt="Say it.")
    round_ = await Round.create(
        season=season,
        team=team,
        number=1,
        state=RoundState.OPEN,
        opens_at=now - timedelta(minutes=1),
        submit_closes_at=now + timedelta(days=2),
        review_closes_at=now + timedelta(days=4),
        results_at=now + timedelta(days=5),
    )
    await round_.drills.add(drill)
    return round_


async def bare_loop(
    config: PushConfig, port: int, count: int, keys: tuple[str, str], payload: str
) -> float:
    """The same messages with pywebpush alone, `config.concurrency` in flight."""
    gate = asyncio.Semaphore(config.concurrency)
    p256dh, auth = keys
    async with aiohttp.ClientSession() as session:

        async def send(n: int) -> None:
            async with gate:
                await webpush_async(
                    subscription_info={
                        "endpoint": f"http://127.0.0.1:{port}/push/{n}",
                        "keys": {"p256dh": p256dh, "auth": auth},
                    },
                    data=payload,
                    vapid_private_key=config.vapid,
                    vapid_claims={"sub": config.contact},
                    ttl=3600,
                    headers={"Urgency": "normal", "Topic": "bench"},
                    aiohttp_session=session,
                )

        started = time.perf_counter()
        await asyncio.gather(*(send(n) for n in range(count)))
        return time.perf_counter() - started


async def run(reps: int, port: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="league-bench-push-") as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            secret_key="bench",
            database_setup="generate",
            run_worker=False,
            push_allow_loopback=True,  # the push service here is on plain-http loopback
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            config: PushConfig = app.state.services["push"]
            phone = LocalPushService(config.public_key, config.contact).new_subscriber()
            keys = (phone.p256dh, phone.auth)
            round_ = await make_league(reps, port, keys)
            payload = json.dumps({"title": "Round 1 is open", "body": "x" * 60, "url": "/"})

            bare_seconds = await bare_loop(config, port, reps, keys, payload)
            after_bare = await received(port)

            context = app.state.make_job_context()
            await push_jobs.schedule_round_reminders(round_, RoundState.OPEN, context)
            started = time.perf_counter()
            await run_due_jobs(app.state.make_job_context())
            league_seconds = time.perf_counter() - started
            league_sent = await received(port) - after_bare
    return {
        "reminders": reps,
        "concurrency": config.concurrency,
        "league_seconds": round(league_seconds, 2),
        "league_delivered": league_sent,
        "bare_seconds": round(bare_seconds, 2),
        "bare_delivered": after_bare,
        "ratio": round(league_seconds / bare_seconds, 2),
        "aim_ratio": 1.5,
        # Other work on the machine slows both sides; read the ratio with this in mind.
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reminders", type=int, default=10_000, help="reps, one reminder each")
    parser.add_argument("--serve-push", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_push:
        asyncio.run(serve_push(args.serve_push))
        return 0
    port = free_port()
    receiver = subprocess.Popen([sys.executable, __file__, "--serve-push", str(port)])
    try:
        deadline = time.monotonic() + 30
        while not is_listening(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        result = asyncio.run(run(args.reminders, port))
    finally:
        receiver.kill()
        receiver.wait()
    print(f"league: {result['league_delivered']} reminders in {result['league_seconds']} s")
    print(f"bare:   {result['bare_delivered']} pushes in {result['bare_seconds']} s")
    print(f"ratio:  {result['ratio']} (aim <= {result['aim_ratio']})")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
