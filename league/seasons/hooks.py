"""Other features react to round state changes here (review assignment, results, live, push).

A hook runs inside the durable job that moved the round, after the new state is saved.
Hooks must be idempotent: a job that crashed half-way is retried. create_app lists the
hooks, in the order they run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from league.jobs.service import JobContext
from league.seasons.models import Round, RoundState

RoundHook = Callable[[Round, RoundState, JobContext], Awaitable[None]]
ROUND_HOOKS: list[RoundHook] = []


def use_round_hooks(hooks: list[RoundHook]) -> None:
    """Run exactly these hooks, in this order, on every round state change."""
    ROUND_HOOKS[:] = hooks


async def run_round_hooks(round_: Round, state: RoundState, context: JobContext) -> None:
    for hook in list(ROUND_HOOKS):
        await hook(round_, state, context)
