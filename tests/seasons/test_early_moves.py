"""Managers who don't want to wait for the clock: close submissions and publish results now."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.jobs.service import run_due_jobs
from league.playbook.models import Drill
from league.reviews.models import Review
from league.seasons.models import Round, RoundState
from league.standings.models import RoundPoints
from tests.conftest import ClientFactory
from tests.factories import make_entry, make_round, make_season


@pytest.fixture
async def round_(team: Team, drills: list[Drill], clock: FrozenClock) -> Round:
    """A round that opened yesterday; submissions would close on Wednesday."""
    season = await make_season(team)
    return await make_round(
        season, drills[:1], clock.now() - timedelta(days=1), state=RoundState.OPEN
    )


async def move(
    client: httpx.AsyncClient, round_: Round, name: str, confirm: bool = True
) -> httpx.Response:
    data = {"move": name, **({"confirm": "yes"} if confirm else {})}
    return await client.post(f"/seasons/rounds/{round_.id}/early", data=data)


async def run_jobs(app: Starlette) -> None:
    await run_due_jobs(app.state.make_job_context())


async def test_a_manager_closes_submissions_then_publishes_results_early(
    app: Starlette,
    make_client: ClientFactory,
    team: Team,
    manager: Membership,
    rep: Membership,
    teammate: Membership,
    round_: Round,
    clock: FrozenClock,
) -> None:
    await make_entry(round_, rep, clock.now() - timedelta(hours=2))
    await make_entry(round_, teammate, clock.now() - timedelta(hours=1))
    client = await make_client(manager)
    page = await client.get(f"/seasons/rounds/{round_.id}")
    assert "Close submissions and open reviews now" in page.text
    assert "Publish results" not in page.text

    response = await move(client, round_, "close_submissions")
    assert response.status_code == 303
    await run_jobs(app)
    round_ = await Round.get(id=round_.id)
    assert round_.state == RoundState.REVIEWING
    assert round_.submit_closes_at == clock.now()
    assert await Review.filter(round_id=round_.id).count() == 2  # each reviews the other

    await move(client, round_, "publish_results")
    await run_jobs(app)
    round_ = await Round.get(id=round_.id)
    assert round_.state == RoundState.RESULTS
    assert round_.results_at == clock.now()
    assert await RoundPoints.filter(round_id=round_.id, is_final=True).count() == 2


async def test_it_asks_for_confirmation(
    make_client: ClientFactory, manager: Membership, round_: Round, clock: FrozenClock
) -> None:
    response = await move(await make_client(manager), round_, "close_submissions", confirm=False)
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.text
    assert (await Round.get(id=round_.id)).submit_closes_at > clock.now()


async def test_it_refuses_a_move_the_round_is_not_ready_for(
    make_client: ClientFactory, manager: Membership, round_: Round, clock: FrozenClock
) -> None:
    response = await move(await make_client(manager), round_, "publish_results")
    assert response.status_code == 400
    assert "nothing to do early" in response.text
    assert (await Round.get(id=round_.id)).results_at > clock.now()


async def test_only_the_teams_coaches_move_a_round(
    make_client: ClientFactory, rep: Membership, outsider: Membership, round_: Round
) -> None:
    assert (await move(await make_client(rep), round_, "close_submissions")).status_code == 403
    assert (await move(await make_client(outsider), round_, "close_submissions")).status_code == 404
    assert (await Round.get(id=round_.id)).state == RoundState.OPEN


async def test_it_rejects_get(
    make_client: ClientFactory, manager: Membership, round_: Round, clock: FrozenClock
) -> None:
    response = await (await make_client(manager)).get(f"/seasons/rounds/{round_.id}/early")
    assert response.status_code == 405


async def test_it_answers_htmx_with_the_round_card(
    app: Starlette,
    make_client: ClientFactory,
    manager: Membership,
    round_: Round,
    clock: FrozenClock,
) -> None:
    response = await (await make_client(manager)).post(
        f"/seasons/rounds/{round_.id}/early",
        data={"move": "close_submissions", "confirm": "yes"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="round-{round_.number}"' in response.text
