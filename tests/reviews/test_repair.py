"""A review sent just before the server stopped is scored at the next start.

The stop is simulated by writing a sent review the way its request commits it, without the
rescore that follows (a kill -9 between the two); tests/reliability/test_crash.py kills a
real server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from league.clock import FrozenClock
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.reviews.repair import find_rounds_behind, rescore_rounds_behind
from league.reviews.round_scores import refresh_round
from tests.reviews.conftest import League, review_everything


async def scores_of(league: League) -> dict[int, tuple[float | None, int]]:
    rows = await EntryScore.filter(entry__round_id=league.round.id).values_list(
        "entry_id", "score", "review_count"
    )
    return {int(entry): (score, int(count)) for entry, score, count in rows}


async def send_without_rescore(review: Review, value: int, rubric: list[dict[str, Any]]) -> None:
    await Review.filter(id=review.id).update(
        status=ReviewStatus.SUBMITTED,
        scores={criterion["key"]: value for criterion in rubric},
        kudos="Strong close, clear next step.",
        submitted_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
    )


async def test_a_review_the_server_never_scored_is_scored_at_start(
    league: League, app_services: dict[str, Any], clock: FrozenClock
) -> None:
    settings, reactions = app_services["settings"], app_services["reactions"]
    reviews = await Review.filter(round_id=league.round.id, is_judgement=False).order_by("id")
    last = reviews[-1]
    await Review.filter(id=last.id).delete()  # sent after the others, below
    await review_everything(league, app_services, clock.now(), score=3)
    assert await find_rounds_behind() == []
    before = await scores_of(league)

    await Review.create(
        team_id=league.team.id,
        round_id=league.round.id,
        entry_id=last.entry_id,  # type: ignore[attr-defined]
        reviewer_id=last.reviewer_id,  # type: ignore[attr-defined]
    )
    stopped = await Review.get(
        round_id=league.round.id,
        entry_id=last.entry_id,  # type: ignore[attr-defined]
        reviewer_id=last.reviewer_id,  # type: ignore[attr-defined]
    )
    await send_without_rescore(stopped, 5, league.drill.rubric)
    assert await scores_of(league) == before  # the server stopped before rescoring
    assert await find_rounds_behind() == [league.round.id]

    assert await rescore_rounds_behind(settings, reactions) == [league.round.id]

    repaired = await scores_of(league)
    entry = int(last.entry_id)  # type: ignore[attr-defined]
    assert repaired[entry][1] == before[entry][1] + 1  # the review now counts
    await refresh_round(league.round.id, settings, reactions)
    assert await scores_of(league) == repaired  # what a full rescore gives
    assert await find_rounds_behind() == []
