"""kill -9 in the middle of a Monday: uploads, reviews, a results computation and a
reminder batch all in flight, the server killed at a random moment, then started again.

Each copy of a seeded league (tests.reliability.rush) is killed four times, in a random
order: twice while reps upload and review, once as its results job runs and once as its
reminder batch goes out (uploads keep coming throughout), each at a random moment.
After each restart, phones resend what got no answer (same upload key, same review),
and: no visible take lacks any of its clip, each upload key is stored once, no review is
lost or doubled, the results finish, no phone gets the same reminder twice, and at the
end the standings and entry scores equal a recompute. LEAGUE_CRASH_RUNS sets how many
kills (20 by default), LEAGUE_CRASH_SEED replays a run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from league.push.vapid import load_push_config
from league.settings import Settings
from tests.clips import media
from tests.push.push_service import LocalPushService, Subscriber
from tests.reliability.clients import is_success, rep_client, submit_review, upload_take
from tests.reliability.harness import ServerProcess

REPS = 24
UPLOADERS = 6
KILL_AFTER_SECONDS = (0.2, 1.5)  # while traffic runs
KILL_INSIDE_JOB_SECONDS = (0.0, 0.3)  # after a results or reminder job is seen running
SETTLE_SECONDS = 60
# Each copy of the seeded league is killed once per phase, in a random order.
PHASES = ("traffic", "traffic", "results", "reminders")
RUNS = int(os.environ.get("LEAGUE_CRASH_RUNS", "20"))
SEED = int(os.environ.get("LEAGUE_CRASH_SEED", str(random.randrange(1 << 30))))


@dataclass
class Workload:
    """What the clients sent, and what the server acknowledged before a kill."""

    upload_keys: list[str] = field(default_factory=list)
    uploader_of: dict[str, int] = field(default_factory=dict)  # upload key -> member id
    acked_takes: set[str] = field(default_factory=set)
    sent_reviews: set[int] = field(default_factory=set)
    acked_reviews: set[int] = field(default_factory=set)


@dataclass
class Tally:
    kills: int = 0
    uploads_in_flight: int = 0
    reviews_unanswered: int = 0
    results_killed_running: int = 0
    reminders_killed_mid_batch: int = 0
    reminders_sent: int = 0


def rush(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.reliability.rush", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


async def seed_template(folder: Path, phones: list[Subscriber]) -> dict[str, Any]:
    folder.mkdir()
    (folder / "phones.json").write_text(
        json.dumps([{"endpoint": p.endpoint, "p256dh": p.p256dh, "auth": p.auth} for p in phones])
    )
    env = {**os.environ, "LEAGUE_DATA_DIR": str(folder)}
    return await asyncio.to_thread(
        rush, "seed", str(folder), str(REPS), str(folder / "phones.json"), env=env
    )


def review_score(review_id: int) -> int:
    return 1 + review_id % 5


async def keep_uploading(url: str, rep: dict[str, Any], drill: int, work: Workload) -> None:
    clip = media.webm_opus(1)
    async with rep_client(url, rep) as client:
        while True:
            key = uuid.uuid4().hex
            work.upload_keys.append(key)
            work.uploader_of[key] = rep["member_id"]
            if is_success(await upload_take(client, drill, clip, key)):
                work.acked_takes.add(key)


async def send_reviews(
    url: str, rep: dict[str, Any], review_ids: list[int], work: Workload
) -> None:
    async with rep_client(url, rep) as client:
        for review_id in review_ids:
            work.sent_reviews.add(review_id)
            if is_success(await submit_review(client, review_id, review_score(review_id))):
                work.acked_reviews.add(review_id)


def make_due(server: ServerProcess, job_key: str) -> None:
    """Make a parked job due now, from a second connection as a CLI would."""
    with closing(sqlite3.connect(server.data_dir / "league.db", timeout=30)) as connection:
        connection.execute(
            "UPDATE job SET run_at = ? WHERE key = ?", ("2000-01-01 00:00:00+00:00", job_key)
        )
        connection.commit()


def job_status(server: ServerProcess, job_key: str) -> str:
    return str(server.query("SELECT status FROM job WHERE key = ?", job_key)[0][0])


async def wait_for_status(
    server: ServerProcess, job_key: str, statuses: set[str], seconds: float
) -> str:
    deadline = time.monotonic() + seconds
    while (status := await asyncio.to_thread(job_status, server, job_key)) not in statuses:
        assert time.monotonic() < deadline, f"{job_key} still {status}"
        await asyncio.sleep(0.005)
    return status


async def kill_during(
    phase: str,
    server: ServerProcess,
    league: dict[str, Any],
    reviews_left: dict[int, list[int]],
    rng: random.Random,
    tally: Tally,
) -> Workload:
    work = Workload()
    reps = league["reps"]
    tasks = [
        asyncio.create_task(keep_uploading(server.url, rep, league["drill"], work))
        for rep in reps[:UPLOADERS]
    ]
    if phase == "traffic":
        for rep in reps:  # about half of each rep's remaining reviews, all at once
            batch = reviews_left[rep["member_id"]][: rng.randint(0, 2)]
            tasks.append(asyncio.create_task(send_reviews(server.url, rep, batch, work)))
        await asyncio.sleep(rng.uniform(*KILL_AFTER_SECONDS))
    else:
        job_key = league["results_job" if phase == "results" else "reminder_job"]
        await asyncio.to_thread(make_due, server, job_key)
        await wait_for_status(server, job_key, {"running", "done"}, SETTLE_SECONDS)
        await asyncio.sleep(rng.uniform(*KILL_INSIDE_JOB_SECONDS))
    await asyncio.to_thread(server.kill)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    tally.kills += 1
    tally.uploads_in_flight += len(work.upload_keys) - len(work.acked_takes)
    tally.reviews_unanswered += len(work.sent_reviews - work.acked_reviews)
    if phase != "traffic":
        running = job_status(server, job_key) == "running"
        tally.results_killed_running += running and phase == "results"
        tally.reminders_killed_mid_batch += running and phase == "reminders"
    return work


async def resend(server: ServerProcess, league: dict[str, Any], work: Workload) -> None:
    """What phones do after a request got no answer: send it again (the same upload key)."""
    clip = media.webm_opus(1)
    reps = {rep["member_id"]: rep for rep in league["reps"]}
    for key in work.upload_keys:
        if key not in work.acked_takes:  # the same phone sends it again
            async with rep_client(server.url, reps[work.uploader_of[key]]) as client:
                assert is_success(await upload_take(client, league["drill"], clip, key))
    for member_id, rep in reps.items():
        unanswered = [r for r in rep["reviews"] if r in work.sent_reviews - work.acked_reviews]
        async with rep_client(server.url, rep) as client:
            for review_id in unanswered:
                status = await submit_review(client, review_id, review_score(review_id))
                assert is_success(status), (member_id, review_id, status)


def check_takes(server: ServerProcess, upload_keys: set[str]) -> None:
    # Takes with an upload key came over HTTP; the seeded ones have no clip files.
    rows = server.query(
        "SELECT upload_key, storage_key, size_bytes FROM take WHERE upload_key IS NOT NULL"
    )
    by_key = Counter(upload_key for upload_key, _, _ in rows)
    assert set(by_key) == upload_keys, "an upload was lost, or one appeared from nowhere"
    assert all(count == 1 for count in by_key.values()), "an upload was stored twice"
    for _, storage_key, size in rows:
        clip = server.data_dir / "media" / storage_key
        assert clip.is_file() and clip.stat().st_size == size, f"half a clip: {storage_key}"


def check_reviews(server: ServerProcess, league: dict[str, Any], sent: set[int]) -> None:
    assigned = [review for rep in league["reps"] for review in rep["reviews"]]
    rows = server.query(
        "SELECT id, status, scores FROM review WHERE is_judgement = 0 AND round_id = "
        "(SELECT round_id FROM review WHERE id = ?)",
        assigned[0],
    )
    assert sorted(review_id for review_id, _, _ in rows) == sorted(assigned), "lost or doubled"
    for review_id, status, scores in rows:
        if review_id in sent:
            assert status == "submitted", f"review {review_id} was lost"
            assert set(json.loads(scores).values()) == {review_score(review_id)}
        else:
            assert status == "assigned", f"review {review_id} changed without being sent"


def check_results(server: ServerProcess, league: dict[str, Any]) -> None:
    state = server.query("SELECT state FROM round WHERE id = ?", league["results_round"])
    assert state == [("results",)]
    unfinished = server.query(
        "SELECT COUNT(*) FROM round_points WHERE round_id = ? AND is_final = 0",
        league["results_round"],
    )
    assert unfinished == [(0,)]


def check_reminders(push: LocalPushService, phones: list[Subscriber]) -> int:
    sent = 0
    for phone in phones:
        # Kinds of one round share a tag (the phone shows the newest); a repeat is the
        # same message twice.
        messages = [json.dumps(payload, sort_keys=True) for payload in push.payloads_for(phone)]
        assert len(messages) == len(set(messages)), f"a reminder was sent twice: {messages}"
        sent += len(messages)
    return sent


async def test_kill_9_at_random_moments_loses_and_doubles_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    push = await LocalPushService("", "").start()
    push.delay_seconds = 0.1  # a reminder batch lasts long enough to be killed mid-way
    try:
        tally = await run_crashes(tmp_path, push, rng)
    finally:
        await push.stop()
    print(json.dumps({"crash_seed": SEED, **tally.__dict__}))
    assert tally.kills >= RUNS
    assert push.problems == []


async def run_crashes(tmp_path: Path, push: LocalPushService, rng: random.Random) -> Tally:
    phones = [push.new_subscriber() for _ in range(REPS)]
    league = await seed_template(tmp_path / "template", phones)
    config = load_push_config(tmp_path / "template", Settings.push_contact)
    push.vapid_public_key, push.contact = config.public_key, config.contact
    tally = Tally()
    copy = 0
    while tally.kills < RUNS:
        folder = tmp_path / f"copy-{copy}"
        shutil.copytree(tmp_path / "template", folder)
        # Loopback push is for tests only: the local push service stands in for a real one.
        server = ServerProcess(folder, extra_env={"LEAGUE_PUSH_ALLOW_LOOPBACK": "true"})
        await crash_one_copy(server, league, push, phones, rng, tally)
        recompute = await asyncio.to_thread(rush, "check", str(folder))
        assert recompute["standings_match"] and recompute["scores_match"], recompute
        shutil.rmtree(folder)
        copy += 1
    return tally


async def crash_one_copy(
    server: ServerProcess,
    league: dict[str, Any],
    push: LocalPushService,
    phones: list[Subscriber],
    rng: random.Random,
    tally: Tally,
) -> None:
    push.received.clear()
    reviews_left = {rep["member_id"]: list(rep["reviews"]) for rep in league["reps"]}
    uploads: set[str] = set()
    sent: set[int] = set()
    await asyncio.to_thread(server.start)
    try:
        for phase in rng.sample(PHASES, len(PHASES)):
            work = await kill_during(phase, server, league, reviews_left, rng, tally)
            await asyncio.to_thread(server.start)
            await resend(server, league, work)
            uploads |= set(work.upload_keys)
            sent |= work.sent_reviews
            for rep in league["reps"]:
                left = reviews_left[rep["member_id"]]
                left[:] = [review for review in left if review not in sent]
            check_takes(server, uploads)
            check_reviews(server, league, sent)
            check_reminders(push, phones)
        for key in (league["results_job"], league["reminder_job"]):
            await wait_for_status(server, key, {"done"}, SETTLE_SECONDS)
        check_results(server, league)
        tally.reminders_sent += check_reminders(push, phones)
    finally:
        await asyncio.to_thread(server.stop)
