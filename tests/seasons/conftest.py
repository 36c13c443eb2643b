"""Season fixtures: the team's drills and a season that starts the Monday after the clock."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons import service
from league.seasons.models import Round, Season
from league.seasons.schedule import DEFAULT_SCHEDULE
from tests.factories import make_drill

# The clock fixture reads Monday 2 March 2026, 09:00 UTC; seasons start the Monday after.
NEXT_MONDAY = date(2026, 3, 9)
DRILL_TITLES = ("Value prop in 30 seconds", "Why us, not them", "We already use a competitor")


@pytest.fixture
async def drills(team: Team) -> list[Drill]:
    return [await make_drill(team, title) for title in DRILL_TITLES]


def season_input(**changes: Any) -> service.SeasonInput:
    values: dict[str, Any] = {
        "name": "Spring league",
        "starts_on": NEXT_MONDAY,
        "round_count": 4,
        "time_zone": "Europe/London",
        "schedule": DEFAULT_SCHEDULE,
        "drills_per_round": 1,
    }
    values.update(changes)
    return service.SeasonInput(**values)


async def make_season(team: Team, clock: FrozenClock, **changes: Any) -> Season:
    # Outside the app: nothing to publish (the tests read the schedule back themselves).
    return await service.create_season(team, season_input(**changes), clock.now(), Reactions())


@pytest.fixture
async def season(team: Team, drills: list[Drill], clock: FrozenClock) -> Season:
    return await make_season(team, clock)


@pytest.fixture
async def first_round(season: Season) -> Round:
    return await Round.get(season_id=season.id, number=1)


@pytest.fixture
async def other_season(outsider: Membership, clock: FrozenClock) -> Season:
    """A season in another organisation, for the 404 checks."""
    other_team = await Team.get(id=outsider.team_id)  # type: ignore[attr-defined]
    await make_drill(other_team, "Their drill")
    return await make_season(other_team, clock)
