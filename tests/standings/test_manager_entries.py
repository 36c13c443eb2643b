"""Managers play too: their entries are reviewed by the reps like any other, and never
count in the reps' standings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from league.accounts.models import Membership, Role, Team
from league.clock import FrozenClock
from league.reactions import Reactions
from league.reviews import service
from league.reviews.models import EntryScore, Review
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings.models import Award, RoundPoints, SeasonStanding
from tests import factories
from tests.reviews.conftest import enter_state, make_drill, make_round, make_season, publish


async def test_a_managers_entry_is_reviewed_but_earns_no_place(
    team: Team,
    manager: Membership,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
    reactions: Reactions,
) -> None:
    now = clock.now()
    reps = [await factories.make_member(team, Role.REP, name=n) for n in ("Ann", "Ben", "Cat")]
    drill = await make_drill(team)
    season = await make_season(team, now)
    round_ = await make_round(season, [drill], now, state=RoundState.OPEN)
    for place, member in enumerate([*reps, manager]):
        await factories.make_entry(round_, member, now - timedelta(hours=4 - place), drill)
    await enter_state(round_, RoundState.REVIEWING, app_services, now)
    coach_entry = await round_.entries.filter(member_id=manager.id).first()  # type: ignore[attr-defined]
    reviews = await Review.filter(entry_id=coach_entry.id, is_judgement=False)
    assert reviews and all(r.reviewer_id != manager.id for r in reviews)  # type: ignore[attr-defined]
    for review in await Review.filter(round_id=round_.id, is_judgement=False):
        await review.fetch_related("round__season", "entry")
        top = 5 if review.entry.member_id == manager.id else 3  # type: ignore[attr-defined]
        data = service.ReviewInput(scores={c["key"]: top for c in drill.rubric}, kudos="Clear")
        await service.submit_review(review, data, drill.rubric, now, settings, reactions)
    await publish(await Round.get(id=round_.id), app_services, clock)
    assert (await EntryScore.get(entry_id=coach_entry.id)).score is not None  # feedback kept
    assert not await RoundPoints.filter(member_id=manager.id).exists()
    assert not await SeasonStanding.filter(member_id=manager.id).exists()
    assert not await Award.filter(member_id=manager.id).exists()
    assert await SeasonStanding.filter(season_id=season.id).count() == 3
