"""Other features react to round state changes here (review assignment, results, live, push).

A hook runs inside the durable job that moved the round, after the new state is saved.
Hooks must be idempotent: a job that crashed half-way is retried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from league.jobs.service import JobContext
from league.seasons.models import Round, RoundState

RoundHook = Callable[[Round, RoundState, JobContext], Awaitable[None]]
ROUND_HOOKS: list[RoundHook] = []
# Hooks that must see what every other hook wrote (e.g. announcing results to live views
# only after the reviews feature has saved the round's points and awards).
LATE_ROUND_HOOKS: list[RoundHook] = []


def on_round_state(hook: RoundHook) -> RoundHook:
    """Register `hook(round_, new_state, context)`; usable as a decorator."""
    ROUND_HOOKS.append(hook)
    return hook


def after_round_state(hook: RoundHook) -> RoundHook:
    """Register a hook that runs after every `on_round_state` hook; usable as a decorator."""
    LATE_ROUND_HOOKS.append(hook)
    return hook


async def run_round_hooks(round_: Round, state: RoundState, context: JobContext) -> None:
    for hook in [*ROUND_HOOKS, *LATE_ROUND_HOOKS]:
        await hook(round_, state, context)
