"""Extending a round's deadline: later only, in order, and its job moves with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.jobs.models import Job
from league.jobs.service import JobContext, run_due_jobs
from league.reactions import Reactions
from league.seasons import service
from league.seasons.models import Round, RoundState
from league.web.errors import LeagueError
from tests.conftest import ClientFactory


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture(autouse=True)
def only_season_hooks(reactions: Reactions) -> None:
    """Other features' round hooks are tested by those features."""
    reactions.round_hooks = []


async def test_it_moves_the_deadline_and_its_job(
    app: Starlette, first_round: Round, clock: FrozenClock, reactions: Reactions
) -> None:
    new_close = utc(2026, 3, 12, 18)  # Thursday 18:00 in London (GMT)
    await service.extend_deadline(first_round, "submit", new_close, clock.now(), reactions)
    job = await Job.get(key=f"round:{first_round.id}:submissions_closed")
    assert job.run_at == new_close
    assert (await Round.get(id=first_round.id)).submit_closes_at == new_close
    clock.set(utc(2026, 3, 11, 18))  # the old deadline passes: still open
    await run_due_jobs(JobContext(now=clock.now(), services=app.state.services))
    assert (await Round.get(id=first_round.id)).state == RoundState.OPEN
    clock.set(new_close)
    await run_due_jobs(JobContext(now=clock.now(), services=app.state.services))
    assert (await Round.get(id=first_round.id)).state == RoundState.REVIEWING


async def test_it_only_moves_deadlines_later(
    first_round: Round, clock: FrozenClock, reactions: Reactions
) -> None:
    earlier = first_round.submit_closes_at - timedelta(hours=1)
    with pytest.raises(LeagueError, match=r"after the current deadline \(Wed 11 Mar 18:00\)"):
        await service.extend_deadline(first_round, "submit", earlier, clock.now(), reactions)


@pytest.mark.parametrize(
    ("which", "new_at", "message"),
    [
        ("submit", utc(2026, 3, 13, 12), r"before reviews close \(Fri 13 Mar 12:00\)"),
        ("review", utc(2026, 3, 13, 17), r"before results \(Fri 13 Mar 16:00\)"),
        ("results", utc(2026, 3, 16, 9), r"before round 2 opens \(Mon 16 Mar 08:00\)"),
    ],
)
async def test_it_keeps_the_deadlines_in_order(
    first_round: Round,
    clock: FrozenClock,
    which: str,
    new_at: datetime,
    message: str,
    reactions: Reactions,
) -> None:
    with pytest.raises(LeagueError, match=message):
        await service.extend_deadline(first_round, which, new_at, clock.now(), reactions)
    unchanged = await Round.get(id=first_round.id)
    assert unchanged.submit_closes_at == first_round.submit_closes_at
    assert unchanged.review_closes_at == first_round.review_closes_at
    assert unchanged.results_at == first_round.results_at


async def test_it_refuses_a_deadline_that_has_passed(
    first_round: Round, clock: FrozenClock, reactions: Reactions
) -> None:
    await Round.filter(id=first_round.id).update(state=RoundState.REVIEWING)
    clock.set(utc(2026, 3, 11, 19))
    round_ = await Round.get(id=first_round.id)
    with pytest.raises(LeagueError, match=r"Submissions close already passed \(Wed 11 Mar 18:00\)"):
        await service.extend_deadline(
            round_, "submit", utc(2026, 3, 12, 18), clock.now(), reactions
        )
    await service.extend_deadline(round_, "review", utc(2026, 3, 13, 14), clock.now(), reactions)
    assert (await Round.get(id=first_round.id)).review_closes_at == utc(2026, 3, 13, 14)


async def test_it_refuses_an_unknown_deadline(
    first_round: Round, clock: FrozenClock, reactions: Reactions
) -> None:
    with pytest.raises(LeagueError, match="Choose which deadline"):
        await service.extend_deadline(
            first_round, "open", utc(2026, 3, 9, 9), clock.now(), reactions
        )


# --- the handler -------------------------------------------------------------------------


async def test_it_extends_from_the_season_page_in_team_time(
    manager: Membership, first_round: Round, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    data = {"which": "submit", "date": "2026-03-12", "time": "20:00"}
    response = await client.post(f"/seasons/rounds/{first_round.id}/extend", data=data)
    assert response.status_code == 303
    assert (await Round.get(id=first_round.id)).submit_closes_at == utc(2026, 3, 12, 20)


async def test_it_sends_the_updated_round_card_to_htmx(
    manager: Membership, first_round: Round, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    data = {"which": "review", "date": "2026-03-13", "time": "15:00"}
    response = await client.post(
        f"/seasons/rounds/{first_round.id}/extend", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Fri 13 Mar 15:00" in response.text


async def test_it_shows_the_message_and_keeps_what_was_typed(
    manager: Membership, first_round: Round, make_client: ClientFactory
) -> None:
    client = await make_client(manager)
    data = {"which": "submit", "date": "2026-03-14", "time": "09:30"}
    response = await client.post(
        f"/seasons/rounds/{first_round.id}/extend", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "must stay before reviews close" in response.text
    assert 'value="2026-03-14"' in response.text
    assert 'value="09:30"' in response.text
    bad_date = await client.post(
        f"/seasons/rounds/{first_round.id}/extend", data={**data, "date": "tomorrow"}
    )
    assert bad_date.status_code == 400
    assert "New deadline: enter a date" in bad_date.text
