"""A league in the middle of a Monday rush, written straight into a data folder.

python -m tests.reliability.rush seed  DATA_DIR REPS [SUBSCRIPTIONS_JSON]  -> JSON on stdout
python -m tests.reliability.rush check DATA_DIR                            -> JSON on stdout
python -m tests.reliability.rush check-database DATABASE_URL               -> JSON on stdout

`seed` (with LEAGUE_DATA_DIR pointing at DATA_DIR) makes one team of REPS reps with signed
session cookies, in one season:
- round 1 with reviews closed and its results job waiting (`results_job`);
- round 2 in review, each rep with the reviews assigned to them (`reviews`);
- round 3 open for uploads (`drill`), and its "round is open" reminder job waiting
  (`reminder_job`), every rep subscribed to push at the endpoints given, quiet hours off.
The waiting jobs run when a test moves their `run_at` to now.

`check` works on a copy of the data folder's SQLite database: it records the standings,
entry scores and awards, recomputes all of them from the reviews, and says whether they are
equal. `check-database` does the same in the database at DATABASE_URL (PostgreSQL), which
must be a copy: the recompute rewrites it.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import sys
import tempfile
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from itsdangerous import Signer
from tortoise.transactions import in_transaction

from league.accounts import service as accounts
from league.accounts.models import Membership, Role
from league.app import create_app
from league.db import open_database
from league.jobs.service import schedule
from league.push import jobs as push_jobs
from league.push.endpoints import EndpointPolicy
from league.push.models import PushPreference, ReminderKind
from league.push.subscriptions import save_subscription
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.reviews.round_scores import refresh_round, score_round
from league.seasons.jobs import TRANSITION_BY_KIND
from league.seasons.models import Round, RoundState, Season
from league.settings import Settings
from league.standings import service as standings
from league.standings.points import PointsWeights
from tests import factories
from tests.reviews.conftest import enter_state, make_drill
from tests.standings.test_points_incremental import snapshot

LATER = timedelta(days=30)  # waiting jobs are parked this far ahead


async def seed(reps: int, subscriptions: list[dict[str, str]]) -> dict[str, Any]:
    settings = Settings.from_env()
    now = datetime.now(UTC)
    # The server's services: its round hooks (review assignment, points) run as there.
    app_services = create_app(settings).state.services
    async with open_database(settings.database_url, "migrate"):
        team = await factories.make_team(await factories.make_organisation("Rush Co"), "Rush")
        async with in_transaction():
            members = [
                await factories.make_member(team, Role.REP, name=f"Rep {number:03d}")
                for number in range(1, reps + 1)
            ]
        await factories.make_member(team, Role.MANAGER, name="Coach")
        season = await factories.make_season(team, starts_on=now.date(), round_count=6)
        drill = await make_drill(team)
        results_round = await reviewed_round(season, drill, members, now, app_services)
        review_round = await round_in_review(season, drill, members, now, app_services)
        open_round = await round_open(season, drill, now)
        reminder_job = await park_reminder(open_round, now)
        await subscribe(members, subscriptions)
        signer = Signer(settings.secret_key, salt="league.session")
        assigned = await assigned_reviews(review_round)
        return {
            "season": season.id,
            "drill": drill.id,
            "results_round": results_round.id,
            "results_job": TRANSITION_BY_KIND["round.results"].key(results_round.id),
            "reminder_job": reminder_job,
            "reps": [
                {
                    "member_id": member.id,
                    "cookie": signer.sign(await accounts.start_session(member, now)).decode(),
                    "reviews": assigned.get(member.id, []),
                }
                for member in members
            ],
        }


async def make_round(
    season: Season, drill: Any, number: int, opens_at: datetime, state: RoundState
) -> Round:
    return await factories.make_round(
        season,
        [drill],
        opens_at=opens_at,
        number=number,
        state=state,
        submit_closes_at=opens_at + timedelta(days=3),
        review_closes_at=opens_at + timedelta(days=5),
        results_at=opens_at + timedelta(days=6),
    )


async def enter_entries(
    round_: Round,
    drill: Any,
    members: list[Membership],
    now: datetime,
    app_services: dict[str, Any],
) -> None:
    for place, member in enumerate(members):
        await factories.make_entry(round_, member, now - timedelta(hours=place % 24), drill)
    await enter_state(round_, RoundState.REVIEWING, app_services, now)


async def reviewed_round(
    season: Season,
    drill: Any,
    members: list[Membership],
    now: datetime,
    app_services: dict[str, Any],
) -> Round:
    """Round 1: every review sent, reviews closed, results due when the job is moved."""
    round_ = await make_round(season, drill, 1, now - timedelta(days=6), RoundState.OPEN)
    await enter_entries(round_, drill, members, now - timedelta(days=3), app_services)
    rng = random.Random(round_.id)
    sent_at = now - timedelta(days=2)
    # Written directly, then scored once: sending each through the form's service would
    # rescore the round per review, which seeding hundreds of reps cannot wait for.
    async with in_transaction():
        for review in await Review.filter(round_id=round_.id):
            review.scores = {c["key"]: rng.randint(1, 5) for c in drill.rubric}
            review.kudos = "Clear and confident, nice pace."
            review.status = ReviewStatus.SUBMITTED
            review.submitted_at = sent_at
            await review.save()
    await refresh_round(round_.id, app_services["settings"], app_services["reactions"])
    await enter_state(round_, RoundState.REVIEWS_CLOSED, app_services, now)
    transition = TRANSITION_BY_KIND["round.results"]
    await schedule(transition.kind, transition.key(round_.id), now + LATER, {"round_id": round_.id})
    return round_


async def round_in_review(
    season: Season,
    drill: Any,
    members: list[Membership],
    now: datetime,
    app_services: dict[str, Any],
) -> Round:
    round_ = await make_round(season, drill, 2, now - timedelta(days=3, hours=1), RoundState.OPEN)
    await enter_entries(round_, drill, members, now - timedelta(hours=2), app_services)
    return round_


async def round_open(season: Season, drill: Any, now: datetime) -> Round:
    return await make_round(season, drill, 3, now - timedelta(hours=1), RoundState.OPEN)


async def park_reminder(round_: Round, now: datetime) -> str:
    key = push_jobs.fanout_key(ReminderKind.ROUND_OPEN, round_.id)
    payload = {"kind": ReminderKind.ROUND_OPEN.value, "round_id": round_.id}
    await schedule(push_jobs.FANOUT_JOB, key, now + LATER, payload)
    return key


async def subscribe(members: list[Membership], subscriptions: list[dict[str, str]]) -> None:
    for member, subscription in zip(members, subscriptions, strict=False):
        await save_subscription(
            EndpointPolicy(allow_loopback=True),  # the tests' local push service
            member,
            None,
            subscription["endpoint"],
            subscription["p256dh"],
            subscription["auth"],
            "Test · Phone",
        )
        # No quiet hours: the reminder goes out whatever time the suite runs.
        await PushPreference.create(member=member, quiet_start="00:00", quiet_end="00:00")


async def assigned_reviews(round_: Round) -> dict[int, list[int]]:
    assigned: dict[int, list[int]] = {}
    rows = await Review.filter(round_id=round_.id, is_judgement=False).order_by("id")
    for review in rows:
        assigned.setdefault(review.reviewer_id, []).append(review.id)  # type: ignore[attr-defined]
    return assigned


async def check(data_dir: Path) -> dict[str, Any]:
    """Standings, entry scores and awards as saved, against a recompute from the reviews."""
    with tempfile.TemporaryDirectory(prefix="league-check-") as scratch:
        copy = Path(scratch) / "league.db"
        with closing(sqlite3.connect(data_dir / "league.db", timeout=30)) as live:
            with closing(sqlite3.connect(copy)) as target:
                live.backup(target)
        return await check_database(
            Settings(data_dir=Path(scratch), secret_key="check", database_setup="none")
        )


async def check_database(settings: Settings) -> dict[str, Any]:
    async with open_database(settings.database_url, "none"):
        return await compare_with_recompute(create_app(settings).state.services)


async def compare_with_recompute(app_services: dict[str, Any]) -> dict[str, Any]:
    saved_scores = await entry_scores()
    saved = [await snapshot(season.id) for season in await Season.all().order_by("id")]
    scored = (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED, RoundState.RESULTS)
    for round_ in await Round.filter(state__in=scored).order_by("season_id", "number"):
        await score_round(round_.id)
    weights = PointsWeights.from_settings(app_services["settings"])
    for season in await Season.all().order_by("id"):
        await standings.rebuild_season(season.id, weights, app_services["reactions"])
    recomputed = [await snapshot(season.id) for season in await Season.all().order_by("id")]
    return {
        "standings_match": saved == recomputed,
        "scores_match": saved_scores == await entry_scores(),
        "standing_rows": sum(len(season["standings"]) for season in saved),
        "differences": differences(saved, recomputed),
    }


def differences(saved: list[dict[str, Any]], recomputed: list[dict[str, Any]]) -> dict[str, Any]:
    """Per part of the snapshot: how many rows differ, and the first few of each side."""
    found: dict[str, Any] = {}
    for before, after in zip(saved, recomputed, strict=True):
        for part in before:
            rows_before, rows_after = set(map(repr, before[part])), set(map(repr, after[part]))
            only_saved = sorted(rows_before - rows_after)
            only_recomputed = sorted(rows_after - rows_before)
            if only_saved or only_recomputed:
                found[part] = {
                    "rows": len(only_saved) + len(only_recomputed),
                    "saved": only_saved[:3],
                    "recomputed": only_recomputed[:3],
                }
    return found


async def entry_scores() -> list[tuple[Any, ...]]:
    rows = await EntryScore.all().values_list("entry_id", "score", "review_count")
    return sorted((entry, round(score or 0, 6), count) for entry, score, count in rows)


def main(argv: list[str]) -> None:
    command, data_dir = argv[0], Path(argv[1])  # check-database: argv[1] is a URL
    if command == "seed":
        subscriptions = json.loads(Path(argv[3]).read_text()) if len(argv) > 3 else []
        result = asyncio.run(seed(int(argv[2]), subscriptions))
    elif command == "check-database":
        with tempfile.TemporaryDirectory(prefix="league-check-") as scratch:
            settings = Settings(
                data_dir=Path(scratch),
                secret_key="check",
                database_setup="none",
                database_url=argv[1],
            )
            result = asyncio.run(check_database(settings))
    else:
        result = asyncio.run(check(data_dir))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
