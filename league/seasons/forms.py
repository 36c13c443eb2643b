"""The new-season form: reading what the manager typed, and what it shows to begin with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from league.accounts.models import Team
from league.seasons import schedule as schedule_maths
from league.seasons.models import MAX_DRILLS_PER_ROUND, MIN_DRILLS_PER_ROUND, Round, Season
from league.seasons.schedule import (
    DEFAULT_SCHEDULE,
    MOMENT_LABELS,
    MOMENT_NAMES,
    ScheduleError,
    WeeklySchedule,
)
from league.seasons.service import SeasonInput

DEFAULT_ROUND_COUNT = 6
MAX_NAME_LENGTH = 120


def parse_season_form(values: Mapping[str, str]) -> SeasonInput:
    """Read the new-season form; raises ScheduleError naming the field that is wrong."""
    name = values.get("name", "").strip()
    if not name:
        raise ScheduleError("Give the season a name, e.g. Spring league.")
    if len(name) > MAX_NAME_LENGTH:
        raise ScheduleError(f"Keep the season name under {MAX_NAME_LENGTH} characters.")
    time_zone = values.get("time_zone", "").strip()
    schedule_maths.load_zone(time_zone)
    weekly = WeeklySchedule(
        **{
            moment: schedule_maths.parse_moment(
                values.get(f"{moment}_weekday", ""),
                values.get(f"{moment}_time", ""),
                MOMENT_LABELS[moment],
            )
            for moment in MOMENT_NAMES
        }
    )
    schedule_maths.validate_schedule(weekly)
    return SeasonInput(
        name=name,
        starts_on=schedule_maths.parse_date(values.get("starts_on", ""), "Start date"),
        round_count=schedule_maths.validate_round_count(values.get("round_count", "")),
        time_zone=time_zone,
        schedule=weekly,
        drills_per_round=parse_drills_per_round(values.get("drills_per_round", "1")),
        blind_reviews=values.get("blind_reviews") in ("on", "true", "1"),
    )


def parse_drills_per_round(value: str) -> int:
    try:
        count = int(value.strip())
    except ValueError:
        count = 0
    if not MIN_DRILLS_PER_ROUND <= count <= MAX_DRILLS_PER_ROUND:
        raise ScheduleError(
            f"Drills per round must be {MIN_DRILLS_PER_ROUND} to {MAX_DRILLS_PER_ROUND}."
        )
    return count


async def default_season_values(team: Team, now: datetime) -> dict[str, str]:
    """What the new-season form shows before the manager changes anything."""
    season_count = await Season.filter(team_id=team.id).count()
    # Start after the team's last season ends, so the defaults never clash with it.
    last = await Round.filter(team_id=team.id).order_by("-results_at").first()
    after = max(now, last.results_at) if last is not None else now
    starts_on = schedule_maths.next_start_date(after, team.time_zone, DEFAULT_SCHEDULE)
    values = {
        "name": f"Season {season_count + 1}",
        "starts_on": starts_on.isoformat(),
        "round_count": str(DEFAULT_ROUND_COUNT),
        "time_zone": team.time_zone,
        "drills_per_round": "1",
        "blind_reviews": "on",
    }
    for moment_name, moment in DEFAULT_SCHEDULE.moments().items():
        values[f"{moment_name}_weekday"] = str(moment.weekday)
        values[f"{moment_name}_time"] = moment.at.strftime("%H:%M")
    return values
