"""The demo league mid-season: the finished rounds played out, and the coach's side filled in.

Each finished round goes the way a real week does, through the same services: reps submit
real speech clips (seeds/clips, made by seeds/clips/make_clips.py), reviewers are assigned,
peers and the manager score them, the manager picks a clip per drill, and results are
published (points, standings, awards, streaks). Then two months of sales numbers, focus
skills for every rep and last week's 1:1 with Priya. Scores come from a fixed seed, so
every load tells the same story.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from league.accounts.models import Membership, Role
from league.clips.models import Entry, Take
from league.clips.storage import Storage
from league.coaching.focus import set_focus_skills
from league.coaching.importing import preview_import
from league.coaching.metrics_service import list_reps, replace_period
from league.coaching.models import AgreedAction, ExtraPractice, OneOnOne
from league.coaching.packet import monday_of
from league.coaching.skills import load_skill_data, suggest_focus
from league.playbook.models import Drill
from league.reactions import Reactions
from league.reviews.models import CoachPick, Review, ReviewStatus
from league.reviews.round_hooks import close_reviews, open_reviews, publish_results
from league.seasons.models import Round, RoundState, Season
from league.settings import Settings

SEED = 20260302
CLIP_CONTENT_TYPE = "audio/webm"

# How each demo rep speaks, per rubric criterion (1-5), before reviewer noise: everyone has
# strengths, everyone has something to train.
PROFILES: dict[str, dict[str, float]] = {
    "rep1@demo.test": {"clarity": 4.4, "concision": 2.6, "key_points": 3.9, "confidence": 4.1},
    "rep2@demo.test": {"clarity": 3.4, "concision": 3.9, "key_points": 3.1, "confidence": 3.2},
    "rep3@demo.test": {"clarity": 4.2, "concision": 4.0, "key_points": 4.3, "confidence": 4.4},
    "rep4@demo.test": {"clarity": 2.8, "concision": 3.3, "key_points": 2.9, "confidence": 2.6},
    "rep5@demo.test": {"clarity": 3.8, "concision": 3.5, "key_points": 3.6, "confidence": 3.9},
    "rep6@demo.test": {"clarity": 3.1, "concision": 2.9, "key_points": 3.4, "confidence": 3.0},
    "rep7@demo.test": {"clarity": 3.9, "concision": 3.6, "key_points": 3.2, "confidence": 4.2},
    "rep8@demo.test": {"clarity": 3.0, "concision": 3.4, "key_points": 2.7, "confidence": 3.3},
}
DEFAULT_LEVEL = 3.3
# Improvement per round (most improved has a story) and who sat a drill out.
GROWTH = {"rep4@demo.test": 0.45, "rep8@demo.test": 0.3, "rep1@demo.test": -0.1}
SKIPS = {(1, "rep6@demo.test"), (2, "rep8@demo.test"), (3, "rep4@demo.test")}
LATE_REVIEWERS = {"rep6@demo.test"}  # leaves a review unfinished each round

KUDOS = (
    "Strong opening: the first sentence made me want to hear the rest.",
    "You sounded like you believe it. Great pace in the middle.",
    "Clear structure, and the customer example landed.",
    "Loved how you named the buyer's problem before the product.",
    "Confident close, and you kept it inside the time.",
    "Every key point was there, in your own words.",
)
NEXT_REPS = (
    "Cut the second example and finish ten seconds earlier.",
    "End on the question and then stop talking.",
    "Slow down on the number so it sinks in.",
    "Drop the filler at the start and open with the insight.",
    "Name one concrete result a customer got.",
    "Try it once without notes.",
)


def clip_files(seeds_dir: Path) -> list[Path]:
    return sorted((seeds_dir / "clips").glob("*.webm"))


async def play_finished_rounds(
    season: Season, count: int, settings: Settings, storage: Storage, seeds_dir: Path
) -> None:
    """Play rounds 1..count of the season, start to results."""
    chance = random.Random(SEED)
    reps = await Membership.filter(team_id=season.team_id, role=Role.REP).select_related("user")  # type: ignore[attr-defined]
    manager = await Membership.filter(team_id=season.team_id, role=Role.MANAGER).first()  # type: ignore[attr-defined]
    clips = clip_files(seeds_dir)
    quiet = Reactions()  # no server runs while the demo loads: no live view to tell
    for number in range(1, count + 1):
        round_ = await Round.get(season_id=season.id, number=number)
        await submit_entries(round_, reps, clips, storage, settings)
        await Round.filter(id=round_.id).update(state=RoundState.REVIEWING)
        await open_reviews(round_, settings, quiet)
        await score_reviews(round_, reps, chance)
        if manager is not None:
            await judge_and_pick(round_, manager, chance)
        await Round.filter(id=round_.id).update(state=RoundState.REVIEWS_CLOSED)
        await close_reviews(round_, settings, quiet)
        await Round.filter(id=round_.id).update(state=RoundState.RESULTS)
        await publish_results(round_, settings, quiet)


async def submit_entries(
    round_: Round,
    reps: Sequence[Membership],
    clips: Sequence[Path],
    storage: Storage,
    settings: Settings,
) -> None:
    drills = await round_.drills.all().order_by("id")
    for index, rep in enumerate(reps):
        for position, drill in enumerate(drills):
            if position == 1 and (round_.number, rep.user.email) in SKIPS:
                continue
            clip = clips[(drill.id + index) % len(clips)]
            key = f"demo/round-{round_.id}/{rep.id}-{drill.id}.webm"
            await store_clip(storage, clip, key)
            take = await Take.create(
                team_id=round_.team_id,  # type: ignore[attr-defined]
                member=rep,
                drill=drill,
                round=round_,
                storage_key=key,
                content_type=CLIP_CONTENT_TYPE,
                codecs="opus",
                duration_seconds=8.0,
                size_bytes=clip.stat().st_size,
            )
            await Entry.create(
                team_id=round_.team_id,  # type: ignore[attr-defined]
                round=round_,
                drill=drill,
                member=rep,
                take=take,
                submitted_at=round_.opens_at + timedelta(hours=9 + index, minutes=7 * position),
            )


async def store_clip(storage: Storage, clip: Path, key: str) -> None:
    spool = storage.spool_dir() / f"demo-{key.replace('/', '-')}"
    shutil.copyfile(clip, spool)
    await storage.save(key, spool)


def level_for(email: str, criterion: str, round_number: int) -> float:
    base = PROFILES.get(email, {}).get(criterion, DEFAULT_LEVEL)
    return base + GROWTH.get(email, 0.0) * (round_number - 1)


def rubric_scores(
    drill: Drill, email: str, round_number: int, lean: float, chance: random.Random
) -> dict[str, int]:
    return {
        str(criterion["key"]): max(
            1,
            min(
                5,
                round(
                    level_for(email, str(criterion["key"]), round_number)
                    + lean
                    + chance.uniform(-0.6, 0.6)
                ),
            ),
        )
        for criterion in drill.rubric
    }


async def score_reviews(round_: Round, reps: Sequence[Membership], chance: random.Random) -> None:
    """Every assigned peer review filled in on time, except a late reviewer's last one."""
    email_by_id = {rep.id: rep.user.email for rep in reps}
    # Some reviewers lean generous, some strict: calibration has something to correct.
    lean = {rep.id: chance.choice((-0.4, 0.0, 0.0, 0.3, 0.5)) for rep in reps}
    reviews = (
        await Review.filter(round_id=round_.id, is_judgement=False)
        .select_related("entry__drill")
        .order_by("id")
    )
    left_undone: set[int] = set()
    for review in reviews:
        reviewer_id: int = review.reviewer_id  # type: ignore[attr-defined]
        if email_by_id.get(reviewer_id) in LATE_REVIEWERS and reviewer_id not in left_undone:
            left_undone.add(reviewer_id)
            continue
        author = email_by_id.get(review.entry.member_id, "")  # type: ignore[attr-defined]
        review.scores = rubric_scores(
            review.entry.drill, author, round_.number, lean.get(reviewer_id, 0.0), chance
        )
        review.kudos = chance.choice(KUDOS)
        review.next_rep = chance.choice(NEXT_REPS)
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = round_.submit_closes_at + timedelta(hours=chance.randint(2, 40))
        review.helpful = chance.random() < 0.6
        await review.save()


