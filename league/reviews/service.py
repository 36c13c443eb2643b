"""Assigning, writing, judging and scoring reviews. Services take plain values, never a Request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.live import events as live_events
from league.playbook.models import Drill
from league.playbook.service import drill_key_points
from league.reviews.assignment import EntryToAssign, assign_reviewers
from league.reviews.flags import Flag, ReviewFacts, find_flags
from league.reviews.models import CoachPick, EntryScore, Review, ReviewStatus
from league.reviews.scoring import (
    CriterionScores,
    Rating,
    calibrate,
    calibrate_criteria,
    overall_score,
    score_spread,
)
from league.seasons.models import Round, RoundState, Season
from league.settings import Settings
from league.standings import service as standings
from league.standings.points import PointsWeights
from league.web.errors import LeagueError
from league.web.templating import local_time

MAX_TEXT_CHARACTERS = 1000
LOWEST_SCORE, HIGHEST_SCORE = 1, 5
JUDGING_STATES = (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED)
PICKING_STATES = (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED, RoundState.RESULTS)


class ReviewClosed(LeagueError):
    status = 409


@dataclass
class ReviewInput:
    scores: dict[str, int] = field(default_factory=dict)
    key_points_heard: list[str] = field(default_factory=list)
    kudos: str = ""
    next_rep: str = ""


# --- Assignment -----------------------------------------------------------------------


async def assign_round(round_id: int, per_entry: int) -> int:
    """Give every entry of the round its peer reviewers. Returns how many were assigned.

    Idempotent: a round that already has assignments is left as it is, so a retried job
    (or a second worker) never reshuffles reviews people may have started.
    """
    round_ = await Round.get(id=round_id)
    if await Review.exists(round_id=round_id, is_judgement=False):
        return 0
    entries = await Entry.filter(round_id=round_id, withdrawn_at=None).order_by("id")
    reviewers = await list_reviewer_ids(round_.team_id)  # type: ignore[attr-defined]
    to_assign = [EntryToAssign(entry.id, entry.member_id) for entry in entries]  # type: ignore[attr-defined]
    assignment = assign_reviewers(
        to_assign, reviewers, per_entry, seed=round_id, history=await load_pair_history(round_)
    )
    async with in_transaction():
        for entry in entries:
            for reviewer_id in assignment[entry.id]:
                await Review.create(
                    team_id=round_.team_id,  # type: ignore[attr-defined]
                    round_id=round_id,
                    entry_id=entry.id,
                    reviewer_id=reviewer_id,
                )
    return sum(len(reviewers) for reviewers in assignment.values())


async def list_reviewer_ids(team_id: int) -> list[int]:
    """Every active rep reviews, including late joiners and those who did not submit:
    listening is practice too. Managers judge instead."""
    ids: list[Any] = await Membership.filter(
        team_id=team_id, role=Role.REP, is_active=True
    ).values_list("id", flat=True)
    return sorted(int(member_id) for member_id in ids)


async def load_pair_history(round_: Round) -> dict[tuple[int, int], int]:
    """How often each reviewer reviewed each author in the team's earlier rounds."""
    pairs = await Review.filter(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        is_judgement=False,
        round__opens_at__lt=round_.opens_at,
    ).values_list("reviewer_id", "entry__member_id")
    history: dict[tuple[int, int], int] = defaultdict(int)
    for reviewer_id, author_id in pairs:
        history[(int(reviewer_id), int(author_id))] += 1
    return dict(history)


# --- Reading and writing a review ------------------------------------------------------


def is_blind(round_: Round, season: Season) -> bool:
    """Authors stay anonymous to reviewers until results, unless the season says otherwise."""
    return season.blind_reviews and round_.state != RoundState.RESULTS


async def set_blind_reviews(season: Season, blind: bool) -> Season:
    """Hide (or show) authors' names to the season's reviewers. Takes effect on the next page
    load, also for rounds already in review; names are always shown once results are out."""
    season.blind_reviews = blind
    await season.save(update_fields=["blind_reviews"])
    return season


