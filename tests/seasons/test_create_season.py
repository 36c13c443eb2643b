"""Creating a season: the service and the manager's form."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from httpx import AsyncClient

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.jobs.models import Job
from league.playbook.models import Drill
from league.seasons.models import Round, RoundState, Season
from league.seasons.schedule import ScheduleError
from league.web.errors import LeagueError
from tests.conftest import ClientFactory
from tests.factories import make_drill
from tests.seasons.conftest import NEXT_MONDAY, make_season

FORM = {
    "name": "Spring league",
    "starts_on": "2026-03-09",
    "round_count": "6",
    "time_zone": "Europe/London",
    "drills_per_round": "2",
    "blind_reviews": "on",
    "open_weekday": "0",
    "open_time": "08:00",
    "submit_weekday": "2",
    "submit_time": "18:00",
    "review_weekday": "4",
    "review_time": "12:00",
    "results_weekday": "4",
    "results_time": "16:00",
}


async def drill_titles(round_: Round) -> list[str]:
    return [drill.title for drill in await round_.drills.all().order_by("id")]


async def test_it_creates_the_rounds_with_drills_in_turn(
    team: Team, drills: list[Drill], clock: FrozenClock
) -> None:
    season = await make_season(team, clock, round_count=4, drills_per_round=2)
    rounds = await Round.filter(season_id=season.id).order_by("number")
    assert [round_.number for round_ in rounds] == [1, 2, 3, 4]
    assert all(round_.state == RoundState.PLANNED for round_ in rounds)
    titles = [await drill_titles(round_) for round_ in rounds]
    a, b, c = (drill.title for drill in drills)
    assert titles == [[a, b], [a, c], [b, c], [a, b]]
    assert rounds[0].opens_at == datetime(2026, 3, 9, 8, tzinfo=UTC)
    assert await Job.filter(key__startswith="round:").count() == 16


async def test_it_leaves_archived_drills_out(
    team: Team, drills: list[Drill], clock: FrozenClock
) -> None:
    await Drill.filter(id=drills[0].id).update(archived_at=clock.now())
    season = await make_season(team, clock, round_count=2)
    rounds = await Round.filter(season_id=season.id).order_by("number")
    assert [await drill_titles(round_) for round_ in rounds] == [
        [drills[1].title],
        [drills[2].title],
    ]


async def test_it_needs_a_drill_first(team: Team, clock: FrozenClock) -> None:
    with pytest.raises(LeagueError, match="Add a drill"):
        await make_season(team, clock)
    assert await Season.all().count() == 0


async def test_it_refuses_more_drills_per_round_than_the_team_has(
    team: Team, clock: FrozenClock
) -> None:
    await make_drill(team, "Only one")
    with pytest.raises(LeagueError, match="3 drills per round, but the team has 1"):
        await make_season(team, clock, drills_per_round=3)


async def test_it_refuses_a_start_in_the_past(
    team: Team, drills: list[Drill], clock: FrozenClock
) -> None:
    with pytest.raises(ScheduleError, match="from today on"):
        await make_season(team, clock, starts_on=date(2026, 3, 1))


async def test_it_refuses_a_season_that_overlaps_another(
    team: Team, drills: list[Drill], clock: FrozenClock
) -> None:
    await make_season(team, clock, round_count=4)
    with pytest.raises(ScheduleError, match="same time as Spring league, which ends Fri 3 Apr"):
        await make_season(team, clock, name="Overlap", starts_on=date(2026, 3, 23))
    await make_season(team, clock, name="Summer", starts_on=date(2026, 4, 4))
    assert await Season.all().count() == 2


# --- the form ----------------------------------------------------------------------------


async def test_it_shows_the_form_with_defaults(
    manager: Membership, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.get("/seasons/new")
    assert response.status_code == 200
    html = response.text
    assert 'value="Season 1"' in html
    assert 'value="2026-03-09"' in html  # the next Monday: this one's 08:00 has passed
    assert 'value="Europe/London"' in html
    assert 'name="submit_time" value="18:00"' in html


async def test_it_suggests_starting_after_the_last_season(
    manager: Membership, season: Season, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.get("/seasons/new")
    # The fixture season's last results are on Friday 3 April.
    assert 'value="2026-04-06"' in response.text
    assert 'value="Season 2"' in response.text


async def test_it_creates_a_season_and_shows_it(
    manager: Membership, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.post("/seasons/new", data=FORM)
    assert response.status_code == 303
    season = await Season.get(name="Spring league")
    assert response.headers["location"] == f"/seasons/{season.id}"
    assert (season.round_count, season.drills_per_round, season.blind_reviews) == (6, 2, True)
    page = await client.get(response.headers["location"])
    assert "Round 6" in page.text
    assert "Mon 9 Mar 08:00" in page.text


async def test_it_shows_the_form_again_with_the_message_and_typed_values(
    manager: Membership, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    bad = {**FORM, "name": "Autumn cup", "round_count": "41", "blind_reviews": ""}
    response = await client.post("/seasons/new", data=bad)
    assert response.status_code == 400
    assert "A season has 1 to 40 weekly rounds." in response.text
    assert 'value="Autumn cup"' in response.text
    assert 'value="41"' in response.text
    assert await Season.all().count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time_zone": "Mars/Base"}, "We don&#39;t know the time zone"),
        ({"submit_weekday": "4", "submit_time": "13:00"}, "Reviews must close after"),
        ({"starts_on": "soon"}, "Start date: enter a date"),
        ({"name": " "}, "Give the season a name"),
        ({"drills_per_round": "4"}, "Drills per round must be 1 to 3"),
    ],
)
async def test_it_explains_bad_input(
    manager: Membership,
    drills: list[Drill],
    make_client: ClientFactory,
    change: dict[str, str],
    message: str,
) -> None:
    client = await make_client(manager)
    response = await client.post("/seasons/new", data={**FORM, **change})
    assert response.status_code == 400
    assert message in response.text


async def test_it_redirects_htmx_to_the_new_season(
    manager: Membership, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    response = await client.post("/seasons/new", data=FORM, headers={"HX-Request": "true"})
    season = await Season.get(name="Spring league")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/seasons/{season.id}"


async def test_it_rejects_other_methods(manager: Membership, make_client: ClientFactory) -> None:
    client = await make_client(manager)
    assert (await client.put("/seasons/new", data=FORM)).status_code == 405


async def test_it_sends_strangers_to_sign_in(client: AsyncClient) -> None:
    response = await client.get("/seasons/new")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")
    assert (await client.post("/seasons/new", data=FORM)).status_code == 303


async def test_it_keeps_reps_out(
    rep: Membership, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(rep)
    assert (await client.get("/seasons/new")).status_code == 403
    assert (await client.post("/seasons/new", data=FORM)).status_code == 403
    assert await Season.all().count() == 0


async def test_it_creates_the_season_for_the_managers_own_team(
    manager: Membership, outsider: Membership, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(outsider)
    await make_drill(await Team.get(id=outsider.team_id), "Theirs")  # type: ignore[attr-defined]
    response = await client.post("/seasons/new", data={**FORM, "drills_per_round": "1"})
    assert response.status_code == 303, response.text
    season = await Season.get(name="Spring league")
    assert season.team_id == outsider.team_id  # type: ignore[attr-defined]
    assert NEXT_MONDAY == season.starts_on
