"""A member's own progress: personal bests per criterion and the round against their baseline."""

from __future__ import annotations

from typing import Any

from league.clock import FrozenClock
from league.seasons.models import RoundState
from league.settings import Settings
from league.standings.personal import load_baseline_progress, load_skill_bests
from tests import factories
from tests.conftest import ClientFactory
from tests.reviews.conftest import (
    League,
    enter_state,
    make_round,
    publish,
    review_everything,
)
from tests.reviews.conftest import league as league  # noqa: F401 - shared fixture


async def play_two_rounds(league: League, app_services: dict[str, Any], clock: FrozenClock) -> None:
    """Round 1 everyone scores 3; round 2 the first rep enters alone and scores 5."""
    await review_everything(league, app_services, clock.now(), score=3)
    await publish(league.round, app_services, clock)
    second = await make_round(league.season, [league.drill], clock.now(), 2, RoundState.PLANNED)
    await enter_state(second, RoundState.OPEN, app_services, clock.now())
    for member in league.reps[:4]:
        await factories.make_entry(second, member, clock.now(), league.drill)
    await enter_state(second, RoundState.REVIEWING, app_services, clock.now())
    await review_everything(
        league, app_services, clock.now(), round_=second, scores_by_author={league.reps[0].id: 5}
    )
    await publish(second, app_services, clock)


async def test_it_reads_bests_per_criterion_and_progress_against_the_baseline(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    me = league.reps[0]
    assert await load_baseline_progress(league.season.id, me.id) is None
    await play_two_rounds(league, app_services, clock)
    bests = await load_skill_bests(league.season.id, me.id)
    assert {skill.name for skill in bests} >= {"Clarity", "Concision"}
    clarity = next(skill for skill in bests if skill.name == "Clarity")
    assert clarity.entries == 2 and clarity.best == clarity.latest > clarity.first
    assert clarity.change > 0
    progress = await load_baseline_progress(league.season.id, me.id)
    assert progress is not None and progress.round_number == 2
    assert progress.delta > 0 and progress.score > progress.baseline


async def test_me_shows_the_season_card_before_the_settings(
    league: League,
    settings: Settings,
    clock: FrozenClock,
    make_client: ClientFactory,
    app_services: dict[str, Any],
) -> None:
    await play_two_rounds(league, app_services, clock)
    page = (await (await make_client(league.reps[0])).get("/me")).text
    card, settings_part = page.split('id="settings"', 1)
    assert 'id="season-card"' in card and "Place" in card and "Points" in card
    assert "Personal bests by skill" in card and "Clarity" in card
    assert "since your first entry" in card
    assert "Against your own baseline" in card and "against a baseline of" in card
    assert "Reminders" in settings_part and "Sign out" in settings_part
