"""The live socket: snapshot first, then the team's changes, and nobody else's."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership, Role, Team
from league.clock import FrozenClock
from league.live.events import publish_team_change
from league.live.hub import CLOSE_SIGNED_OUT
from league.live.routes import CLOSE_OTHER_SITE
from league.live.service import publish_round_change
from league.reactions import Reactions
from league.seasons.models import RoundState
from league.settings import Settings
from league.standings.models import RoundPoints
from tests import factories
from tests.clips import conftest as clips
from tests.conftest import ClientFactory
from tests.live.conftest import SocketClient, SocketClosed, SocketFactory, fast_renders
from tests.reviews.conftest import League, enter_state, publish, review_everything, send_review


async def updates_until_quiet(socket: SocketClient, quiet_seconds: float = 0.6) -> str:
    """Every update sent until the socket went quiet, in order (each one carries only what
    changed since the one before, so what a page shows is the latest of each element)."""
    updates = [await socket.receive_text()]
    while True:
        try:
            updates.append(await socket.receive_text(timeout=quiet_seconds))
        except TimeoutError:
            return "".join(updates)


async def test_it_sends_a_snapshot_of_the_standings_on_connect(
    league: League, open_socket: SocketFactory
) -> None:
    socket = await open_socket(league.reps[0])
    snapshot = await socket.receive_text()
    assert '<section id="standings-season"' in snapshot
    assert 'id="live-activity"' in snapshot
    assert snapshot.count('hx-swap-oob="morph"') == 7
    assert 'id="standings-season-leaders"' in snapshot
    assert league.reps[1].user.name in snapshot


async def test_it_sends_only_the_views_asked_for(
    league: League, open_socket: SocketFactory
) -> None:
    socket = await open_socket(league.reps[0], path="/live?views=activity")
    snapshot = await socket.receive_text()
    assert 'id="live-activity"' in snapshot
    assert "standings-season" not in snapshot


async def test_it_closes_a_signed_out_socket(open_socket: SocketFactory) -> None:
    socket = await open_socket(None)
    closing = await socket.next_message()
    assert closing == {"type": "websocket.close", "code": CLOSE_SIGNED_OUT, "reason": ""}


async def test_it_closes_a_socket_opened_by_another_site(
    rep: Membership, open_socket: SocketFactory
) -> None:
    socket = await open_socket(rep, origin="https://evil.example")
    closing = await socket.next_message()
    assert closing["code"] == CLOSE_OTHER_SITE


async def test_it_sends_new_standings_after_a_review_is_sent(
    league: League, open_socket: SocketFactory, make_client: ClientFactory
) -> None:
    watcher = await open_socket(league.reps[2])
    before = await watcher.receive_text()
    reviewer = league.reps[0]
    response = await send_review(make_client, reviewer, await league.review_of(reviewer))
    assert response.status_code == 303
    update = await watcher.receive_text()
    points = await RoundPoints.get(round_id=league.round.id, member_id=reviewer.id)
    assert points.reviewing > 0
    assert update != before
    assert f'id="race-row-{reviewer.id}"' in update
    assert "1 of 1 reviews" in update or "1 of 2 reviews" in update
    assert "has done 1 review" in update


async def test_a_submission_ticks_the_rep_on_every_live_view_at_once(
    app: Starlette,
    team: Team,
    rep: Membership,
    teammate: Membership,
    clock: FrozenClock,
    open_socket: SocketFactory,
    make_client: ClientFactory,
) -> None:
    drill = await clips.make_drill(team)
    await clips.make_round(team, [drill], clock)
    watcher = await open_socket(teammate)
    before = await watcher.receive_text()
    # A first round: everyone on the table, level, before any points.
    assert f'id="season-row-{rep.id}"' in before and "entry in" not in before
    take = await clips.store_take(app.state.storage, rep, drill, clock)
    response = await (await make_client(rep)).post(f"/takes/{take.id}/submit")
    assert response.status_code == 303
    update = await watcher.receive_text()
    row = update.split(f'id="season-row-{rep.id}"', 1)[1].split("</li>", 1)[0]
    assert "entry in" in row
    assert f"{rep.user.name} submitted {drill.title}" in update


async def test_it_never_sends_another_team_or_organisation_anything(
    league: League,
    open_socket: SocketFactory,
    make_client: ClientFactory,
    outsider: Membership,
    reactions: Reactions,
) -> None:
    other_team = await factories.make_team(await league.team.organisation, "Enterprise")
    neighbour = await factories.make_member(other_team, Role.REP, name="Nia Neighbour")
    strangers = [await open_socket(outsider), await open_socket(neighbour)]
    for socket in strangers:
        snapshot = await socket.receive_text()
        assert league.reps[0].user.name not in snapshot
    reviewer = league.reps[0]
    await send_review(make_client, reviewer, await league.review_of(reviewer))
    await publish_team_change(reactions, league.team.id, "test")
    for socket in strangers:
        await socket.expect_nothing()


async def test_it_coalesces_a_burst_of_changes_into_few_renders(
    app: Starlette,
    league: League,
    open_socket: SocketFactory,
    reactions: Reactions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renderer = app.state.hub.renderer
    renders = 0
    render_views = renderer.render_views

    async def counted(team_id: int, views: frozenset[str]) -> dict[str, str]:
        nonlocal renders
        renders += 1
        return await render_views(team_id, views)

    monkeypatch.setattr(renderer, "render_views", counted)
    socket = await open_socket(league.reps[0])
    await socket.receive_text()
    renders = 0
    for _ in range(20):
        await publish_team_change(reactions, league.team.id, "burst")
    received = 0
    try:
        while True:
            await socket.receive_text(timeout=0.8)
            received += 1
    except TimeoutError:
        pass
    assert 1 <= renders <= 2
    # Nothing the views show changed: the renders equal the snapshot, so nothing is sent.
    assert received == 0


async def test_it_publishes_every_round_transition(
    league: League, open_socket: SocketFactory, settings: Settings, app_services: dict[str, Any]
) -> None:
    socket = await open_socket(league.reps[0])
    await socket.receive_text()
    async with fast_renders():
        await enter_state(
            league.round, RoundState.REVIEWS_CLOSED, app_services, league.round.opens_at
        )
        update = await socket.receive_text()
    assert "Reviews closed" in update


async def test_results_reach_live_views_with_their_awards(
    league: League,
    open_socket: SocketFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
    reactions: Reactions,
) -> None:
    socket = await open_socket(league.reps[0])
    await socket.receive_text()
    await review_everything(
        league, app_services, clock.now(), scores_by_author={league.reps[1].id: 5}
    )
    async with fast_renders():
        await publish(league.round, app_services, clock)
        update = await updates_until_quiet(socket)
    # Announced after the reviews feature has finalised points and saved the awards.
    assert reactions.round_hooks[-1] is publish_round_change
    leaders = update.rsplit('id="standings-leaders"', 1)[1].split("</section>", 1)[0]
    assert "provisional" not in leaders
    assert league.reps[1].user.name in leaders
    assert "Results" in update


async def test_a_reconnecting_client_gets_the_latest_snapshot(
    league: League, open_socket: SocketFactory, make_client: ClientFactory
) -> None:
    first = await open_socket(league.reps[1])
    await first.receive_text()
    await first.close()
    reviewer = league.reps[0]
    await send_review(make_client, reviewer, await league.review_of(reviewer))
    await asyncio.sleep(0.05)
    again = await open_socket(league.reps[1])
    snapshot = await again.receive_text()
    assert "has done 1 review" in snapshot


async def test_a_member_cannot_watch_the_office_screen_view(
    rep: Membership, open_socket: SocketFactory
) -> None:
    socket = await open_socket(rep, path="/live?views=tv")
    snapshot = await socket.receive_text()
    assert "tv-table" not in snapshot
    assert "standings-season" in snapshot


async def test_the_closing_code_is_sent_when_the_hub_drops_a_socket(
    rep: Membership, open_socket: SocketFactory
) -> None:
    socket = await open_socket(rep)
    await socket.receive_text()
    hub = socket.app.state.hub
    (connection,) = hub.channels[rep.team_id].connections  # type: ignore[attr-defined]
    connection.drop(1013)
    try:
        await socket.receive_text()
    except SocketClosed as closed:
        assert closed.code == 1013
    else:
        raise AssertionError("the socket was not closed")
