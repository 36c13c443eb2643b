"""The reviews feature's part in a round's life: assign at submissions close, score at results.

create_app lists `react_to_round_state` among the round hooks. Each step is idempotent,
as round hooks must be (a failed job is retried).
"""

from __future__ import annotations

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
    if state == RoundState.REVIEWING:
        await open_reviews(round_, settings, context.reactions)
    elif state == RoundState.REVIEWS_CLOSED:
        await close_reviews(round_, settings, context.reactions)
    elif state == RoundState.RESULTS:
        await publish_results(round_, settings, context.reactions)


async def open_reviews(round_: Round, settings: Settings, reactions: Reactions) -> None:
    """Submissions closed: assign reviewers and show every entry as provisional."""
    await assign_round(round_.id, settings.reviewers_per_entry)
    await refresh_round(round_.id, settings, reactions)


async def close_reviews(round_: Round, settings: Settings, reactions: Reactions) -> None:
    await refresh_round(round_.id, settings, reactions)


async def publish_results(round_: Round, settings: Settings, reactions: Reactions) -> None:
    await score_round(round_.id)
    await standings.finalise_round(round_.id, PointsWeights.from_settings(settings), reactions)
