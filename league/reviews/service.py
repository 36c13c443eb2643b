"""The reviewer's own reviews: opening rules, the form, drafts and sending.

Services take plain values, never a Request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from league.playbook.drill_service import drill_key_points
from league.playbook.models import Drill
from league.reactions import Reactions
from league.reviews.models import Review, ReviewStatus
from league.reviews.round_scores import refresh_after_review
from league.seasons.models import Round, RoundState, Season
from league.settings import Settings
from league.web.errors import LeagueError
from league.web.templating import local_time

MAX_TEXT_CHARACTERS = 1000
LOWEST_SCORE, HIGHEST_SCORE = 1, 5


class ReviewClosed(LeagueError):
    status = 409


@dataclass
class ReviewInput:
    scores: dict[str, int] = field(default_factory=dict)
    key_points_heard: list[str] = field(default_factory=list)
    kudos: str = ""
    next_rep: str = ""


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


def check_can_review(round_: Round, season: Season, now: datetime) -> None:
    if not is_review_open(round_, now):
        deadline = format_deadline(round_.review_closes_at, season.time_zone)
        raise ReviewClosed(
            f"Reviews for round {round_.number} closed on {deadline}. "
            "Your sent reviews still count."
        )


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
    reactions: Reactions,
) -> Review:
    check_can_review(review.round, review.round.season, now)
    check_complete(data, rubric)
    apply_input(review, data)
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = review.submitted_at or now
    await review.save()
    await refresh_after_review(review.round, review.entry_id, settings, reactions)  # type: ignore[attr-defined]
    return review


async def load_key_points(drill: Drill) -> list[str]:
    return await drill_key_points(drill)
