"""A round from submissions to results: final scores, provisional entries, points, awards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from league.clock import FrozenClock
from league.reactions import Reactions
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings import tables as standings
from league.standings.models import Award, RoundPoints, SeasonStanding
from tests.factories import make_entry
from tests.reviews.conftest import League, enter_state, make_round, publish, review_everything


async def play_second_round(
    league: League, app_services: dict[str, Any], clock: FrozenClock, scores: dict[int, int]
) -> Round:
    """Round 1: everyone scores 3. Round 2: authors in `scores` get those, others 3."""
    await review_everything(league, app_services, clock.now(), score=3)
    await publish(league.round, app_services, clock)
    second = await make_round(
        league.season, [league.drill], clock.now(), number=2, state=RoundState.OPEN
    )
    for place, member in enumerate(league.reps[:4]):
        await make_entry(second, member, clock.now() + timedelta(minutes=place), league.drill)
    await enter_state(second, RoundState.REVIEWING, app_services, clock.now())
    await review_everything(
        league, app_services, clock.now(), score=3, round_=second, scores_by_author=scores
    )
    await publish(second, app_services, clock)
    return second


async def test_scores_are_final_and_not_provisional_once_reviews_are_in(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    scores = await EntryScore.filter(round_id=league.round.id)
    assert [(s.score, s.review_count, s.is_provisional) for s in scores] == [(4.0, 3, False)] * 4


async def test_an_entry_with_missing_reviews_stays_provisional(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    await review_everything(league, app_services, clock.now())
    skipped = await Review.filter(entry_id=league.entries[0].id).first()
    assert skipped is not None
    skipped.status = ReviewStatus.DRAFT
    await skipped.save()
    await publish(league.round, app_services, clock)
    score = await EntryScore.get(entry_id=league.entries[0].id)
    assert score.is_provisional and score.review_count == 2 and score.required_reviews == 3
    points = await RoundPoints.get(round_id=league.round.id, member_id=league.reps[0].id)
    assert points.is_final and points.is_provisional
    rows = await standings.round_table(league.round.id)
    assert [row.is_provisional for row in rows if row.member_id == league.reps[0].id] == [True]


async def test_results_give_points_awards_and_a_season_table(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    table = await standings.season_table(league.season.id)
    assert [row.rank for row in table] == [1, 2, 3, 4, 5]
    assert all(row.live_points == 0 for row in table)
    # Every clip scored 4.0: the tie goes to more reviews on time, then the earlier entry.
    rows = await RoundPoints.filter(round_id=league.round.id, showing_up__gt=0)
    rows.sort(key=lambda row: (-row.reviews_on_time, row.first_submitted_at))
    top = [a for a in await standings.round_awards(league.round.id) if a.category == "top_score"]
    assert [a.member_id for a in top] == [row.member_id for row in rows[:3]]  # type: ignore[attr-defined]
    assert len({row.reviews_on_time for row in rows}) == 2  # the rule really was needed
    listener = next(row for row in table if row.member_id == league.reps[-1].id)
    assert listener.points == 3 * settings.points_per_review  # no clip, but reviews count


async def test_publishing_twice_changes_nothing(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    await review_everything(league, app_services, clock.now())
    await publish(league.round, app_services, clock)
    before = sorted(await SeasonStanding.all().values_list("member_id", "points", "rank"))
    awards = await Award.all().count()
    await enter_state(league.round, RoundState.RESULTS, app_services, clock.now())
    assert sorted(await SeasonStanding.all().values_list("member_id", "points", "rank")) == before
    assert await Award.all().count() == awards


async def test_improvement_and_streaks_carry_into_the_next_round(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    second = await play_second_round(league, app_services, clock, scores={league.reps[1].id: 5})
    improver = await RoundPoints.get(round_id=second.id, member_id=league.reps[1].id)
    assert improver.baseline == 3.0 and improver.improvement_delta == 2.0
    assert improver.improvement == settings.points_improvement_max
    assert improver.streak_length == 2 and improver.streak == settings.points_streak_per_round
    most_improved = await Award.get(round_id=second.id, category="most_improved", rank=1)
    assert most_improved.member_id == league.reps[1].id  # type: ignore[attr-defined]
    card = await standings.member_season_card(league.season.id, league.reps[1].id)
    assert card is not None and len(card.rounds) == 2 and card.best_score == 5.0
    assert "Personal best!" in await standings.celebrations_for(league.reps[1].id, second.id)


async def test_a_judgement_pulls_a_generous_clip_back(
    league: League,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
    reactions: Reactions,
) -> None:
    from league.reviews import judging, service

    await review_everything(league, app_services, clock.now(), score=5)
    entry = league.entries[0]
    await entry.fetch_related("drill", "round__season")
    data = service.ReviewInput(
        scores={c["key"]: 2 for c in league.drill.rubric}, kudos="Good start, keep going."
    )
    await judging.save_judgement(
        league.manager, entry, data, clock.now(), settings, True, reactions
    )
    score = await EntryScore.get(entry_id=entry.id)
    assert score.plain_mean is not None and score.score is not None
    assert score.score < score.plain_mean
