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
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from league.jobs.service import JobHandler
    from league.live.broker import Broker
    from league.seasons.hooks import RoundHook

PointsListener = Callable[["Reactions", int, int], Awaitable[None]]  # (reactions, team, round)


@dataclass
class Reactions:
    job_kinds: Mapping[str, JobHandler] = field(default_factory=dict)
    round_hooks: Sequence[RoundHook] = ()
    points_listeners: Sequence[PointsListener] = ()
    # The app's live broker while it runs (its lifespan sets and clears it). None where no
    # server runs (the demo loader, migrations): those changes show on the next page load.
    broker: Broker | None = None


def reactions_of(connection: HTTPConnection) -> Reactions:
    """The reactions of the app serving this request or socket."""
    reactions: Reactions = connection.app.state.reactions
    return reactions