def format_deadline(moment: datetime, time_zone: str) -> str:
    return local_time(moment, time_zone, "%a %d %b %H:%M")


def is_review_open(round_: Round, now: datetime) -> bool:
    return round_.state == RoundState.REVIEWING and now < round_.review_closes_at


def is_judging_open(round_: Round, now: datetime) -> bool:
    return round_.state in JUDGING_STATES and now < round_.results_at


def check_can_review(round_: Round, season: Season, now: datetime) -> None:
    if not is_review_open(round_, now):
        deadline = format_deadline(round_.review_closes_at, season.time_zone)
        raise ReviewClosed(
            f"Reviews for round {round_.number} closed on {deadline}. "
            "Your sent reviews still count."
        )


def check_can_judge(round_: Round, season: Season, now: datetime) -> None:
    if not is_judging_open(round_, now):
        deadline = format_deadline(round_.results_at, season.time_zone)
        raise ReviewClosed(f"Judging for round {round_.number} closed at results, {deadline}.")


def parse_review_form(
    values: Mapping[str, str],
    heard: Sequence[str],
    rubric: Sequence[Mapping[str, object]],
    key_points: Sequence[str],
) -> ReviewInput:
    """Read the form: `score_<criterion key>` 1-5, `key_point` ticks, kudos and next rep.

    Unknown criteria and key points are ignored; out-of-range scores are refused.
    """
    scores: dict[str, int] = {}
    for criterion in rubric:
        key = str(criterion["key"])
        raw = values.get(f"score_{key}", "").strip()
        if not raw:
            continue
        if raw not in {str(level) for level in range(LOWEST_SCORE, HIGHEST_SCORE + 1)}:
            raise LeagueError(f"Scores for “{criterion['name']}” go from 1 to 5.", status=422)
        scores[key] = int(raw)
    kudos = values.get("kudos", "").strip()
    next_rep = values.get("next_rep", "").strip()
    if len(kudos) > MAX_TEXT_CHARACTERS or len(next_rep) > MAX_TEXT_CHARACTERS:
        raise LeagueError("Keep the kudos and next rep under 1,000 characters each.", status=422)
    ticked = [point for point in key_points if point in set(heard)]
    return ReviewInput(scores=scores, key_points_heard=ticked, kudos=kudos, next_rep=next_rep)


def check_complete(data: ReviewInput, rubric: Sequence[Mapping[str, object]]) -> None:
    missing = [str(c["name"]) for c in rubric if str(c["key"]) not in data.scores]
    if missing:
        raise LeagueError(f"Tap a score for {', '.join(missing)} to send the review.", status=422)
    if not data.kudos:
        raise LeagueError("Write one kudos: what worked in this clip?", status=422)


def apply_input(review: Review, data: ReviewInput) -> None:
    review.scores = data.scores
    review.key_points_heard = data.key_points_heard
    review.kudos = data.kudos
    review.next_rep = data.next_rep


async def save_draft(review: Review, data: ReviewInput, now: datetime) -> Review:
    """Keep what the reviewer typed so far. A sent review only changes through submit."""
    check_can_review(review.round, review.round.season, now)
    if review.status == ReviewStatus.SUBMITTED:
        raise ReviewClosed("This review is already sent: press Update review to change it.")
    apply_input(review, data)
    review.status = ReviewStatus.DRAFT
    await review.save()
    return review


async def submit_review(
    review: Review,
    data: ReviewInput,
    rubric: Sequence[Mapping[str, object]],
    now: datetime,
    settings: Settings,
) -> Review:
    check_can_review(review.round, review.round.season, now)
    check_complete(data, rubric)
    apply_input(review, data)
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = review.submitted_at or now
    await review.save()
    await refresh_round(review.round_id, settings)  # type: ignore[attr-defined]
    return review


