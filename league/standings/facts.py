"""The facts a round's points and awards are worked out from, read from its entries and reviews.

Who took part, each entry's calibrated score, the reviews each member sent on time, and
each member's earlier rounds (for the baseline and the streak). Everything is read as
compact tuples, for the whole round or only the members one change touched. Both the write
path (`service`) and the live race (`league.live`) start here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.reviews.flags import is_short_text
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.seasons.models import Round
from league.standings.models import RoundPoints
from league.standings.points import RoundFacts, extend_streak, find_baseline
from league.web.tasks import chunks_of_values, map_in_slices, values_in_chunks


@dataclass(frozen=True)
class EntryFact:
    id: int
    member_id: int
    submitted_at: datetime


@dataclass(frozen=True)
class ReviewFact:
    reviewer_id: int
    submitted_at: datetime | None
    kudos: str
    helpful: bool | None


@dataclass(frozen=True)
class PastRound:
    season_id: int
    number: int
    round_score: float | None
    streak_length: int


async def gather_round_facts(
    round_: Round, member_ids: Collection[int] | None = None
) -> list[RoundFacts]:
    """Every member's facts for the round, or only `member_ids`' (those taking part)."""
    only: dict[str, Any] = {} if member_ids is None else {"member_id__in": sorted(member_ids)}
    entries = [
        EntryFact(int(i), int(m), at)
        for i, m, at in await values_in_chunks(
            Entry.filter(round_id=round_.id, withdrawn_at=None, **only),
            "id",
            "member_id",
            "submitted_at",
        )
    ]
    by_reviewer = {} if member_ids is None else {"reviewer_id__in": sorted(member_ids)}
    reviews = await values_in_chunks(
        Review.filter(
            round_id=round_.id, is_judgement=False, status=ReviewStatus.SUBMITTED, **by_reviewer
        ),
        "reviewer_id",
        "submitted_at",
        "kudos",
        "helpful",
    )
    given: dict[int, list[ReviewFact]] = defaultdict(list)
    for reviewer_id, submitted_at, kudos, helpful in reviews:
        given[int(reviewer_id)].append(ReviewFact(int(reviewer_id), submitted_at, kudos, helpful))
    members = await list_round_members(round_, entries, given, member_ids)
    scores = await load_entry_scores([entry.id for entry in entries])
    history = await load_history(round_, list(members))
    own: dict[int, list[EntryFact]] = defaultdict(list)
    for entry in entries:
        own[entry.member_id].append(entry)
    return await map_in_slices(
        lambda item: build_facts(
            round_,
            item[0],
            item[1],
            own.get(item[0], []),
            given.get(item[0], []),
            scores,
            history.get(item[0], []),
        ),
        sorted(members.items()),
    )


async def list_round_members(
    round_: Round,
    entries: Sequence[EntryFact],
    given: dict[int, list[ReviewFact]],
    member_ids: Collection[int] | None,
) -> dict[int, str]:
    """Active reps, plus reps who took part this round after leaving; restricted to
    `member_ids` when given. Member id -> name.

    Managers may enter a round and reps review their clips, but a manager never takes a
    place, points or an award in the reps' standings.
    """
    ids = {entry.member_id for entry in entries} | set(given)
    if member_ids is not None:
        return await name_participants(round_, ids, member_ids)
    ids |= {
        int(i)  # type: ignore[call-overload]
        for i in await RoundPoints.filter(round_id=round_.id).values_list("member_id", flat=True)
    }
    reps = Membership.filter(team_id=round_.team_id, role=Role.REP, is_active=True)  # type: ignore[attr-defined]
    names = {int(i): str(n) for i, n in await reps.values_list("id", "user__name")}
    extra = ids - names.keys()
    if extra:
        leavers = Membership.filter(id__in=sorted(extra), role=Role.REP)
        rows = await leavers.values_list("id", "user__name")
        names.update({int(i): str(n) for i, n in rows})
    return names


async def name_participants(
    round_: Round, participants: set[int], member_ids: Collection[int]
) -> dict[int, str]:
    """`member_ids` who took part or are the team's active reps, in one query."""
    rows = await Membership.filter(id__in=sorted(member_ids)).values_list(
        "id", "user__name", "role", "is_active", "team_id"
    )
    return {
        int(i): str(name)
        for i, name, role, active, team_id in rows
        if role == Role.REP and (i in participants or (active and team_id == round_.team_id))  # type: ignore[attr-defined]
    }


async def load_entry_scores(entry_ids: list[int]) -> dict[int, tuple[float | None, bool]]:
    """Entry id -> (calibrated score, still provisional)."""
    if not entry_ids:
        return {}
    rows = await EntryScore.filter(entry_id__in=entry_ids).values_list(
        "entry_id", "score", "is_provisional"
    )
    return {int(entry_id): (score, bool(provisional)) for entry_id, score, provisional in rows}


async def load_history(round_: Round, member_ids: list[int]) -> dict[int, list[PastRound]]:
    """Each member's points rows from the team's earlier rounds, oldest first.

    The earlier rounds are read once (a few dozen rows); the points rows, the season's bulk,
    in chunks of plain columns, so no chunk stalls the event loop."""
    if not member_ids:
        return {}
    earlier = await Round.filter(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        opens_at__lt=round_.opens_at,
    ).values_list("id", "season_id", "number", "opens_at")
    order = {
        int(i): (place, int(season), int(number))
        for place, (i, season, number, _) in enumerate(
            sorted(earlier, key=lambda row: (row[3], row[0]))
        )
    }
    if not order:
        return {}
    history: dict[int, list[tuple[int, PastRound]]] = defaultdict(list)
    query = RoundPoints.filter(member_id__in=member_ids, round_id__in=sorted(order))
    columns = ("member_id", "round_id", "round_score", "streak_length")
    async for chunk in chunks_of_values(query, *columns):
        for member_id, round_id, score, streak in chunk:
            place, season_id, number = order[int(round_id)]
            history[int(member_id)].append(
                (place, PastRound(season_id, number, score, int(streak)))
            )
    return {
        member: [row for _, row in sorted(rows, key=lambda item: item[0])]
        for member, rows in history.items()
    }


def build_facts(
    round_: Round,
    member_id: int,
    name: str,
    own: Sequence[EntryFact],
    given: Sequence[ReviewFact],
    scores: dict[int, tuple[float | None, bool]],
    history: Sequence[PastRound],
) -> RoundFacts:
    entry_scores = [scores[entry.id][0] for entry in own if entry.id in scores]
    known = [score for score in entry_scores if score is not None]
    previous = [row for row in history if row.season_id == round_.season_id]  # type: ignore[attr-defined]
    last = previous[-1] if previous else None
    follows_on = last is not None and last.number == round_.number - 1
    return RoundFacts(
        member_id=member_id,
        name=name,
        submitted=bool(own),
        round_score=round(sum(known) / len(known), 4) if known else None,
        baseline=find_baseline([row.round_score for row in history if row.round_score is not None]),
        reviews_on_time=sum(1 for review in given if is_on_time(review, round_)),
        helpful_count=sum(1 for review in given if review.helpful),
        streak_length=extend_streak(last.streak_length if last and follows_on else 0, bool(own)),
        first_submitted_at=min((entry.submitted_at for entry in own), default=None),
        has_provisional_score=any(entry.id not in scores or scores[entry.id][1] for entry in own),
    )


def is_on_time(review: ReviewFact, round_: Round) -> bool:
    """Counts for points: sent by the review deadline, with a real kudos."""
    return (
        review.submitted_at is not None
        and review.submitted_at <= round_.review_closes_at
        and not is_short_text(review.kudos)
    )
