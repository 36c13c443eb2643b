"""The office screen's board: the table, the countdown, the slides and the ticker."""

from __future__ import annotations

from typing import Any

import httpx

from league.clock import FrozenClock
from league.seasons.models import RoundState
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.live.conftest import make_screen, screen_cookies
from tests.reviews.conftest import League, enter_state, make_round, publish, review_everything


async def open_board(make_client: ClientFactory, league: League) -> str:
    await make_screen(league.manager, token="board-token")
    tv: httpx.AsyncClient = await make_client(None)
    tv.cookies.update(screen_cookies("board-token"))
    response = await tv.get("/tv")
    assert response.status_code == 200
    return response.text


async def test_it_shows_the_race_the_countdown_and_the_ticker(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(league, app_services, clock.now())
    board = await open_board(make_client, league)
    # The round in review is a race: who is in, and the peer reviews sent so far.
    entered = len({entry.member_id for entry in league.entries})  # type: ignore[attr-defined]
    assert f'<span class="tv-race-count">{entered} of {len(league.reps)}</span> in' in board
    assert "reviews sent" in board and board.count('class="tv-face is-in"') == entered
    assert 'data-countdown="' in board and "Reviews close" in board
    assert "slide-best_reviewer" in board and "so far" in board
    assert f"{league.reps[0].user.name} has done" in board


async def test_a_new_round_shows_the_season_by_category_until_its_own_race_starts(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    await review_everything(
        league, app_services, clock.now(), scores_by_author={league.reps[2].id: 5}
    )
    await publish(league.round, app_services, clock)
    second = await make_round(league.season, [league.drill], clock.now(), 2, RoundState.PLANNED)
    await enter_state(second, RoundState.OPEN, app_services, clock.now())
    board = await open_board(make_client, league)
    # A race with nobody in yet, above the season's top places.
    assert f'<span class="tv-race-count">0 of {len(league.reps)}</span> in' in board
    assert "tv-rows-compact" in board and "Submissions close" in board
    top = board.split('id="slide-top_score"', 1)[1].split("</article>", 1)[0]
    assert f"{league.season.name} · Top score" in top
    assert league.reps[2].user.name in top
