"""The demo league mid-season, as `make run` loads it: three rounds played, round 4 open."""

from __future__ import annotations

from datetime import UTC, datetime

import av
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.clips.storage import open_storage
from league.coaching.demo import previous_months
from league.coaching.models import AgreedAction, FocusSkill, OneOnOne, SalesMetrics
from league.coaching.practice import list_extra_practice
from league.demo import SEEDS_DIR, MidSeason, create_demo_league
from league.reviews.models import CoachPick, Review, ReviewStatus
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings.models import Award, SeasonStanding
from tests.conftest import ClientFactory


async def test_it_loads_three_finished_rounds_and_opens_the_fourth(
    app: Starlette, settings: Settings, make_client: ClientFactory
) -> None:
    storage = open_storage(settings)
    assert await create_demo_league(SEEDS_DIR, MidSeason(settings, storage))
    rounds = await Round.all().order_by("number")
    assert [r.state for r in rounds] == [RoundState.RESULTS] * 3 + [RoundState.OPEN] + [
        RoundState.PLANNED
    ] * 2
    assert rounds[3].opens_at <= datetime.now(UTC) < rounds[3].submit_closes_at
    # 8 reps x 2 drills x 3 rounds, less the three drills sat out.
    assert await Entry.filter(round__state=RoundState.RESULTS).count() == 45
    take = await Take.all().first()
    assert take is not None and await storage.exists(take.storage_key)
    with av.open(str(storage.path_for(take.storage_key))) as clip:  # type: ignore[attr-defined]
        assert clip.streams.audio[0].codec_context.name == "opus"
    assert await Review.filter(is_judgement=True).count() == 45
    assert await Review.filter(status=ReviewStatus.SUBMITTED, is_judgement=False).count() > 120
    assert await CoachPick.all().count() == 6
    assert await Award.all().count() > 0
    assert {s.current_streak for s in await SeasonStanding.all()} == {3}
    periods = await SalesMetrics.all().distinct().values_list("period", flat=True)
    assert sorted(set(periods)) == previous_months(datetime.now(UTC).date(), 2)
    assert await FocusSkill.all().count() >= 8
    assert await OneOnOne.all().count() == 1
    assert await AgreedAction.filter(done=True).count() == 1
    priya = await Membership.get(user__email="rep1@demo.test")
    assert len((await list_extra_practice(priya.id)).open_items) == 1


def test_previous_months_cross_the_year() -> None:
    from datetime import date

    assert previous_months(date(2026, 2, 14), 2) == ["2025-12", "2026-01"]
    assert previous_months(date(2026, 12, 3), 2) == ["2026-10", "2026-11"]