async def judge_and_pick(round_: Round, manager: Membership, chance: random.Random) -> None:
    """The manager judges each drill's entries and picks the best of each as coach's pick."""
    entries = await Entry.filter(round_id=round_.id).select_related("drill", "member__user")
    best: dict[int, tuple[float, Entry]] = {}
    for entry in entries:
        scores = rubric_scores(entry.drill, entry.member.user.email, round_.number, 0.0, chance)
        await Review.create(
            team_id=round_.team_id,  # type: ignore[attr-defined]
            round=round_,
            entry=entry,
            reviewer=manager,
            is_judgement=True,
            status=ReviewStatus.SUBMITTED,
            scores=scores,
            kudos=chance.choice(KUDOS),
            next_rep=chance.choice(NEXT_REPS),
            submitted_at=round_.submit_closes_at + timedelta(hours=20),
        )
        mean = sum(scores.values()) / len(scores)
        if entry.drill.id not in best or mean > best[entry.drill.id][0]:
            best[entry.drill.id] = (mean, entry)
    for drill_id, (_, entry) in best.items():
        await CoachPick.create(
            team_id=round_.team_id,  # type: ignore[attr-defined]
            round=round_,
            drill_id=drill_id,
            entry=entry,
            picked_by=manager,
        )


# --- the coach's side -------------------------------------------------------------------


