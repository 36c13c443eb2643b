"""A round's flags from the marks stored on write equal find_flags over the whole season so far.

find_round_flags reads this round's marks and the season only for people who could be
flagged; the reference reads every sent peer review's own scores and kudos. Hypothesis draws
seasons of reviews, drafts, judgements and edits (a sent review updated, by save() with and
without update_fields), on a real SQLite database per example.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from hypothesis import example, given, settings
from hypothesis import strategies as st
from tortoise import Tortoise

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.db import tortoise_config
from league.reviews.flags import (
    TOP_MARK,
    Flag,
    ReviewFacts,
    find_flags,
    is_one_value,
    is_short_text,
    is_top_marks,
    score_range,
)
from league.reviews.models import Review, ReviewStatus
from league.reviews.reviewers import find_round_flags
from league.seasons.models import Round
from tests import factories

REPS, ROUNDS = 3, 3
KUDOS = ["", "ok", "!!!!!!!!!!!!!!!!!!!! 👍", "Nice pause, then a sharp question"]

scores = st.dictionaries(st.sampled_from("abc"), st.sampled_from([4, 5, 5, 5, 5]), max_size=3)
answers = st.tuples(scores, st.sampled_from(KUDOS))
review = st.fixed_dictionaries(
    {
        "round": st.integers(0, ROUNDS - 1),
        "reviewer": st.integers(0, REPS - 1),
        "author": st.integers(0, REPS - 1),
        "answers": answers,
        "status": st.sampled_from([ReviewStatus.SUBMITTED] * 4 + [ReviewStatus.DRAFT]),
        "judgement": st.sampled_from([False] * 4 + [True]),
        "edit": st.none() | answers,
        "edit_fields": st.booleans(),
    }
)


def sent(round_: int, reviewer: int, author: int, given: dict[str, int]) -> dict[str, object]:
    return {
        "round": round_,
        "reviewer": reviewer,
        "author": author,
        "answers": (given, KUDOS[-1]),
        "status": ReviewStatus.SUBMITTED,
        "judgement": False,
        "edit": None,
        "edit_fields": False,
    }


TOP = {"a": 5, "b": 5}


@settings(max_examples=40, deadline=None)
@given(st.lists(review, min_size=15, max_size=40))
# 0 and 1 gave each other top marks in round 1; in round 2 both gave or got top marks, but
# not from each other: round 2 has no flag about them.
@example([sent(0, 0, 1, TOP), sent(0, 1, 0, TOP), sent(1, 0, 2, TOP), sent(1, 2, 1, TOP)])
def test_round_flags_equal_find_flags_over_the_season(reviews: list[dict[str, object]]) -> None:
    asyncio.run(check_season(reviews))


async def check_season(reviews: list[dict[str, object]]) -> None:
    await Tortoise.init(config=tortoise_config("sqlite://:memory:"), _enable_global_fallback=True)
    try:
        await Tortoise.generate_schemas()
        rounds, reps, entries = await make_season()
        for drawn in reviews:
            await save_review(drawn, rounds, reps, entries)
        for round_ in rounds:
            assert await find_round_flags(round_) == await flags_from_answers(round_)
    finally:
        await Tortoise.close_connections()


async def make_season() -> tuple[list[Round], list[Membership], dict[tuple[int, int], Entry]]:
    team = await factories.make_team()
    drill = await factories.make_drill(team)
    season = await factories.make_season(team, round_count=ROUNDS)
    rounds = [await factories.make_round(season, [drill], number=n + 1) for n in range(ROUNDS)]
    reps = [await factories.make_member(team) for _ in range(REPS)]
    reps.append(await factories.make_member(team, role=Role.MANAGER))
    entries = {
        (r, a): await factories.make_entry(rounds[r], reps[a], rounds[r].opens_at)
        for r in range(ROUNDS)
        for a in range(REPS)
    }
    return rounds, reps, entries


async def save_review(
    drawn: Mapping[str, object],
    rounds: list[Round],
    reps: list[Membership],
    entries: dict[tuple[int, int], Entry],
) -> None:
    round_, author = int(drawn["round"]), int(drawn["author"])  # type: ignore[call-overload]
    reviewer = reps[-1] if drawn["judgement"] else reps[int(drawn["reviewer"])]  # type: ignore[call-overload]
    entry = entries[(round_, author)]
    if reviewer.id == entry.member_id or await Review.exists(  # type: ignore[attr-defined]
        entry_id=entry.id, reviewer_id=reviewer.id
    ):
        return
    given_scores, kudos = drawn["answers"]  # type: ignore[misc]
    saved = await Review.create(
        team_id=entry.team_id,  # type: ignore[attr-defined]
        round=rounds[round_],
        entry=entry,
        reviewer=reviewer,
        is_judgement=bool(drawn["judgement"]),
        status=drawn["status"],
        scores=given_scores,
        kudos=kudos,
    )
    if drawn["edit"] is not None:  # the reviewer updates a sent review
        saved.scores, saved.kudos = drawn["edit"]  # type: ignore[misc]
        fields = ["scores", "kudos", "updated_at"] if drawn["edit_fields"] else None
        await saved.save(update_fields=fields)


async def flags_from_answers(round_: Round) -> list[Flag]:
    """The reference: find_flags over every sent peer review's answers, season so far."""
    rows = await Review.filter(
        round__season_id=round_.season_id,  # type: ignore[attr-defined]
        round__number__lte=round_.number,
        is_judgement=False,
        status=ReviewStatus.SUBMITTED,
    ).values_list("id", "reviewer_id", "entry__member_id", "scores", "kudos", "round_id")
    facts = [
        ReviewFacts(id_, reviewer, author, *score_range(given), is_short_text(kudos))
        for id_, reviewer, author, given, kudos, _ in rows
    ]
    this_round = {row[0] for row in rows if row[5] == round_.id}
    return [flag for flag in find_flags(facts) if this_round & set(flag.review_ids)]


@given(st.lists(scores, min_size=1, max_size=6))
def test_marks_keep_the_meaning_of_the_scores(given_scores: list[dict[str, int]]) -> None:
    """Lowest and highest score say what the scores said: one value over all reviews, or
    top marks on every criterion of a review."""
    facts = [ReviewFacts(n, 1, 2, *score_range(s), False) for n, s in enumerate(given_scores)]
    values = {value for one in given_scores for value in one.values()}
    assert is_one_value(facts) == (len(values) == 1)
    for one, fact in zip(given_scores, facts, strict=True):
        top = bool(one) and all(value >= TOP_MARK for value in one.values())
        assert is_top_marks(fact) == top
