"""The reviews feature's part in a round's life: assign at submissions close, score at results.

create_app lists `react_to_round_state` among the round hooks. Each step is idempotent,
as round hooks must be (a failed job is retried).
"""

from __future__ import annotations

from league.jobs.cpu_pool import CpuPool
from league.jobs.service import JobContext
from league.reactions import Reactions
from league.reviews.reviewers import assign_round
from league.reviews.round_scores import refresh_round, score_round
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings import service as standings
from league.standings.points import PointsWeights


async def react_to_round_state(round_: Round, state: RoundState, context: JobContext) -> None:
    settings: Settings = context.services["settings"]
    pool: CpuPool | None = context.services.get("cpu_pool")  # the app's; none in scripts
    if state == RoundState.REVIEWING:
        await open_reviews(round_, settings, context.reactions, pool)
    elif state == RoundState.REVIEWS_CLOSED:
        await close_reviews(round_, settings, context.reactions, pool)
    elif state == RoundState.RESULTS:
        await publish_results(round_, settings, context.reactions, pool)


async def open_reviews(
    round_: Round, settings: Settings, reactions: Reactions, pool: CpuPool | None = None
) -> None:
    """Submissions closed: assign reviewers and show every entry as provisional."""
    await assign_round(round_.id, settings.reviewers_per_entry)
    await refresh_round(round_.id, settings, reactions, pool)


async def close_reviews(
    round_: Round, settings: Settings, reactions: Reactions, pool: CpuPool | None = None
) -> None:
    await refresh_round(round_.id, settings, reactions, pool)


async def publish_results(
    round_: Round, settings: Settings, reactions: Reactions, pool: CpuPool | None = None
) -> None:
    await score_round(round_.id, pool)
    await standings.finalise_round(round_.id, PointsWeights.from_settings(settings), reactions)
