"""Round state changes as durable jobs: one job per round per moment, keyed so it exists once.

A transition is one conditional UPDATE (`state = previous` in the WHERE clause), so a
duplicate run, a second worker or a restart finds nothing to change and does nothing.
A job that fires late catches up: it walks the round through every missed state in
order, running the hooks for each, so no state (and no hook) is ever skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from league.jobs.models import Job, JobStatus
from league.jobs.service import JobContext, JobHandler, schedule
from league.seasons.hooks import run_round_hooks
from league.seasons.models import Round, RoundState


@dataclass(frozen=True)
class Transition:
    name: str  # the last part of the job key: round:{id}:{name}
    time_field: str  # the Round field holding when it happens
    state: RoundState  # the state the round enters

    @property
    def kind(self) -> str:
        return f"round.{self.name}"

    def key(self, round_id: int) -> str:
        return f"round:{round_id}:{self.name}"

    def run_at(self, round_: Round) -> datetime:
        moment: datetime = getattr(round_, self.time_field)
        return moment


TRANSITIONS = (
    Transition("open", "opens_at", RoundState.OPEN),
    Transition("submissions_closed", "submit_closes_at", RoundState.REVIEWING),
    Transition("reviews_closed", "review_closes_at", RoundState.REVIEWS_CLOSED),
    Transition("results", "results_at", RoundState.RESULTS),
)
TRANSITION_BY_KIND = {transition.kind: transition for transition in TRANSITIONS}
TRANSITION_BY_FIELD = {transition.time_field: transition for transition in TRANSITIONS}


async def schedule_round_jobs(round_: Round) -> None:
    """Schedule (or move) the four jobs of a round to its current times."""
    for transition in TRANSITIONS:
        await schedule_transition(round_, transition)


async def schedule_transition(round_: Round, transition: Transition) -> None:
    await schedule(
        transition.kind,
        transition.key(round_.id),
        transition.run_at(round_),
        {"round_id": round_.id},
    )


def states_up_to(target: RoundState) -> list[RoundState]:
    """The states after PLANNED up to and including `target`, in order."""
    return [state for state in RoundState if 0 < state.position <= target.position]


async def advance_round(
    round_id: int, target: RoundState, context: JobContext, running_key: str | None = None
) -> list[RoundState]:
    """Move a round forwards to `target`, one state at a time. Returns the states it entered.

    Each step only changes a round still in the state just before it, so running this
    twice, or from two workers at once, enters each state exactly once. A state the round
    already passed whose own job has not finished (its hooks failed and wait for a retry)
    gets its hooks run again here first, in order: a failed hook holds the round's later
    hooks back until it succeeds, and is never skipped.
    """
    entered: list[RoundState] = []
    for state in states_up_to(target):
        previous = list(RoundState)[state.position - 1]
        changed = await Round.filter(id=round_id, state=previous).update(state=state)
        if changed:
            await run_round_hooks(await Round.get(id=round_id), state, context)
            entered.append(state)
        elif owed := await owed_hook_job(round_id, state, running_key):
            await run_round_hooks(await Round.get(id=round_id), state, context)
            await Job.filter(id=owed.id).update(status=JobStatus.DONE, last_error="")
    return entered


async def owed_hook_job(round_id: int, state: RoundState, running_key: str | None) -> Job | None:
    """The unfinished job of a state the round has passed (its hooks failed), if any."""
    transition = next(t for t in TRANSITIONS if t.state == state)
    key = transition.key(round_id)
    if key == running_key:
        return None
    return await Job.get_or_none(
        key=key, status__in=[JobStatus.PENDING, JobStatus.FAILED], attempts__gt=0
    )


async def run_transition(job: Job, context: JobContext) -> None:
    transition = TRANSITION_BY_KIND[job.kind]
    round_id = int(str(job.payload["round_id"]))
    entered = await advance_round(round_id, transition.state, context, job.key)
    # The state was saved earlier but its hooks may not have run: a retry after a hook
    # failed, or a round opened by open_round_now. Hooks are idempotent by contract.
    hooks_owed = job.attempts > 1 or bool(job.payload.get("hooks_only"))
    if entered or not hooks_owed:
        return
    round_ = await Round.get_or_none(id=round_id)
    if round_ is not None and round_.state == transition.state:
        await run_round_hooks(round_, transition.state, context)


async def open_round_now(round_id: int) -> None:
    """Open a planned round at once, leaving its hooks to its open job.

    For loaders that run outside the app (the demo), where hooks lack the app's services:
    the open job, already due, runs the hooks the next time the server's worker runs.
    """
    await Round.filter(id=round_id, state=RoundState.PLANNED).update(state=RoundState.OPEN)
    key = TRANSITIONS[0].key(round_id)
    payload = {"round_id": round_id, "hooks_only": True}
    await Job.filter(key=key, status=JobStatus.PENDING).update(payload=payload)


JOB_KINDS: dict[str, JobHandler] = {transition.kind: run_transition for transition in TRANSITIONS}
