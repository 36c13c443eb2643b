"""The reviews feature's part in a round's life: assign at submissions close, score at results.

Imported by league/reviews/routes.py so the hook is registered whenever the app is built.
Each step is idempotent, as round hooks must be (a failed job is retried).
"""

from __future__ import annotations

from league.jobs.service import JobContext
from league.reviews import service
from league.seasons.hooks import on_round_state
from league.seasons.models import Round, RoundState
from league.settings import Settings


@on_round_state
async def react_to_round_state(round_: Round, state: RoundState, context: JobContext) -> None:
    settings: Settings = context.services["settings"]
    if state == RoundState.REVIEWING:
        await service.open_reviews(round_, settings)
    elif state == RoundState.REVIEWS_CLOSED:
        await service.close_reviews(round_, settings)
    elif state == RoundState.RESULTS:
        await service.publish_results(round_, settings)
