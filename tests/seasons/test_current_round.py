"""current_round: the round in play for a team, else the next planned one."""

from __future__ import annotations

from league.accounts.models import Team
from league.clock import FrozenClock
from league.seasons.models import Round, RoundState, Season
from league.seasons.service import current_round


async def test_it_is_none_without_a_season(team: Team, clock: FrozenClock) -> None:
    assert await current_round(team.id, clock.now()) is None


async def test_it_is_the_next_planned_round_before_the_season(
    team: Team, season: Season, clock: FrozenClock
) -> None:
    found = await current_round(team.id, clock.now())
    assert found is not None and found.number == 1


async def test_it_is_the_round_in_play_while_the_next_waits(
    team: Team, season: Season, clock: FrozenClock
) -> None:
    for state in (RoundState.OPEN, RoundState.REVIEWING, RoundState.REVIEWS_CLOSED):
        await Round.filter(season_id=season.id, number=2).update(state=state)
        await Round.filter(season_id=season.id, number=1).update(state=RoundState.RESULTS)
        found = await current_round(team.id, clock.now())
        assert found is not None and (found.number, found.state) == (2, state)


async def test_it_moves_to_the_next_planned_round_after_results(
    team: Team, season: Season, clock: FrozenClock
) -> None:
    await Round.filter(season_id=season.id, number=1).update(state=RoundState.RESULTS)
    found = await current_round(team.id, clock.now())
    assert found is not None and (found.number, found.state) == (2, RoundState.PLANNED)


async def test_it_is_none_once_every_round_has_results(
    team: Team, season: Season, clock: FrozenClock
) -> None:
    await Round.filter(season_id=season.id).update(state=RoundState.RESULTS)
    assert await current_round(team.id, clock.now()) is None


async def test_it_stays_inside_the_team(
    team: Team, other_season: Season, clock: FrozenClock
) -> None:
    await Round.filter(season_id=other_season.id).update(state=RoundState.OPEN)
    assert await current_round(team.id, clock.now()) is None