async def next_review_id(member: Membership, after_review_id: int) -> int | None:
    """The next review in the member's queue still waiting for them."""
    waiting = await list_waiting(member.id)
    later = [review.id for review in waiting if review.id != after_review_id]
    return later[0] if later else None


async def list_waiting(member_id: int) -> list[Review]:
    return await Review.filter(
        reviewer_id=member_id,
        is_judgement=False,
        round__state=RoundState.REVIEWING,
        status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT],
        entry__withdrawn_at=None,
    ).order_by("round_id", "id")


async def load_key_points(drill: Drill) -> list[str]:
    return await drill_key_points(drill)


# --- The reviewer's queue ----------------------------------------------------------------


@dataclass
class QueueItem:
    review: Review
    number: int  # "Clip 2" when the author is hidden
    author_name: str | None
    drill_title: str

    @property
    def is_done(self) -> bool:
        return self.review.status == ReviewStatus.SUBMITTED


@dataclass
class Queue:
    items: list[QueueItem]
    due: datetime | None
    time_zone: str

    @property
    def waiting(self) -> int:
        return sum(1 for item in self.items if not item.is_done)


async def list_queue(member: Membership) -> Queue:
    reviews = (
        await Review.filter(
            reviewer_id=member.id,
            is_judgement=False,
            round__state=RoundState.REVIEWING,
            entry__withdrawn_at=None,
        )
        .select_related("entry__drill", "entry__member__user", "round__season")
        .order_by("round_id", "id")
    )
    items = [
        QueueItem(
            review=review,
            number=number,
            author_name=None
            if is_blind(review.round, review.round.season)
            else review.entry.member.user.name,
            drill_title=review.entry.drill.title,
        )
        for number, review in enumerate(reviews, start=1)
    ]
    due = min((review.round.review_closes_at for review in reviews), default=None)
    zone = reviews[0].round.season.time_zone if reviews else member.team.time_zone
    return Queue(items=items, due=due, time_zone=zone)


