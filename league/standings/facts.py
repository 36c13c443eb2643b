"""The facts a round's points and awards are worked out from, read from its entries and reviews.

Who took part, each entry's calibrated score, the reviews each member sent on time, and
each member's earlier rounds (for the baseline and the streak). Both the write path
(`service`) and the live race (`league.live`) start here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.reviews.flags import is_short_text
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.seasons.models import Round
from league.standings.models import RoundPoints
from league.standings.points import RoundFacts, extend_streak, find_baseline


async def gather_round_facts(round_: Round) -> list[RoundFacts]:
    entries = await Entry.filter(round_id=round_.id, withdrawn_at=None).order_by("id")
    reviews = await Review.filter(
        round_id=round_.id, is_judgement=False, status=ReviewStatus.SUBMITTED
    )
    members = await list_round_members(round_, entries, reviews)
    scores = {
        score.entry_id: score  # type: ignore[attr-defined]
        for score in await EntryScore.filter(entry_id__in=[entry.id for entry in entries])
    }
    history = await load_history(round_, [member.id for member in members])
    return [
        build_facts(round_, member, entries, reviews, scores, history.get(member.id, []))
        for member in members
    ]


async def list_round_members(
    round_: Round, entries: Sequence[Entry], reviews: Sequence[Review]
) -> list[Membership]:
    """Active reps, plus anyone who took part this round (a manager's entry, a leaver)."""
    ids = {entry.member_id for entry in entries}  # type: ignore[attr-defined]
    ids |= {review.reviewer_id for review in reviews}  # type: ignore[attr-defined]
    ids |= set(await RoundPoints.filter(round_id=round_.id).values_list("member_id", flat=True))
    members = await Membership.filter(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        role=Role.REP,
        is_active=True,
    ).select_related("user")
    known = {member.id for member in members}
    extra = await Membership.filter(id__in=ids - known).select_related("user")
    return sorted([*members, *extra], key=lambda member: member.id)


async def load_history(round_: Round, member_ids: list[int]) -> dict[int, list[RoundPoints]]:
    """Each member's points rows from the team's earlier rounds, oldest first."""
    rows = (
        await RoundPoints.filter(
            member_id__in=member_ids,
            team_id=round_.team_id,  # type: ignore[attr-defined]
            round__opens_at__lt=round_.opens_at,
        )
        .select_related("round")
        .order_by("round__opens_at", "round_id")
    )
    history: dict[int, list[RoundPoints]] = defaultdict(list)
    for row in rows:
        history[row.member_id].append(row)  # type: ignore[attr-defined]
    return history


def build_facts(
    round_: Round,
    member: Membership,
    entries: Sequence[Entry],
    reviews: Sequence[Review],
    scores: dict[int, EntryScore],
    history: Sequence[RoundPoints],
) -> RoundFacts:
    own = [entry for entry in entries if entry.member_id == member.id]  # type: ignore[attr-defined]
    entry_scores = [scores[entry.id].score for entry in own if entry.id in scores]
    known = [score for score in entry_scores if score is not None]
    given = [review for review in reviews if review.reviewer_id == member.id]  # type: ignore[attr-defined]
    previous = [row for row in history if row.round.season_id == round_.season_id]  # type: ignore[attr-defined]
    last = previous[-1] if previous else None
    follows_on = last is not None and last.round.number == round_.number - 1
    return RoundFacts(
        member_id=member.id,
        name=member.user.name,
        submitted=bool(own),
        round_score=round(sum(known) / len(known), 4) if known else None,
        baseline=find_baseline([row.round_score for row in history if row.round_score is not None]),
        reviews_on_time=sum(1 for review in given if is_on_time(review, round_)),
        helpful_count=sum(1 for review in given if review.helpful),
        streak_length=extend_streak(last.streak_length if last and follows_on else 0, bool(own)),
        first_submitted_at=min((entry.submitted_at for entry in own), default=None),
        has_provisional_score=any(
            entry.id not in scores or scores[entry.id].is_provisional for entry in own
        ),
    )


def is_on_time(review: Review, round_: Round) -> bool:
    """Counts for points: sent by the review deadline, with a real kudos."""
    return (
        review.submitted_at is not None
        and review.submitted_at <= round_.review_closes_at
        and not is_short_text(review.kudos)
    )
