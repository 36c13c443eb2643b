"""The Today tab: the round in play, its drills, what is done, and the next deadline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.seasons.models import Round, RoundState, Season
from league.seasons.today import describe_duration
from league.standings.models import Award, AwardCategory, RoundPoints
from tests.conftest import ClientFactory
from tests.factories import make_entry


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


async def set_state(number: int, state: RoundState) -> Round:
    await Round.filter(number=number).update(state=state)
    return await Round.get(number=number)


async def today_html(client: AsyncClient) -> str:
    response = await client.get("/")
    assert response.status_code == 200
    return response.text


async def test_it_welcomes_a_rep_before_any_season(
    rep: Membership, make_client: ClientFactory
) -> None:
    html = await today_html(await make_client(rep))
    assert "No season yet" in html
    assert "Browse the drills" in html
    assert "Start a season" not in html


async def test_it_offers_a_manager_to_start_a_season(
    manager: Membership, make_client: ClientFactory
) -> None:
    html = await today_html(await make_client(manager))
    assert 'href="/seasons/new"' in html
    assert "Start a season" in html


async def test_it_counts_down_to_the_first_round(
    rep: Membership, season: Season, make_client: ClientFactory
) -> None:
    html = await today_html(await make_client(rep))
    assert "Round 1 opens Mon 9 Mar 08:00" in html
    assert (
        '<time datetime="2026-03-09T08:00:00+00:00" data-countdown>6 days 23 hours</time>' in html
    )
    assert "Value prop in 30 seconds" in html
    assert "Practise" not in html


async def test_it_lists_the_open_rounds_drills_with_a_countdown(
    rep: Membership,
    season: Season,
    drills: list[Drill],
    clock: FrozenClock,
    make_client: ClientFactory,
) -> None:
    await set_state(1, RoundState.OPEN)
    clock.set(utc(2026, 3, 10, 12, 30))
    html = await today_html(await make_client(rep))
    assert "1 drill this week" in html
    assert "Closes Wed 18:00" in html
    assert "0 done" in html
    assert '<time datetime="2026-03-11T18:00:00+00:00" data-countdown>1 day 5 hours</time>' in html
    assert f'href="/drills/{drills[0].id}/record"' in html
    assert ">Practise<" in html


async def test_it_marks_drills_with_a_standing_entry_as_done(
    rep: Membership,
    teammate: Membership,
    team: object,
    drills: list[Drill],
    season: Season,
    clock: FrozenClock,
    make_client: ClientFactory,
) -> None:
    round_ = await set_state(1, RoundState.OPEN)
    await round_.drills.add(drills[1])
    await make_entry(round_, rep, clock.now(), drills[0])
    withdrawn = await make_entry(round_, rep, clock.now(), drills[1])
    withdrawn.withdrawn_at = clock.now()
    await withdrawn.save()
    await make_entry(round_, teammate, clock.now(), drills[1])  # someone else's
    html = await today_html(await make_client(rep))
    assert "2 drills this week" in html
    assert "1 done" in html
    assert html.count("Submitted</span>") == 1
    assert "Practise again" in html


async def test_it_points_to_reviews_once_submissions_close(
    rep: Membership, season: Season, make_client: ClientFactory
) -> None:
    await set_state(1, RoundState.REVIEWING)
    html = await today_html(await make_client(rep))
    assert "Submissions closed; reviews due Fri 12:00" in html
    assert 'href="/reviews"' in html
    assert "You submitted 0 of 1 drill this round." in html


async def test_it_counts_down_to_results_once_reviews_close(
    rep: Membership, season: Season, make_client: ClientFactory
) -> None:
    await set_state(1, RoundState.REVIEWS_CLOSED)
    html = await today_html(await make_client(rep))
    assert "Reviews are in; results Fri 16:00" in html


async def test_it_announces_results_and_the_next_round(
    rep: Membership, season: Season, clock: FrozenClock, make_client: ClientFactory
) -> None:
    await set_state(1, RoundState.RESULTS)
    clock.set(utc(2026, 3, 14, 10))
    html = await today_html(await make_client(rep))
    assert "Round 1 results are out" in html
    assert 'href="/standings"' in html
    assert "Next round opens Mon 16 Mar 08:00." in html


async def final_points(member: Membership, round_: Round, round_score: float) -> None:
    await RoundPoints.create(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        season_id=round_.season_id,  # type: ignore[attr-defined]
        round=round_,
        member=member,
        round_score=round_score,
        is_final=True,
    )


async def test_it_cheers_a_personal_best_and_links_to_feedback_after_results(
    rep: Membership,
    teammate: Membership,
    season: Season,
    clock: FrozenClock,
    make_client: ClientFactory,
) -> None:
    first, second = await set_state(1, RoundState.RESULTS), await set_state(2, RoundState.RESULTS)
    await final_points(rep, first, 3.0)
    await final_points(rep, second, 4.0)
    await Award.create(
        team_id=second.team_id,  # type: ignore[attr-defined]
        round=second,
        member=rep,
        category=AwardCategory.TOP_SCORE,
        rank=1,
        value=4.0,
    )
    clock.set(second.results_at + timedelta(days=1))
    html = await today_html(await make_client(rep))
    assert "Round 2 results are out" in html
    assert re.search(
        r'<li class="cheer"><svg class="icon icon-star"[^>]*>.*?</svg> Personal best!</li>', html
    )
    assert re.search(r'<li class="cheer"><svg[^>]*>.*?</svg> Top score of the round</li>', html)
    assert f'href="/feedback/rounds/{second.id}">Read your feedback</a>' in html
    teammate_html = await today_html(await make_client(teammate))
    assert 'class="cheer"' not in teammate_html
    assert "Read your feedback" in teammate_html


CORNER_LINKS = ['href="/seasons"', 'href="/playbook"', 'href="/judging"', 'href="/screens"']


async def test_it_gives_managers_and_admins_a_corner_with_their_pages(
    manager: Membership, admin: Membership, season: Season, make_client: ClientFactory
) -> None:
    round_ = await set_state(1, RoundState.REVIEWING)
    reveal = f'href="/judging/rounds/{round_.id}/reveal"'
    for coach in (manager, admin):
        html = await today_html(await make_client(coach))
        assert "Coach's corner" in html
        for link in [*CORNER_LINKS, 'href="/reminders"', reveal]:
            assert link in html


async def test_it_offers_the_corner_before_any_season_without_the_reveal(
    manager: Membership, make_client: ClientFactory
) -> None:
    html = await today_html(await make_client(manager))
    assert all(link in html for link in CORNER_LINKS)
    assert "Who reviewed whom" not in html


async def test_it_keeps_the_corner_from_reps(
    rep: Membership, season: Season, make_client: ClientFactory
) -> None:
    await set_state(1, RoundState.REVIEWING)
    html = await today_html(await make_client(rep))
    assert "Coach's corner" not in html
    for link in [*CORNER_LINKS, 'href="/reminders"', "/reveal"]:
        assert link not in html


async def test_it_says_well_played_after_the_last_round_then_moves_on(
    rep: Membership, season: Season, clock: FrozenClock, make_client: ClientFactory
) -> None:
    await Round.filter(season_id=season.id).update(state=RoundState.RESULTS)
    last = await Round.get(number=4)
    clock.set(last.results_at + timedelta(days=1))
    client = await make_client(rep)
    assert "last round of the season" in await today_html(client)
    clock.set(last.results_at + timedelta(days=15))
    assert "No season yet" in await today_html(client)


async def test_it_ignores_another_organisations_season(
    rep: Membership, other_season: Season, make_client: ClientFactory
) -> None:
    await Round.filter(season_id=other_season.id, number=1).update(state=RoundState.OPEN)
    assert "No season yet" in await today_html(await make_client(rep))


async def test_it_sends_just_the_content_to_htmx(
    rep: Membership, season: Season, make_client: ClientFactory
) -> None:
    client = await make_client(rep)
    response = await client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Round 1 opens" in response.text


async def test_it_rejects_posts(rep: Membership, make_client: ClientFactory) -> None:
    client = await make_client(rep)
    assert (await client.post("/")).status_code == 405


async def test_it_sends_strangers_to_sign_in(client: AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(days=2, hours=3, minutes=20), "2 days 3 hours"),
        (timedelta(days=1, minutes=5), "1 day"),
        (timedelta(hours=1, minutes=1), "1 hour 1 min"),
        (timedelta(minutes=12, seconds=59), "12 min"),
        (timedelta(seconds=30), "under a minute"),
        (timedelta(seconds=-1), "no time"),
    ],
)
def test_it_words_the_time_left(delta: timedelta, words: str) -> None:
    now = utc(2026, 3, 9, 12)
    assert describe_duration(now, now + delta) == words
