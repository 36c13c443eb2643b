"""The demo season from seeds/season.yaml, arranged so that a round is open when it loads:
round 1 for a fresh season, or the round after the ones already played (mid-season)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from league.accounts.models import Team
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons import service
from league.seasons.jobs import open_round_now
from league.seasons.models import Round, Season
from league.seasons.schedule import (
    DAYS_PER_WEEK,
    MOMENT_NAMES,
    Moment,
    WeeklySchedule,
    local_today,
    parse_time,
)
from league.web.templating import SEEDS_DIR

SEASON_SEED = SEEDS_DIR / "season.yaml"


def turn_schedule(seed: dict[str, Any], opening_weekday: int) -> WeeklySchedule:
    """The seed's schedule (days after opening) laid on the week starting `opening_weekday`."""
    moments = {
        name: Moment(
            (opening_weekday + int(seed[name]["days"])) % DAYS_PER_WEEK,
            parse_time(seed[name]["time"], name),
        )
        for name in MOMENT_NAMES
    }
    return WeeklySchedule(**moments)


async def load_demo_season(
    team: Team,
    drills: Sequence[Drill],
    now: datetime,
    seed_path: Path = SEASON_SEED,
    played_rounds: int = 0,
) -> Season | None:
    """Create the demo season with round `played_rounds + 1` open now; the rounds before it
    started weekly in the past and are left planned for the caller to play out. None if
    there are no drills yet."""
    if not drills:
        return None
    seed = yaml.safe_load(seed_path.read_text())
    today = local_today(now, team.time_zone)
    # The season is created as it would have been on its first day, so its checks hold.
    started = now - timedelta(weeks=played_rounds)
    data = service.SeasonInput(
        name=seed["name"],
        starts_on=local_today(started, team.time_zone),
        round_count=int(seed["rounds"]),
        time_zone=team.time_zone,
        schedule=turn_schedule(seed["schedule"], today.weekday()),
        drills_per_round=min(int(seed["drills_per_round"]), len(drills)),
        blind_reviews=bool(seed["blind_reviews"]),
    )
    # No server runs while the demo loads, so there is no live view to tell.
    season = await service.create_season(team, data, started, Reactions(), drills)
    current = await Round.get(season_id=season.id, number=played_rounds + 1)
    await open_round_now(current.id)
    return season
