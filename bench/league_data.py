"""Build a team of N reps with R weekly rounds and three reviews per entry, for benchmarks.

Rows that are plain input (people, takes, entries, the reviewers' scores) are bulk-inserted;
everything derived goes through the app's own services and round hooks: reviewer
assignment, entry scores and leniency sums, points, the season table and awards. The last
round is left in review with `unsent` reviews still to send.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from league.accounts.models import Membership, Organisation, Role, Team, User
from league.accounts.passwords import hash_password
from league.clips.models import Entry, Take
from league.db import open_database
from league.jobs.cpu_pool import CpuPool
from league.jobs.service import JobContext
from league.playbook.models import Drill
from league.playbook.rubric import default_rubric
from league.reactions import Reactions
from league.reviews.models import MARK_FIELDS, Review, ReviewStatus
from league.reviews.round_hooks import react_to_round_state
from league.seasons.hooks import run_round_hooks
from league.seasons.models import Round, RoundState, Season
from league.settings import Settings

PASSWORD = "practice-bench"
ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = Path(tempfile.gettempdir()) / "league-bench-cache"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


@dataclass
class BuiltLeague:
    team_id: int
    season_id: int
    manager_id: int
    rep_ids: list[int]
    round_ids: list[int]
    seconds: float


def bench_reactions() -> Reactions:
    """Outside the app (no create_app), a round change runs the reviews feature's hook only:
    reviewer assignment, scores, points and awards are what the data needs."""
    return Reactions(round_hooks=[react_to_round_state])


async def build_league(reps: int, rounds: int, settings: Settings, seed: int = 1) -> BuiltLeague:
    started = time.perf_counter()
    rng = random.Random(seed)
    organisation = await Organisation.create(name=f"Bench {reps}")
    team = await Team.create(organisation=organisation, name=f"Team {reps}", time_zone="UTC")
    password = hash_password(PASSWORD)
    manager = await add_people(team, [("manager", Role.MANAGER)], password)
    rep_ids = await add_people(team, [(f"rep{i}", Role.REP) for i in range(1, reps + 1)], password)
    drill = await Drill.create(
        team=team, title="Competitor objection", prompt="Say it.", rubric=default_rubric()
    )
    season = await Season.create(
        team=team, name="Bench season", starts_on=START.date(), round_count=rounds, time_zone="UTC"
    )
    leniency = {member: rng.uniform(-0.8, 0.8) for member in rep_ids}
    round_ids = []
    for number in range(1, rounds + 1):
        round_ = await add_round(season, drill, number)
        round_ids.append(round_.id)
        await add_entries(round_, drill, rep_ids, rng)
        await move(round_, RoundState.REVIEWING, settings)
        last = number == rounds
        await send_reviews(round_, drill, leniency, rng, keep_unsent=60 if last else 0)
        if not last:
            await move(round_, RoundState.REVIEWS_CLOSED, settings)
            await move(round_, RoundState.RESULTS, settings)
        else:
            from league.reviews.round_scores import refresh_round

            await refresh_round(round_.id, settings, bench_reactions())
    return BuiltLeague(
        team.id, season.id, manager[0], rep_ids, round_ids, time.perf_counter() - started
    )


async def add_people(team: Team, people: list[tuple[str, Role]], password: str) -> list[int]:
    users = [
        User(email=f"{handle}.{team.id}@bench.test", name=handle.title(), password_hash=password)
        for handle, _ in people
    ]
    await User.bulk_create(users)
    emails = [user.email for user in users]
    ids = dict(await User.filter(email__in=emails).values_list("email", "id"))
    await Membership.bulk_create(
        [
            Membership(
                user_id=ids[user.email],
                organisation_id=team.organisation_id,  # type: ignore[attr-defined]
                team_id=team.id,
                role=role,
            )
            for user, (_, role) in zip(users, people, strict=True)
        ]
    )
    rows = await Membership.filter(user_id__in=list(ids.values())).order_by("id")
    return [row.id for row in rows]


async def add_round(season: Season, drill: Drill, number: int) -> Round:
    opens = START + WEEK * (number - 1)
    round_ = await Round.create(
        season=season,
        team_id=season.team_id,  # type: ignore[attr-defined]
        number=number,
        state=RoundState.OPEN,
        opens_at=opens,
        submit_closes_at=opens + timedelta(days=2),
        review_closes_at=opens + timedelta(days=4),
        results_at=opens + timedelta(days=6),
    )
    await round_.drills.add(drill)
    return round_


async def add_entries(round_: Round, drill: Drill, rep_ids: list[int], rng: random.Random) -> None:
    takes = [
        Take(
            team_id=round_.team_id,  # type: ignore[attr-defined]
            member_id=member,
            drill_id=drill.id,
            round_id=round_.id,
            storage_key=f"bench/{round_.id}/{member}.webm",
            content_type="audio/webm",
            codecs="opus",
            duration_seconds=30.0,
            size_bytes=30_000,
        )
        for member in rep_ids
        if rng.random() < 0.9
    ]
    await Take.bulk_create(takes)
    saved = await Take.filter(round_id=round_.id).values_list("id", "member_id")
    await Entry.bulk_create(
        [
            Entry(
                team_id=round_.team_id,  # type: ignore[attr-defined]
                round_id=round_.id,
                drill_id=drill.id,
                member_id=member,
                take_id=take,
                submitted_at=round_.opens_at + timedelta(minutes=rng.randint(5, 2000)),
            )
            for take, member in saved
        ]
    )


async def send_reviews(
    round_: Round, drill: Drill, leniency: dict[int, float], rng: random.Random, keep_unsent: int
) -> None:
    """Fill in the assigned reviews as their reviewers would (scores, kudos, sent)."""
    reviews = await Review.filter(round_id=round_.id, is_judgement=False).order_by("id")
    sent = reviews[: len(reviews) - keep_unsent]
    truth: dict[int, float] = {}
    for review in sent:
        quality = truth.setdefault(review.entry_id, rng.uniform(2.0, 4.2))  # type: ignore[attr-defined]
        lean = leniency.get(review.reviewer_id, 0.0)  # type: ignore[attr-defined]
        review.scores = {
            str(c["key"]): min(5, max(1, round(quality + lean + rng.gauss(0, 0.4))))
            for c in drill.rubric
        }
        review.kudos = "Clear opener, and the question landed well."
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = round_.submit_closes_at + timedelta(hours=rng.randint(1, 40))
        review.keep_marks()
    if sent:
        answers = ("scores", "kudos", "status", "submitted_at", *MARK_FIELDS)
        await Review.bulk_update(sent, answers)


async def move(
    round_: Round, state: RoundState, settings: Settings, pool: CpuPool | None = None
) -> None:
    round_.state = state
    await round_.save(update_fields=["state"])
    now = {
        RoundState.REVIEWING: round_.submit_closes_at,
        RoundState.REVIEWS_CLOSED: round_.review_closes_at,
        RoundState.RESULTS: round_.results_at,
    }[state]
    services = {"settings": settings, "reactions": bench_reactions(), "cpu_pool": pool}
    context = JobContext(now=now, services=services)
    await run_round_hooks(round_, state, context)


def code_version() -> str:
    """A hash of the app's code and this builder: a cached database from other code is stale."""
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("league/**/*.py"), Path(__file__)]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@asynccontextmanager
async def open_league(reps: int, rounds: int, settings: Settings) -> AsyncIterator[BuiltLeague]:
    """Open `settings`' database holding a built league, copied from the cache when the same
    code built one before (building 500 reps takes about a minute on two cores). On
    PostgreSQL the league is built in place, in the (empty) database `settings` names."""
    if settings.database_url.startswith("postgres"):
        async with open_database(settings.database_url, "migrate"):
            league = await build_league(reps, rounds, settings)
            print(f"built {reps} reps x {rounds} rounds on PostgreSQL in {league.seconds:.1f} s")
            yield league
        return
    cached = CACHE_DIR / f"{reps}x{rounds}-{code_version()}.db"
    if not cached.exists():
        CACHE_DIR.mkdir(exist_ok=True)
        # A name of this process's own: two benchmarks started together each build their
        # copy, and each rename swaps in a complete database.
        building = cached.with_suffix(f".building-{os.getpid()}")
        building.unlink(missing_ok=True)
        async with open_database(f"sqlite://{building}", "generate"):
            league = await build_league(reps, rounds, settings)
        building.rename(cached)
        print(f"built {reps} reps x {rounds} rounds in {league.seconds:.1f} s -> {cached}")
    target = settings.data_dir / "league.db"
    shutil.copyfile(cached, target)
    async with open_database(f"sqlite://{target}?synchronous=NORMAL", "none"):
        yield await find_league(reps)


async def find_league(reps: int) -> BuiltLeague:
    team = await Team.get(name=f"Team {reps}")
    season = await Season.get(team_id=team.id)
    people = await Membership.filter(team_id=team.id).order_by("id").values_list("id", "role")
    rounds = await Round.filter(season_id=season.id).order_by("number").values_list("id", flat=True)
    return BuiltLeague(
        team.id,
        season.id,
        next(int(i) for i, role in people if role == Role.MANAGER),
        [int(i) for i, role in people if role == Role.REP],
        [int(i) for i in rounds],  # type: ignore[call-overload]
        0.0,
    )
