"""Who reviews whom in a round: handing out the peer reviews, and the manager's view of
them with flags."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Count, Max, Min
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.playbook.models import Drill
from league.reviews.assignment import EntryToAssign, assign_reviewers
from league.reviews.flags import (
    TOP_MARK,
    Flag,
    ReviewFacts,
    find_flat_raters,
    find_mutual_top_marks,
    find_short_texts,
    is_top_marks,
)
from league.reviews.models import Review, ReviewStatus
from league.reviews.scoring import overall_score
from league.seasons.models import Round


async def assign_round(round_id: int, per_entry: int) -> int:
    """Give every entry of the round its peer reviewers. Returns how many were assigned.

    Idempotent: a round that already has assignments is left as it is, so a retried job
    (or a second worker) never reshuffles reviews people may have started.
    """
    round_ = await Round.get(id=round_id)
    if await Review.exists(round_id=round_id, is_judgement=False):
        return 0
    entries = (
        await Entry.filter(round_id=round_id, withdrawn_at=None)
        .order_by("id")
        .values_list("id", "member_id")
    )
    reviewers = await list_reviewer_ids(round_.team_id)  # type: ignore[attr-defined]
    to_assign = [EntryToAssign(int(entry_id), int(author)) for entry_id, author in entries]
    history = await load_pair_history(round_)
    # A whole team's assignment is CPU work: a thread keeps the event loop serving.
    assignment = await asyncio.to_thread(
        assign_reviewers, to_assign, reviewers, per_entry, round_id, history
    )
    reviews = [
        Review(
            team_id=round_.team_id,  # type: ignore[attr-defined]
            round_id=round_id,
            entry_id=entry.entry_id,
            reviewer_id=reviewer_id,
        )
        for entry in to_assign
        for reviewer_id in assignment[entry.entry_id]
    ]
    async with in_transaction():
        await Review.bulk_create(reviews)
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


@dataclass(frozen=True)
class AssignmentRow:
    review_id: int
    status: ReviewStatus
    reviewer_name: str
    author_name: str
    drill_title: str
    overall: float | None
    flags: list[str]


async def list_assignments(round_: Round, flags: Sequence[Flag]) -> list[AssignmentRow]:
    """Who reviewed whom in the round, labelled with the round's `flags` (find_round_flags)."""
    reviews = (
        await Review.filter(round_id=round_.id, is_judgement=False)
        .order_by("reviewer_id", "id")
        .values_list(
            "id",
            "status",
            "scores",
            "reviewer__user__name",
            "entry__member__user__name",
            "entry__drill_id",
        )
    )
    drills = {
        int(drill_id): (str(title), rubric)
        for drill_id, title, rubric in await Drill.filter(
            id__in={review[5] for review in reviews}
        ).values_list("id", "title", "rubric")
    }
    labels: dict[int, list[str]] = defaultdict(list)
    for flag in flags:
        for review_id in flag.review_ids:
            labels[review_id].append(flag.kind.label)
    return [
        AssignmentRow(
            review_id=review_id,
            status=ReviewStatus(status),
            reviewer_name=reviewer,
            author_name=author,
            drill_title=drills[drill_id][0],
            overall=overall_score(scores, drills[drill_id][1])
            if status == ReviewStatus.SUBMITTED
            else None,
            flags=labels.get(review_id, []),
        )
        for review_id, status, scores, reviewer, author, drill_id in reviews
    ]


async def find_round_flags(round_: Round) -> list[Flag]:
    """Flags on this round's submitted peer reviews. Flat raters and "always top marks for
    each other" look at the whole season so far, so one generous round between friends is
    not flagged alone.

    Reads the stored marks of only the reviews that could be flagged: the season of the
    reviewers whose counts show one score value, this round's short kudos, and the season
    between people who gave each other top marks in it. Equal to find_flags over the
    whole season so far (tests/reviews/test_round_flags.py).
    """
    season_so_far = Round.filter(
        season_id=round_.season_id,  # type: ignore[attr-defined]
        number__lte=round_.number,
    ).values("id")
    sent = Review.filter(
        round_id__in=Subquery(season_so_far), is_judgement=False, status=ReviewStatus.SUBMITTED
    )
    this_round = sent.filter(round_id=round_.id)
    flat = await list_possible_flat_raters(sent, this_round)
    marked = await load_review_facts(
        this_round.filter(Q(short_kudos=True) | Q(low_score__gte=TOP_MARK))
    )
    top = [review for review in marked if is_top_marks(review)]
    members = {member for r in top for member in (r.reviewer_id, r.author_id)}
    pairs = {tuple(sorted((r.reviewer_id, r.author_id))) for r in top}
    mutual = find_mutual_top_marks(
        await load_review_facts(sent.filter(reviewer_id__in=members, entry__member_id__in=members))
    )
    return [
        *find_flat_raters(await load_review_facts(sent.filter(reviewer_id__in=flat))),
        *find_short_texts(marked),
        *[flag for flag in mutual if flag.member_ids in pairs],
    ]


async def list_possible_flat_raters(
    sent: QuerySet[Review], this_round: QuerySet[Review]
) -> list[int]:
    """This round's reviewers whose season so far holds 2+ reviews and one score value: a
    few numbers per reviewer counted by the database, so find_flat_raters reads only them."""
    varied = this_round.filter(low_score__lt=F("high_score")).values("reviewer_id")
    steady = this_round.exclude(reviewer_id__in=Subquery(varied)).values("reviewer_id")
    totals = (
        await sent.filter(reviewer_id__in=Subquery(steady))
        .annotate(given=Count("id"), low=Min("low_score"), high=Max("high_score"))
        .group_by("reviewer_id")
        .values_list("reviewer_id", "given", "low", "high")
    )
    return [
        int(r) for r, given, low, high in totals if given >= 2 and low is not None and low == high
    ]


async def load_review_facts(reviews: QuerySet[Review]) -> list[ReviewFacts]:
    """The reviews' marks, oldest first."""
    rows = await reviews.order_by("id").values_list(
        "id", "reviewer_id", "entry__member_id", "low_score", "high_score", "short_kudos"
    )
    return [ReviewFacts(int(r[0]), int(r[1]), int(r[2]), r[3], r[4], bool(r[5])) for r in rows]


async def describe_flags(flags: Sequence[Flag]) -> list[tuple[str, list[str]]]:
    """(flag label, names involved) for the manager's overview."""
    names = dict(
        await Membership.filter(
            id__in={member for flag in flags for member in flag.member_ids}
        ).values_list("id", "user__name")
    )
    return [(flag.kind.label, [str(names[m]) for m in flag.member_ids]) for flag in flags]
