"""Incremental standings equal a full recompute, over random seasons (seeded, repeatable).

Each run plays two to four rounds with random entries, random scores, edited reviews, short
and real kudos, judgements, and "helpful" marks that arrive after results; the season table
and awards, entry scores and reviewers' leniency sums built one change at a time must equal
a rebuild from scratch (`score_round` for every round, then `rebuild_season`).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from league.clock import FrozenClock
from league.reactions import Reactions
from league.reviews import feedback, judging, round_scores, service
from league.reviews.models import EntryScore, Review, ReviewerLeniency, ReviewStatus
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings import service as standings
from league.standings.models import Award, RoundPoints, SeasonStanding
from league.standings.points import PointsWeights
from league.web import tasks
from tests.factories import make_entry
from tests.reviews.conftest import League, enter_state, league, make_round, publish

__all__ = ["league"]  # the fixture, shared with the reviews tests
MIN_ROUNDS, MAX_ROUNDS = 2, 4


async def play_round(
    league: League,
    round_: Round,
    rng: random.Random,
    app_services: dict[str, Any],
    clock: FrozenClock,
) -> None:
    for review in await Review.filter(round_id=round_.id, is_judgement=False).order_by("id"):
        if rng.random() < 0.2:
            continue  # never sent: the entry may stay provisional
        await review.fetch_related("round__season")
        for _ in range(2 if rng.random() < 0.15 else 1):  # some reviewers edit theirs
            kudos = "ok" if rng.random() < 0.2 else "Strong close, the question landed well."
            data = service.ReviewInput(
                scores={c["key"]: rng.randint(1, 5) for c in league.drill.rubric}, kudos=kudos
            )
            await service.submit_review(
                review,
                data,
                league.drill.rubric,
                clock.now(),
                app_services["settings"],
                app_services["reactions"],
            )
    for entry in await round_.entries.all():  # type: ignore[attr-defined]
        if rng.random() < 0.3:
            await entry.fetch_related("drill", "round__season")
            data = service.ReviewInput(
                scores={c["key"]: rng.randint(1, 5) for c in league.drill.rubric},
                kudos="Good work on the opener.",
            )
            await judging.save_judgement(
                league.manager,
                entry,
                data,
                clock.now(),
                app_services["settings"],
                True,
                app_services["reactions"],
            )
    await check_equals_rebuild(round_.season_id, app_services)  # type: ignore[attr-defined]
    await publish(round_, app_services, clock)
    for review in await Review.filter(
        round_id=round_.id, is_judgement=False, status=ReviewStatus.SUBMITTED
    ):
        if rng.random() < 0.4:
            await review.fetch_related("round")
            await feedback.mark_helpful(
                review, rng.random() < 0.8, app_services["settings"], app_services["reactions"]
            )


async def new_round(
    league: League,
    number: int,
    rng: random.Random,
    app_services: dict[str, Any],
    clock: FrozenClock,
) -> Round:
    round_ = await make_round(league.season, [league.drill], clock.now(), number, RoundState.OPEN)
    for member in league.reps:
        if rng.random() < 0.75:
            submitted_at = clock.now() + timedelta(minutes=rng.randint(1, 90))
            await make_entry(round_, member, submitted_at, league.drill)
    await enter_state(round_, RoundState.REVIEWING, app_services, clock.now())
    return round_


async def play_season(
    league: League, rng: random.Random, app_services: dict[str, Any], clock: FrozenClock
) -> None:
    """A random number of rounds, each played through to results one change at a time."""
    round_ = league.round
    for number in range(1, rng.randint(MIN_ROUNDS, MAX_ROUNDS) + 1):
        if number > 1:
            round_ = await new_round(league, number, rng, app_services, clock)
        await play_round(league, round_, rng, app_services, clock)


async def snapshot(season_id: int) -> dict[str, Any]:
    return {
        "standings": sorted(
            await SeasonStanding.filter(season_id=season_id).values_list(
                "member_id", "points", "rounds_played", "best_score", "current_streak", "rank"
            )
        ),
        "awards": sorted(
            await Award.filter(round__season_id=season_id).values_list(
                "round_id", "category", "rank", "member_id", "value"
            )
        ),
        "points": sorted(
            await RoundPoints.filter(season_id=season_id).values_list(
                "round_id", "member_id", "total", "is_final", "streak_length", "improvement"
            )
        ),
        "scores": sorted(
            await EntryScore.filter(round__season_id=season_id).values_list(
                "entry_id",
                "score",
                "plain_mean",
                "review_count",
                "required_reviews",
                "is_provisional",
                "spread",
                "per_criterion",
            )
        ),
        "leniency": sorted(
            await ReviewerLeniency.filter(season_id=season_id).values_list(
                "round_id", "reviewer_id", "deviation_sum", "review_count"
            )
        ),
    }


async def check_equals_rebuild(season_id: int, app_services: dict[str, Any]) -> dict[str, Any]:
    """Mid-round (only one review at a time applied) and after results alike."""
    incremental = await snapshot(season_id)
    await rebuild_from_scratch(season_id, app_services)
    assert await snapshot(season_id) == incremental
    return incremental


async def rebuild_from_scratch(season_id: int, app_services: dict[str, Any]) -> None:
    """The full recompute: every round's scores and sums from its reviews, then points."""
    await EntryScore.filter(round__season_id=season_id).delete()
    await ReviewerLeniency.filter(season_id=season_id).delete()
    for round_id in (
        await Round.filter(season_id=season_id).order_by("number").values_list("id", flat=True)
    ):
        await round_scores.score_round(int(round_id))  # type: ignore[call-overload]
    await standings.rebuild_season(
        season_id, PointsWeights.from_settings(app_services["settings"]), app_services["reactions"]
    )