def previous_months(today: date, count: int) -> list[str]:
    """The `count` months before this one, oldest first, as 2026-03."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(f"{year}-{month:02d}")
    return list(reversed(months))


async def import_demo_metrics(team_id: int, today: date, now: datetime, seeds_dir: Path) -> None:
    files = sorted((seeds_dir / "metrics").glob("month_*.csv"))
    reps = await list_reps(team_id)
    for period, path in zip(previous_months(today, len(files)), files, strict=True):
        preview = preview_import(path.read_bytes(), reps)
        assert preview.is_ready, f"{path.name}: {preview.problems}"
        await replace_period(team_id, period, preview.rows, now)


async def set_demo_focus_skills(season: Season) -> None:
    """Each rep's focus skills: the first two suggestions from their scores."""
    data = await load_skill_data(season.id)
    reps = await Membership.filter(team_id=season.team_id, role=Role.REP)  # type: ignore[attr-defined]
    for rep in reps:
        picks = [f"{s.kind}:{s.key}" for s in suggest_focus(data, rep.id, limit=2)]
        if picks:
            await set_focus_skills(rep, season, picks)


async def hold_last_weeks_one_on_one(team_id: int, today: date) -> None:
    """Last week's 1:1 with Priya: notes, two agreed actions (one done) and a drill to practise."""
    priya = await Membership.get(team_id=team_id, user__email="rep1@demo.test")
    one_on_one = await OneOnOne.create(
        team_id=team_id,
        member=priya,
        week_of=monday_of(today) - timedelta(days=7),
        notes="Great energy on the value prop. Wants to tighten the middle of her pitches.",
    )
    await AgreedAction.create(
        one_on_one=one_on_one, text="Record the value prop in under 25 seconds", done=True
    )
    await AgreedAction.create(
        one_on_one=one_on_one, text="Ask for a next meeting on every discovery call"
    )
    taken = await Take.filter(member_id=priya.id).values_list("drill_id", flat=True)
    drill = await Drill.filter(team_id=team_id).exclude(id__in=list(taken)).order_by("id").first()
    if drill is not None:
        await ExtraPractice.create(
            team_id=team_id,
            member=priya,
            drill=drill,
            skill="Concision",
            assigned_at=datetime.combine(one_on_one.week_of, time(12), UTC),
        )
