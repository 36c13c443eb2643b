"""create_app lists what runs besides requests, for that app alone: nothing registers itself
by being imported, and no broker or hook list is shared between apps in one process."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.applications import Starlette

from league.accounts.models import Team
from league.app import create_app
from league.live.broker import Event
from league.live.events import publish_team_change
from league.live.service import publish_points_change, publish_round_change, start_live, stop_live
from league.reactions import Reactions
from league.settings import Settings


def other_app(tmp_path: Path) -> Starlette:
    return create_app(Settings(data_dir=tmp_path / "other", secret_key="y" * 40))


def test_create_app_lists_job_kinds_round_hooks_listeners_for_each_app(tmp_path: Path) -> None:
    first, second = other_app(tmp_path), other_app(tmp_path)
    reactions: Reactions = first.state.reactions
    assert {"round.open", "round.results", "push.fanout", "push.retry"} <= set(reactions.job_kinds)
    hooks = [hook.__name__ for hook in reactions.round_hooks]
    assert hooks == ["react_to_round_state", "schedule_round_reminders", "publish_round_change"]
    assert list(reactions.points_listeners) == [publish_points_change]
    assert first.state.services["reactions"] is reactions
    other: Reactions = second.state.reactions
    assert other is not reactions and other.round_hooks is not reactions.round_hooks
    assert reactions.broker is None  # joins when the app starts, not at import or build


def listen(app: Starlette) -> list[Event]:
    heard: list[Event] = []

    async def hear(event: Event) -> None:
        heard.append(event)

    app.state.broker.subscribe(hear)
    return heard


async def test_two_apps_in_one_process_never_hear_each_others_changes(
    app: Starlette, team: Team, tmp_path: Path
) -> None:
    second = other_app(tmp_path)
    await start_live(second, second.state.broker, second.state.reactions)
    try:
        heard_first, heard_second = listen(app), listen(second)
        await publish_team_change(app.state.reactions, team.id, "from_first")
        await publish_team_change(second.state.reactions, team.id, "from_second")
        await asyncio.sleep(0.2)  # each broker delivers on its own task
    finally:
        await stop_live(second.state.broker, second.state.reactions)
    assert [event["kind"] for event in heard_first] == ["from_first"]
    assert [event["kind"] for event in heard_second] == ["from_second"]
    # The second app stopping leaves the first one publishing.
    assert app.state.reactions.broker is app.state.broker
    assert publish_round_change in app.state.reactions.round_hooks
