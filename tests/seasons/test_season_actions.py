"""The season page gathers the season's moves in one panel at the top, the next move
first, and folds the rounds before and after the one the week is about."""

from __future__ import annotations

from datetime import UTC, datetime

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.seasons.models import Round, RoundState, Season
from league.seasons.panel import list_moves
from league.seasons.service import RoundRow, list_early_moves
from tests.conftest import ClientFactory
from tests.factories import make_entry


def row(state: RoundState, entries: int = 2, number: int = 1) -> RoundRow:
    round_ = Round(number=number, state=state)
    deadline = ("submit", "Submissions close", datetime(2026, 3, 4, 18, tzinfo=UTC))
    return RoundRow(round_, [], entries, False, [deadline], list_early_moves(round_))


def test_an_open_round_starts_with_the_nudge() -> None:
    moves = list_moves(row(RoundState.OPEN), row(RoundState.PLANNED, number=2), judged=0)
    assert moves == ["nudge", "close_submissions", "extend", "plan"]


def test_judging_comes_first_until_every_clip_is_judged_then_publishing() -> None:
    reviewing = row(RoundState.REVIEWING, entries=2)
    assert list_moves(reviewing, None, judged=1)[0] == "judge"
    assert list_moves(reviewing, None, judged=2)[:2] == ["publish_results", "judge"]


def test_a_round_nobody_entered_offers_no_judging() -> None:
    moves = list_moves(row(RoundState.REVIEWING, entries=0), None, judged=0)
    assert "judge" not in moves and "reveal" not in moves
    assert moves[0] == "publish_results"


def test_between_rounds_planning_comes_first_and_after_the_season_the_standings() -> None:
    assert list_moves(None, row(RoundState.PLANNED, number=2), judged=0) == ["plan", "extend"]
    assert list_moves(None, None, judged=0) == ["standings"]


def panel_of(html: str) -> str:
    return html[html.index('id="season-actions"') : html.index('id="rounds"')]


async def set_states(season: Season, *states: RoundState) -> None:
    for number, state in enumerate(states, 1):
        await Round.filter(season_id=season.id, number=number).update(state=state)


async def test_the_season_page_puts_every_move_in_one_panel_next_move_first(
    manager: Membership,
    rep: Membership,
    season: Season,
    clock: FrozenClock,
    make_client: ClientFactory,
) -> None:
    await set_states(season, RoundState.RESULTS, RoundState.OPEN)
    current = await Round.get(season_id=season.id, number=2)
    await make_entry(current, rep, clock.now())
    page = await (await make_client(manager)).get(f"/seasons/{season.id}")
    panel = panel_of(page.text)
    moves = [
        "Nudge who hasn't entered",
        "Close submissions and open reviews now",
        "Extend a deadline in round 2",
        "Plan round 3",
        "Blind reviews are on",
    ]
    places = [panel.find(move) for move in moves]
    assert -1 not in places and places == sorted(places), places
    first = panel[panel.index('class="action-list"') :]
    assert (
        'class="button button-primary button-block" href="/reminders/rounds/'
        in first.split("</li>")[0]
    )
    assert "Round 2 · Open</strong> · 1 entry in" in panel
    # The panel's forms are plain posts that bring the page back; no move hides in a card.
    assert "hx-post" not in panel.replace('hx-post="/judging/seasons/', "")
    assert 'name="new_drill_id"' not in page.text
    assert page.text.count("Close submissions and open reviews now") == 1


async def test_rounds_before_and_after_this_weeks_fold_into_one_line_each(
    manager: Membership, season: Season, make_client: ClientFactory
) -> None:
    await set_states(season, RoundState.RESULTS, RoundState.RESULTS, RoundState.REVIEWING)
    html = (await (await make_client(manager)).get(f"/seasons/{season.id}")).text
    earlier = html.index("Earlier rounds")
    later = html.index("Later rounds")
    assert (
        earlier
        < html.index('id="round-1"')
        < html.index('id="round-2"')
        < html.index('id="round-3"')
    )
    assert html.index('id="round-3"') < later < html.index('id="round-4"')
    assert "Rounds 1–2 · results" in html and "Round 4 · planned" in html
    this_week = html[html.index('id="round-3"') : later]
    assert "round-fold" not in this_week and "Submissions close" in this_week
    panel = panel_of(html)  # nobody entered round 3: nothing to judge, publishing is next
    assert "Judge round 3" not in panel and "Close reviews and publish results now" in panel


async def test_a_move_from_the_panel_comes_back_to_the_season(
    manager: Membership, season: Season, make_client: ClientFactory
) -> None:
    await set_states(season, RoundState.OPEN)
    first = await Round.get(season_id=season.id, number=1)
    client = await make_client(manager)
    response = await client.post(
        f"/seasons/rounds/{first.id}/early", data={"move": "close_submissions", "confirm": "yes"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/seasons/{season.id}#round-1"
