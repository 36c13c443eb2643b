"""The round in play as a race: entries, peer reviews, streaks, last round's points, gaps."""

from __future__ import annotations

from typing import Any

from league.clock import FrozenClock
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import RoundState
from league.settings import Settings
from league.standings.race import RaceStatus, load_race
from tests import factories
from tests.conftest import ClientFactory
from tests.reviews.conftest import (
    League,
    enter_state,
    make_round,
    publish,
    review_everything,
    send_review,
)
from tests.reviews.conftest import league as league  # noqa: F401 - shared fixture


async def test_it_counts_entries_and_peer_reviews_but_not_judgements(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    await send_review(make_client, reviewer, await league.review_of(reviewer))
    # A manager's judgement is not a peer review: it must not move anyone's count.
    await Review.create(
        team_id=league.team.id,
        round_id=league.round.id,
        entry_id=league.entries[1].id,
        reviewer_id=league.manager.id,
        is_judgement=True,
        status=ReviewStatus.SUBMITTED,
    )
    race = await load_race(league.round)
    assert race is not None
    assert (race.entered, race.total) == (4, 5)  # four entries, five reps (one only listens)
    row = race.row_for(reviewer.id)
    assert row is not None
    assigned = await Review.filter(reviewer_id=reviewer.id, is_judgement=False).count()
    assert (row.reviews_done, row.reviews_assigned) == (1, assigned)
    assert race.reviews_done == 1
    assert race.row_for(league.manager.id) is None
    listener = race.row_for(league.reps[-1].id)
    assert listener is not None and not listener.has_entry and listener.entries == 0
    assert row.entries == 1 and row.drills == 1


async def test_statuses_follow_the_round(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    race = await load_race(league.round)
    assert race is not None
    first = race.row_for(league.reps[0].id)
    assert first is not None and first.status is RaceStatus.REVIEWING
    await review_everything(league, app_services, clock.now())
    race = await load_race(league.round)
    assert race is not None
    done = race.row_for(league.reps[0].id)
    assert done is not None and done.status is RaceStatus.DONE


async def test_a_second_round_carries_streaks_last_points_and_gaps(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    await review_everything(
        league, app_services, clock.now(), scores_by_author={league.reps[1].id: 5}
    )
    await publish(league.round, app_services, clock)
    second = await make_round(league.season, [league.drill], clock.now(), 2, RoundState.PLANNED)
    await enter_state(second, RoundState.OPEN, app_services, clock.now())
    await factories.make_entry(second, league.reps[0], clock.now(), league.drill)

    race = await load_race(second)
    assert race is not None and race.state == RoundState.OPEN
    assert race.last_round_number == 1 and race.entered == 1
    entered = race.row_for(league.reps[0].id)
    waiting = race.row_for(league.reps[1].id)
    assert entered is not None and waiting is not None
    # Both entered round 1: the one who entered round 2 keeps the streak going.
    assert (entered.streak, entered.streak_alive) == (2, True)
    assert (waiting.streak, waiting.streak_alive) == (1, False)
    assert waiting.status is RaceStatus.NOT_YET and entered.status is RaceStatus.SUBMITTED
    assert waiting.last_round_points and waiting.last_round_points > 0
    # Best first; each row's gap is to the place above, ties share a place.
    points = [row.points for row in race.rows]
    assert points == sorted(points, reverse=True)
    assert race.rows[0].gap_to_next is None
    for above, row in zip(race.rows, race.rows[1:], strict=False):
        if row.points == above.points:
            assert row.rank == above.rank
        else:
            assert row.gap_to_next == round(above.points - row.points, 1)
    assert race.last_podium[0].member_id == league.reps[1].id


async def test_there_is_no_race_before_a_round_opens_or_after_results(
    league: League, settings: Settings, clock: FrozenClock, app_services: dict[str, Any]
) -> None:
    planned = await make_round(league.season, [league.drill], clock.now(), 2, RoundState.PLANNED)
    assert await load_race(planned) is None
    assert await load_race(None) is None
    await publish(league.round, app_services, clock)
    await league.round.refresh_from_db()
    assert await load_race(league.round) is None
