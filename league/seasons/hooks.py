"""Other features react to round state changes here (review assignment, results, live, push).

A hook runs inside the durable job that moved the round, after the new state is saved.
Hooks must be idempotent: a job that crashed half-way is retried. create_app lists the
hooks, in the order they run, in the app's reactions (`context.reactions.round_hooks`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from league.jobs.service import JobContext
from league.seasons.models import Round, RoundState

RoundHook = Callable[[Round, RoundState, JobContext], Awaitable[None]]


async def run_round_hooks(round_: Round, state: RoundState, context: JobContext) -> None:
    for hook in list(context.reactions.round_hooks):
        await hook(round_, state, context)
