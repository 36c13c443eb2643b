"""Swapping a round's drill (only before the round opens) and planning a round's drills."""

from __future__ import annotations

from datetime import timedelta

import pytest
from httpx import AsyncClient

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.seasons import service
from league.seasons.models import Round, RoundState, Season
from league.web.errors import LeagueError, NotFound
from tests.conftest import ClientFactory


async def drill_ids(round_: Round) -> list[int]:
    return sorted(drill.id for drill in await round_.drills.all())


async def test_it_swaps_a_drill_before_the_round_opens(
    first_round: Round, drills: list[Drill], clock: FrozenClock
) -> None:
    assert await drill_ids(first_round) == [drills[0].id]
    await service.swap_drill(first_round, drills[0].id, drills[2].id, clock.now())
    assert await drill_ids(first_round) == [drills[2].id]


async def test_it_refuses_a_swap_once_the_round_has_opened(
    first_round: Round, drills: list[Drill], clock: FrozenClock
) -> None:
    await Round.filter(id=first_round.id).update(state=RoundState.OPEN)
    first_round = await Round.get(id=first_round.id)
    with pytest.raises(LeagueError, match="Round 1 opened Mon 9 Mar 08:00") as caught:
        await service.swap_drill(first_round, drills[0].id, drills[1].id, clock.now())
    assert caught.value.status == 409
    assert await drill_ids(first_round) == [drills[0].id]


async def test_it_refuses_a_swap_once_the_opening_time_has_passed(
    first_round: Round, drills: list[Drill], clock: FrozenClock
) -> None:
    # The worker hasn't run the opening job yet, but reps may already see the round.
    clock.set(first_round.opens_at)
    with pytest.raises(LeagueError, match="can't change now"):
        await service.swap_drill(first_round, drills[0].id, drills[1].id, clock.now())


async def test_it_refuses_a_drill_already_in_the_round(
    team: object, first_round: Round, drills: list[Drill], clock: FrozenClock
) -> None:
    await service.plan_round(first_round, [drills[0].id, drills[1].id], clock.now())
    with pytest.raises(LeagueError, match="already in this round"):
        await service.swap_drill(first_round, drills[0].id, drills[1].id, clock.now())


async def test_it_refuses_another_teams_or_an_archived_drill(
    first_round: Round, drills: list[Drill], other_season: Season, clock: FrozenClock
) -> None:
    theirs = await Drill.get(title="Their drill")
    with pytest.raises(NotFound):
        await service.swap_drill(first_round, drills[0].id, theirs.id, clock.now())
    await Drill.filter(id=drills[1].id).update(archived_at=clock.now())
    with pytest.raises(NotFound):
        await service.swap_drill(first_round, drills[0].id, drills[1].id, clock.now())


async def test_it_plans_one_to_three_drills(
    first_round: Round, drills: list[Drill], clock: FrozenClock
) -> None:
    every = [drill.id for drill in drills]
    await service.plan_round(first_round, every, clock.now())
    assert await drill_ids(first_round) == every
    with pytest.raises(LeagueError, match="Pick 1 to 3 drills"):
        await service.plan_round(first_round, [], clock.now())
    assert await drill_ids(first_round) == every


# --- handlers ----------------------------------------------------------------------------


async def test_it_swaps_from_the_season_page(
    manager: Membership, first_round: Round, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    data = {"old_drill_id": str(drills[0].id), "new_drill_id": str(drills[1].id)}
    response = await client.post(f"/seasons/rounds/{first_round.id}/swap", data=data)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/seasons/{first_round.season_id}#round-1")  # type: ignore[attr-defined]
    assert await drill_ids(first_round) == [drills[1].id]


async def test_it_sends_the_round_card_back_to_htmx(
    manager: Membership, first_round: Round, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    data = {"old_drill_id": str(drills[0].id), "new_drill_id": str(drills[2].id)}
    response = await client.post(
        f"/seasons/rounds/{first_round.id}/swap", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith("<article")
    assert f'<span class="round-drill-title">{drills[2].title}</span>' in response.text


async def test_it_asks_which_drill_to_swap_in(
    manager: Membership, first_round: Round, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    data = {"old_drill_id": str(drills[0].id), "new_drill_id": ""}
    response = await client.post(
        f"/seasons/rounds/{first_round.id}/swap", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "Pick the drill to swap in." in response.text
    assert await drill_ids(first_round) == [drills[0].id]


async def test_it_shows_why_a_swap_after_opening_is_refused(
    manager: Membership,
    first_round: Round,
    drills: list[Drill],
    make_client: ClientFactory,
    clock: FrozenClock,
) -> None:
    clock.advance(timedelta(days=8))
    client = await make_client(manager)
    data = {"old_drill_id": str(drills[0].id), "new_drill_id": str(drills[1].id)}
    response = await client.post(
        f"/seasons/rounds/{first_round.id}/swap", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert "its drills can&#39;t change now" in response.text
    assert await drill_ids(first_round) == [drills[0].id]


async def test_it_plans_a_round_from_its_page(
    manager: Membership, first_round: Round, drills: list[Drill], make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    data = [("drill_id", str(drills[1].id)), ("drill_id", str(drills[2].id))]
    response = await client.post(
        f"/seasons/rounds/{first_round.id}/plan",
        content="&".join(f"{k}={v}" for k, v in data),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 303
    assert await drill_ids(first_round) == [drills[1].id, drills[2].id]


@pytest.mark.parametrize("action", ["swap", "plan", "extend"])
async def test_it_rejects_get_on_actions(
    manager: Membership, first_round: Round, make_client: ClientFactory, action: str
) -> None:
    client = await make_client(manager)
    assert (await client.get(f"/seasons/rounds/{first_round.id}/{action}")).status_code == 405


@pytest.mark.parametrize("action", ["swap", "plan", "extend"])
async def test_it_sends_strangers_to_sign_in(
    client: AsyncClient, first_round: Round, action: str
) -> None:
    response = await client.post(f"/seasons/rounds/{first_round.id}/{action}", data={})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


@pytest.mark.parametrize("action", ["swap", "plan", "extend"])
async def test_it_keeps_reps_out(
    rep: Membership,
    first_round: Round,
    drills: list[Drill],
    make_client: ClientFactory,
    action: str,
) -> None:
    client = await make_client(rep)
    data = {"old_drill_id": str(drills[0].id), "new_drill_id": str(drills[1].id)}
    response = await client.post(f"/seasons/rounds/{first_round.id}/{action}", data=data)
    assert response.status_code == 403
    assert await drill_ids(first_round) == [drills[0].id]


@pytest.mark.parametrize("action", ["swap", "plan", "extend"])
async def test_it_hides_another_organisations_round(
    manager: Membership, other_season: Season, make_client: ClientFactory, action: str
) -> None:
    client = await make_client(manager)
    other_round = await Round.get(season_id=other_season.id, number=1)
    theirs = await Drill.get(title="Their drill")
    data = {"old_drill_id": str(theirs.id), "new_drill_id": str(theirs.id)}
    response = await client.post(f"/seasons/rounds/{other_round.id}/{action}", data=data)
    assert response.status_code == 404