@pytest.mark.parametrize("seed", range(1, 7))
async def test_incremental_standings_equal_a_full_recompute(
    league: League, settings: Settings, clock: FrozenClock, seed: int, app_services: dict[str, Any]
) -> None:
    rng = random.Random(seed)
    await play_season(league, rng, app_services, clock)
    incremental = await check_equals_rebuild(league.season.id, app_services)
    totals = {
        member: sum(t for _, m, t, final, _, _ in incremental["points"] if m == member and final)
        for member, *_ in incremental["standings"]
    }
    assert {m: p for m, p, *_ in incremental["standings"]} == pytest.approx(totals)


async def test_a_new_review_touches_only_its_own_round(
    league: League,
    settings: Settings,
    clock: FrozenClock,
    reactions: Reactions,
    app_services: dict[str, Any],
) -> None:
    rng = random.Random(7)
    await play_round(league, league.round, rng, app_services, clock)
    second = await new_round(league, 2, rng, app_services, clock)

    async def earlier_rows() -> list[tuple[Any, ...]]:
        points = (
            await RoundPoints.filter(round_id=league.round.id)
            .order_by("id")
            .values_list("id", "total", "updated_at")
        )
        scores = (
            await EntryScore.filter(round_id=league.round.id)
            .order_by("id")
            .values_list("id", "score", "updated_at")
        )
        table = (
            await SeasonStanding.filter(season_id=league.season.id)
            .order_by("id")
            .values_list("id", "points", "updated_at")
        )
        return [*points, *scores, *table]

    before = await earlier_rows()
    review = await Review.filter(round_id=second.id, is_judgement=False).first()
    assert review is not None
    await review.fetch_related("round__season")
    data = service.ReviewInput(
        scores={c["key"]: 5 for c in league.drill.rubric}, kudos="Strong close, well done."
    )
    await service.submit_review(review, data, league.drill.rubric, clock.now(), settings, reactions)
    assert await earlier_rows() == before
    assert await RoundPoints.filter(round_id=second.id, reviewing__gt=0).exists()


@pytest.mark.parametrize("seed", range(1, 4))
async def test_results_from_the_pool_and_chunked_reads_equal_one_read_on_the_loop(
    league: League,
    clock: FrozenClock,
    seed: int,
    app_services: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The path a 500-rep round takes (the whole-round maths in the app's CPU pool process,
    every whole-round read a few rows at a time), forced on a small team, against the same
    season recomputed with one read per query and the maths on the event loop."""
    monkeypatch.setattr(round_scores, "POOL_FROM_ROWS", 0)
    monkeypatch.setattr(tasks, "READ_ROWS", 2)
    rng = random.Random(seed)
    await play_season(league, rng, app_services, clock)
    assert app_services["cpu_pool"].executor._processes  # the maths went to the pool
    published = await snapshot(league.season.id)
    monkeypatch.setattr(round_scores, "POOL_FROM_ROWS", 10**9)
    monkeypatch.setattr(tasks, "READ_ROWS", 10**9)
    await rebuild_from_scratch(league.season.id, app_services)
    assert await snapshot(league.season.id) == published
