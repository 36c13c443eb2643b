"""The Today tab: the round in play, its drills, what is done, and the next deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient
from starlette.applications import Starlette
from starlette.requests import Request

from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.seasons.models import Round, RoundState, Season
from league.seasons.routes import optional_url
from league.seasons.today import describe_duration
from tests.conftest import ClientFactory


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


async def set_state(number: int, state: RoundState) -> Round:
    await Round.filter(number=number).update(state=state)
    return await Round.get(number=number)


async def submit_entry(member: Membership, round_: Round, drill: Drill, now: datetime) -> Entry:
    take = await Take.create(
        team_id=member.team_id,  # type: ignore[attr-defined]
        member=member,
        drill=drill,
        round=round_,
        storage_key=f"takes/{member.id}-{drill.id}.webm",
        content_type="audio/webm",
        duration_seconds=30.0,
        size_bytes=1000,
    )
    return await Entry.create(
        team_id=member.team_id,  # type: ignore[attr-defined]
        round=round_,
        drill=drill,
        member=member,
        take=take,
        submitted_at=now,
    )


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
    await submit_entry(rep, round_, drills[0], clock.now())
    withdrawn = await submit_entry(rep, round_, drills[1], clock.now())
    withdrawn.withdrawn_at = clock.now()
    await withdrawn.save()
    await submit_entry(teammate, round_, drills[1], clock.now())  # someone else's
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


def test_it_leaves_out_links_to_pages_that_do_not_exist(app: Starlette) -> None:
    request = Request({"type": "http", "app": app, "router": app.router, "headers": []})
    assert optional_url(request, "reviews:queue") == "/reviews"
    assert optional_url(request, "nothing:here") is None


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
