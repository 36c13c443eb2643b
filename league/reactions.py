"""What one app does besides answering requests, built by create_app and handed around.

The worker's job kinds, the hooks of a round state change in the order they run, who hears
that a round's points changed, and the live broker. Each app has its own (tests run several
in one process), so nothing here is a module-level registry: a request finds its app's
reactions on `request.app.state.reactions`, a job on `context.reactions`, and service
functions that publish take them as an argument.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.requests import HTTPConnection

# The shapes of what features hand in, spelled here so this low module imports no feature:
# a job handler is (job, context), a round hook is (round, state, context)
# (league.jobs.service.JobHandler, league.seasons.hooks.RoundHook).
JobHandler = Callable[..., Awaitable[None]]
RoundHook = Callable[..., Awaitable[None]]
PointsListener = Callable[["Reactions", int, int], Awaitable[None]]  # (reactions, team, round)


class LiveBroker(Protocol):
    """What publishing needs of the live broker (league.live.broker.Broker)."""

    async def next_version(self, team_id: int) -> int: ...

    async def publish(self, event: Any) -> None: ...


@dataclass
class Reactions:
    job_kinds: Mapping[str, JobHandler] = field(default_factory=dict)
    round_hooks: Sequence[RoundHook] = ()
    points_listeners: Sequence[PointsListener] = ()
    # The app's live broker while it runs (its lifespan sets and clears it). None where no
    # server runs (the demo loader, migrations): those changes show on the next page load.
    broker: LiveBroker | None = None


def reactions_of(connection: HTTPConnection) -> Reactions:
    """The reactions of the app serving this request or socket."""
    reactions: Reactions = connection.app.state.reactions
    return reactions
