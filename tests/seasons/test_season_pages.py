"""The manager's season list, season page and round page."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.seasons.models import Round, RoundState, Season
from tests.conftest import ClientFactory
from tests.factories import make_entry


async def test_it_lists_the_teams_seasons(
    manager: Membership, season: Season, other_season: Season, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.get("/seasons")
    assert response.status_code == 200
    assert "Spring league" in response.text
    assert f"/seasons/{season.id}" in response.text
    assert f"/seasons/{other_season.id}" not in response.text


async def test_it_invites_a_first_season_when_there_is_none(
    manager: Membership, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.get("/seasons")
    assert "No seasons yet" in response.text
    assert 'href="/seasons/new"' in response.text


async def test_it_shows_a_season_with_its_rounds_in_team_time(
    manager: Membership, season: Season, clock: FrozenClock, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.get(f"/seasons/{season.id}")
    assert response.status_code == 200
    html = response.text
    for number in (1, 2, 3, 4):
        assert f'id="round-{number}"' in html
    # Round 4 opens after London's clocks go forward: still 08:00 on the wall.
    assert "Mon 30 Mar 08:00" in html
    assert "Opens Mon 08:00 · submissions close Wed 18:00" in html
    assert "Planned" in html
    # Swapping drills lives on the round page; the season page's panel leads there.
    assert 'name="new_drill_id"' not in html
    assert "Plan round 1" in html and "Extend a deadline in round 1" in html


async def test_it_lets_the_manager_switch_blind_reviews_from_the_season(
    manager: Membership, season: Season, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    page = await client.get(f"/seasons/{season.id}")
    assert f'action="/judging/seasons/{season.id}/blind"' in page.text
    assert "Blind reviews are on" in page.text
    switched = await client.post(
        f"/judging/seasons/{season.id}/blind", data={"blind": "off"}, headers={"HX-Request": "true"}
    )
    assert switched.status_code == 200
    assert "Blind reviews are off" in switched.text
    await season.refresh_from_db()
    assert season.blind_reviews is False


async def test_it_sends_the_rounds_fragment_to_htmx(
    manager: Membership, season: Season, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.get(f"/seasons/{season.id}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="round-1"' in response.text


async def test_it_shows_one_round_with_the_plan_form(
    manager: Membership, first_round: Round, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.get(f"/seasons/rounds/{first_round.id}")
    assert response.status_code == 200
    assert "Plan this round" in response.text
    assert response.text.count('name="drill_id"') == 3
    fragment = await client.get(f"/seasons/rounds/{first_round.id}", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert 'id="round-1"' in fragment.text


async def test_it_shows_who_submitted_in_a_round_with_withdrawals(
    manager: Membership,
    rep: Membership,
    teammate: Membership,
    first_round: Round,
    clock: FrozenClock,
    make_client: ClientFactory,
) -> None:
    await Round.filter(id=first_round.id).update(state=RoundState.OPEN)
    kept = await make_entry(first_round, rep, clock.now())
    withdrawn = await make_entry(first_round, teammate, clock.now())
    withdrawn.withdrawn_at = clock.now()
    await withdrawn.save()
    client = await make_client(manager)
    html = (await client.get(f"/seasons/rounds/{first_round.id}")).text
    assert "css/clips.css" in html
    assert f'<li class="entry-row" id="entry-{kept.id}">' in html
    assert f'<li class="entry-row is-withdrawn" id="entry-{withdrawn.id}">' in html
    assert rep.user.name in html and teammate.user.name in html
    assert "Withdrawn Mon 09:00" in html


async def test_it_leaves_entries_off_a_planned_round(
    manager: Membership, first_round: Round, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    html = (await client.get(f"/seasons/rounds/{first_round.id}")).text
    assert 'id="round-entries"' not in html


@pytest.mark.parametrize("path", ["/seasons", "/seasons/{season}", "/seasons/rounds/{round}"])
async def test_it_rejects_posts_to_pages(
    manager: Membership, season: Season, first_round: Round, make_client: ClientFactory, path: str
) -> None:
    client = await make_client(manager)
    url = path.format(season=season.id, round=first_round.id)
    assert (await client.post(url)).status_code == 405


@pytest.mark.parametrize("path", ["/seasons", "/seasons/{season}", "/seasons/rounds/{round}"])
async def test_it_sends_strangers_to_sign_in(
    client: AsyncClient, season: Season, first_round: Round, path: str
) -> None:
    response = await client.get(path.format(season=season.id, round=first_round.id))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=")


@pytest.mark.parametrize("path", ["/seasons", "/seasons/{season}", "/seasons/rounds/{round}"])
async def test_it_keeps_reps_out(
    rep: Membership, season: Season, first_round: Round, make_client: ClientFactory, path: str
) -> None:
    client = await make_client(rep)
    response = await client.get(path.format(season=season.id, round=first_round.id))
    assert response.status_code == 403


async def test_it_hides_another_organisations_season_and_rounds(
    manager: Membership, other_season: Season, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    other_round = await Round.get(season_id=other_season.id, number=1)
    assert (await client.get(f"/seasons/{other_season.id}")).status_code == 404
    assert (await client.get(f"/seasons/rounds/{other_round.id}")).status_code == 404


async def test_past_rounds_and_rounds_after_the_next_one_start_folded(
    manager: Membership, season: Season, make_client: ClientFactory
) -> None:
    await Round.filter(season_id=season.id, number=1).update(state=RoundState.RESULTS)
    html = (await (await make_client(manager)).get(f"/seasons/{season.id}")).text

    def card(number: int) -> str:
        return html.split(f'id="round-{number}"', 1)[1].split("</article>", 1)[0]

    assert '<details class="round-fold">' in card(1)  # results are out: folded
    assert '<details class="round-fold">' not in card(2)  # the next round: open
    assert all('<details class="round-fold">' in card(number) for number in (3, 4))
    assert "show times and drills" in card(3)