async def clip_number(review: Review) -> int:
    """The review's place in its reviewer's list for the round, so blind clips have names."""
    ids: list[Any] = (
        await Review.filter(
            reviewer_id=review.reviewer_id,  # type: ignore[attr-defined]
            round_id=review.round_id,  # type: ignore[attr-defined]
            is_judgement=False,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    return [int(review_id) for review_id in ids].index(review.id) + 1


# --- Scores ----------------------------------------------------------------------------


async def refresh_round(round_id: int, settings: Settings) -> None:
    """After a review changes: that round's entry scores, then its provisional points."""
    await score_round(round_id)
    await standings.update_round_points(round_id, PointsWeights.from_settings(settings))


async def score_round(round_id: int) -> list[EntryScore]:
    """Recompute the calibrated scores of this round's entries.

    Reviewer biases are estimated from this round and the season's earlier rounds (more
    reviews per person, steadier estimates). Earlier rounds' scores are not rewritten.
    """
    round_ = await Round.get(id=round_id)
    reviews = await Review.filter(
        round__season_id=round_.season_id,  # type: ignore[attr-defined]
        round__number__lte=round_.number,
        status=ReviewStatus.SUBMITTED,
        entry__withdrawn_at=None,
    ).select_related("entry")
    rubrics = await load_rubrics({review.entry.drill_id for review in reviews})  # type: ignore[attr-defined]
    overall = {
        review.id: overall_score(review.scores, rubrics.get(review.entry.drill_id, []))  # type: ignore[attr-defined]
        for review in reviews
    }
    calibration = calibrate(
        [
            Rating(review.entry_id, review.reviewer_id, score, review.is_judgement)  # type: ignore[attr-defined]
            for review in reviews
            if (score := overall[review.id]) is not None
        ]
    )
    entries = await Entry.filter(round_id=round_id, withdrawn_at=None).order_by("id")
    assigned = await count_assigned(round_id)
    by_entry: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        by_entry[review.entry_id].append(review)  # type: ignore[attr-defined]
    async with in_transaction():
        return [
            await save_entry_score(
                entry,
                by_entry[entry.id],
                overall,
                calibration.scores,
                calibration.biases,
                calibration.plain_means,
                assigned.get(entry.id, 0),
            )
            for entry in entries
        ]


async def load_rubrics(drill_ids: set[int]) -> dict[int, list[dict[str, object]]]:
    drills = await Drill.filter(id__in=list(drill_ids))
    return {drill.id: drill.rubric for drill in drills}


async def count_assigned(round_id: int) -> dict[int, int]:
    entry_ids = await Review.filter(round_id=round_id, is_judgement=False).values_list(
        "entry_id", flat=True
    )
    counts: dict[int, int] = defaultdict(int)
    for entry_id in entry_ids:
        counts[int(str(entry_id))] += 1
    return counts


async def save_entry_score(
    entry: Entry,
    reviews: Sequence[Review],
    overall: Mapping[int, float | None],
    scores: Mapping[int, float],
    biases: Mapping[int, float],
    plain_means: Mapping[int, float],
    assigned: int,
) -> EntryScore:
    peer_scores = [
        value
        for review in reviews
        if not review.is_judgement and (value := overall[review.id]) is not None
    ]
    required = max(1, assigned)
    values = {
        "team_id": entry.team_id,  # type: ignore[attr-defined]
        "round_id": entry.round_id,  # type: ignore[attr-defined]
        "score": round(scores[entry.id], 3) if entry.id in scores else None,
        "plain_mean": round(plain_means[entry.id], 3) if entry.id in plain_means else None,
        "review_count": len(reviews),
        "required_reviews": required,
        "is_provisional": len(reviews) < required,
        "spread": round(score_spread(peer_scores), 3),
        "per_criterion": calibrate_criteria(
            [
                CriterionScores(review.reviewer_id, review.is_judgement, review.scores)  # type: ignore[attr-defined]
                for review in reviews
            ],
            biases,
        ),
    }
    score, created = await EntryScore.get_or_create(entry_id=entry.id, defaults=values)
    if not created:
        await score.update_from_dict(values).save()
    return score


# --- Judging ---------------------------------------------------------------------------


@dataclass
class JudgingItem:
    entry: Entry
    score: EntryScore | None
    judgement: Review | None
    is_pick: bool

    @property
    def is_judged(self) -> bool:
        return self.judgement is not None and self.judgement.status == ReviewStatus.SUBMITTED

    @property
    def spread(self) -> float:
        return self.score.spread if self.score else 0.0


async def list_judging_queue(round_: Round) -> list[JudgingItem]:
    """Where reviewers disagree most first, then unjudged entries before judged ones.

    A judgement settles an entry's disagreement, so judged entries follow every unjudged
    one (in the same order among themselves)."""
    entries = (
        await Entry.filter(round_id=round_.id, withdrawn_at=None)
        .select_related("drill", "member__user")
        .order_by("id")
    )
    scores = {s.entry_id: s for s in await EntryScore.filter(round_id=round_.id)}  # type: ignore[attr-defined]
    judgements = {
        review.entry_id: review  # type: ignore[attr-defined]
        for review in await Review.filter(round_id=round_.id, is_judgement=True)
    }
    picks = await list_pick_ids(round_.id)
    items = [
        JudgingItem(entry, scores.get(entry.id), judgements.get(entry.id), entry.id in picks)
        for entry in entries
    ]
    return sorted(items, key=lambda item: (item.is_judged, -item.spread, item.entry.id))


async def latest_judging_round(coach: Membership) -> Round | None:
    """The coach's team's round being judged now, else the one with the latest results."""
    rounds = Round.filter(team_id=coach.team_id).select_related("season")  # type: ignore[attr-defined]
    current = await rounds.filter(state__in=JUDGING_STATES).order_by("-submit_closes_at").first()
    if current is not None:
        return current
    return await rounds.filter(state=RoundState.RESULTS).order_by("-results_at").first()


async def list_pick_ids(round_id: int) -> set[int]:
    ids: list[Any] = await CoachPick.filter(round_id=round_id).values_list("entry_id", flat=True)
    return {int(entry_id) for entry_id in ids}


async def find_judgement(coach: Membership, entry: Entry) -> Review:
    """The coach's judgement of the entry, or a new unsaved one."""
    existing = await Review.get_or_none(entry_id=entry.id, reviewer_id=coach.id)
    if existing is not None:
        return existing
    return Review(
        team_id=entry.team_id,  # type: ignore[attr-defined]
        round_id=entry.round_id,  # type: ignore[attr-defined]
        entry_id=entry.id,
        reviewer_id=coach.id,
        is_judgement=True,
        status=ReviewStatus.ASSIGNED,
    )


async def save_judgement(
    coach: Membership,
    entry: Entry,
    data: ReviewInput,
    now: datetime,
    settings: Settings,
    submit: bool,
) -> Review:
    check_can_judge(entry.round, entry.round.season, now)
    judgement = await find_judgement(coach, entry)
    judgement.is_judgement = True
    if submit:
        check_complete(data, entry.drill.rubric)
        judgement.status = ReviewStatus.SUBMITTED
        judgement.submitted_at = judgement.submitted_at or now
    elif judgement.status != ReviewStatus.SUBMITTED:
        judgement.status = ReviewStatus.DRAFT
    apply_input(judgement, data)
    await judgement.save()
    if submit:
        await refresh_round(entry.round_id, settings)  # type: ignore[attr-defined]
    return judgement


async def pick_entry(coach: Membership, entry: Entry) -> CoachPick:
    """Make the entry its drill's coach's pick for the round (replacing an earlier pick)."""
    round_ = entry.round
    if round_.state not in PICKING_STATES:
        raise ReviewClosed("Pick the coach's pick once submissions have closed.")
    pick, created = await CoachPick.get_or_create(
        round_id=round_.id,
        drill_id=entry.drill_id,  # type: ignore[attr-defined]
        defaults={"team_id": entry.team_id, "entry_id": entry.id, "picked_by_id": coach.id},  # type: ignore[attr-defined]
    )
    if not created:
        pick.entry_id = entry.id  # type: ignore[attr-defined]
        pick.picked_by_id = coach.id  # type: ignore[attr-defined]
        await pick.save()
    await live_events.publish_team_change(entry.team_id, "coach_pick")  # type: ignore[attr-defined]
    return pick


# --- Reveal and flags -------------------------------------------------------------------


@dataclass
class AssignmentRow:
    review: Review
    reviewer_name: str
    author_name: str
    drill_title: str
    overall: float | None
    flags: list[str]


async def list_assignments(round_: Round) -> list[AssignmentRow]:
    """Who reviewed whom in the round, with any flags on each review."""
    reviews = (
        await Review.filter(round_id=round_.id, is_judgement=False)
        .select_related("reviewer__user", "entry__member__user", "entry__drill")
        .order_by("reviewer_id", "id")
    )
    flags = await find_round_flags(round_)
    labels: dict[int, list[str]] = defaultdict(list)
    for flag in flags:
        for review_id in flag.review_ids:
            labels[review_id].append(flag.kind.label)
    return [
        AssignmentRow(
            review=review,
            reviewer_name=review.reviewer.user.name,
            author_name=review.entry.member.user.name,
            drill_title=review.entry.drill.title,
            overall=overall_score(review.scores, review.entry.drill.rubric)
            if review.status == ReviewStatus.SUBMITTED
            else None,
            flags=labels.get(review.id, []),
        )
        for review in reviews
    ]


async def find_round_flags(round_: Round) -> list[Flag]:
    """Flags on this round's submitted peer reviews. "Always top marks for each other" looks
    at the whole season so far, so one generous round between friends is not flagged alone."""
    reviews = await Review.filter(
        round__season_id=round_.season_id,  # type: ignore[attr-defined]
        round__number__lte=round_.number,
        is_judgement=False,
        status=ReviewStatus.SUBMITTED,
    ).select_related("entry")
    facts = [
        ReviewFacts(
            review.id,
            review.reviewer_id,  # type: ignore[attr-defined]
            review.entry.member_id,  # type: ignore[attr-defined]
            review.scores,
            review.kudos,  # type: ignore[attr-defined]
        )
        for review in reviews
    ]
    this_round = {review.id for review in reviews if review.round_id == round_.id}  # type: ignore[attr-defined]
    return [flag for flag in find_flags(facts) if this_round & set(flag.review_ids)]


async def describe_flags(round_: Round) -> list[tuple[str, list[str]]]:
    """(flag label, names involved) for the manager's overview."""
    flags = await find_round_flags(round_)
    names = dict(
        await Membership.filter(
            id__in={member for flag in flags for member in flag.member_ids}
        ).values_list("id", "user__name")
    )
    return [(flag.kind.label, [str(names[m]) for m in flag.member_ids]) for flag in flags]


# --- Feedback for the author --------------------------------------------------------------


@dataclass
class FeedbackEntry:
    entry: Entry
    score: EntryScore | None
    reviews: list[Review]
    is_pick: bool


async def list_feedback(member: Membership, round_: Round) -> list[FeedbackEntry]:
    """The member's entries in a round with the reviews they got (after results only)."""
    if round_.state != RoundState.RESULTS:
        return []
    entries = (
        await Entry.filter(round_id=round_.id, member_id=member.id, withdrawn_at=None)
        .select_related("drill")
        .order_by("id")
    )
    picks = await list_pick_ids(round_.id)
    feedback = []
    for entry in entries:
        reviews = await Review.filter(entry_id=entry.id, status=ReviewStatus.SUBMITTED).order_by(
            "-is_judgement", "submitted_at", "id"
        )
        score = await EntryScore.get_or_none(entry_id=entry.id)
        feedback.append(FeedbackEntry(entry, score, reviews, entry.id in picks))
    return feedback


async def latest_results_round(member: Membership) -> Round | None:
    return (
        await Round.filter(team_id=member.team_id, state=RoundState.RESULTS)  # type: ignore[attr-defined]
        .order_by("-results_at", "-id")
        .select_related("season")
        .first()
    )


async def mark_helpful(review: Review, helpful: bool, settings: Settings) -> Review:
    """The author says whether a peer review helped; it counts toward the reviewer's points."""
    if review.round.state != RoundState.RESULTS:
        raise ReviewClosed("You can mark reviews helpful once the results are out.")
    if review.is_judgement or review.status != ReviewStatus.SUBMITTED:
        raise LeagueError("Only teammates' sent reviews can be marked helpful.", status=422)
    review.helpful = helpful
    await review.save(update_fields=["helpful", "updated_at"])
    await standings.update_round_points(
        review.round_id,  # type: ignore[attr-defined]
        PointsWeights.from_settings(settings),
    )
    return review


# --- Round hooks ------------------------------------------------------------------------


async def open_reviews(round_: Round, settings: Settings) -> None:
    """Submissions closed: assign reviewers and show every entry as provisional."""
    await assign_round(round_.id, settings.reviewers_per_entry)
    await refresh_round(round_.id, settings)


async def close_reviews(round_: Round, settings: Settings) -> None:
    await refresh_round(round_.id, settings)


async def publish_results(round_: Round, settings: Settings) -> None:
    await score_round(round_.id)
    await standings.finalise_round(round_.id, PointsWeights.from_settings(settings))
