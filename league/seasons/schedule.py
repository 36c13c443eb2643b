"""Schedule maths for weekly rounds. Pure functions: no database, no clock.

A weekly schedule names four local moments (weekday and wall-clock time): when a round
opens, when submissions close, when reviews close and when results come out. The moments
are read forwards from the opening, so a cycle may wrap past Sunday (opens Thursday,
submissions close the following Monday); all four must fall within seven days of the
opening, which keeps one round's results before the next round opens.

Every instant is computed from a local date and wall-clock time in the team's zone, then
converted to UTC, so "Monday 08:00" stays 08:00 on the wall across a daylight-saving
change while the UTC instant shifts by an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from league.web.errors import LeagueError

MIN_ROUNDS = 1
MAX_ROUNDS = 40
DAYS_PER_WEEK = 7
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MOMENT_NAMES = ("open", "submit", "review", "results")
MOMENT_LABELS = {
    "open": "Round opens",
    "submit": "Submissions close",
    "review": "Reviews close",
    "results": "Results",
}


class ScheduleError(LeagueError):
    """A season's dates, times or time zone don't make a workable schedule."""


@dataclass(frozen=True)
class Moment:
    """A local weekday (Monday = 0) and wall-clock time."""

    weekday: int
    at: time

    def to_json(self) -> dict[str, Any]:
        return {"weekday": self.weekday, "time": self.at.strftime("%H:%M")}

    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday][:3]} {self.at.strftime('%H:%M')}"


@dataclass(frozen=True)
class WeeklySchedule:
    open: Moment
    submit: Moment
    review: Moment
    results: Moment

    def moments(self) -> dict[str, Moment]:
        return {name: getattr(self, name) for name in MOMENT_NAMES}

    def to_json(self) -> dict[str, Any]:
        return {name: moment.to_json() for name, moment in self.moments().items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WeeklySchedule:
        """Read a stored schedule; a missing moment takes the default."""
        parts = {
            name: parse_moment(
                data.get(name, {}).get("weekday", getattr(DEFAULT_SCHEDULE, name).weekday),
                data.get(name, {}).get("time", getattr(DEFAULT_SCHEDULE, name).at),
                MOMENT_LABELS[name],
            )
            for name in MOMENT_NAMES
        }
        return cls(**parts)


DEFAULT_SCHEDULE = WeeklySchedule(
    open=Moment(0, time(8, 0)),
    submit=Moment(2, time(18, 0)),
    review=Moment(4, time(12, 0)),
    results=Moment(4, time(16, 0)),
)


@dataclass(frozen=True)
class RoundTimes:
    """One round's four instants, aware and in UTC."""

    opens_at: datetime
    submit_closes_at: datetime
    review_closes_at: datetime
    results_at: datetime


def parse_moment(weekday: object, at: object, what: str) -> Moment:
    """Build a Moment from form or stored values, with a message naming `what` if wrong."""
    try:
        day = int(str(weekday))
    except ValueError:
        raise ScheduleError(f"{what}: pick a day of the week.") from None
    if not 0 <= day < DAYS_PER_WEEK:
        raise ScheduleError(f"{what}: pick a day of the week.")
    return Moment(day, parse_time(at, what))


def parse_time(value: object, what: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    try:
        return time.fromisoformat(str(value).strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise ScheduleError(f"{what}: enter a time like 08:00.") from None


def load_zone(name: str) -> ZoneInfo:
    """The named IANA time zone, or a ScheduleError that says what to type."""
    name = name.strip()
    if not name or name not in known_time_zones():
        raise ScheduleError(
            f"We don't know the time zone {name!r}. Use a name like Europe/London or "
            "America/New_York."
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"We don't know the time zone {name!r}.") from None


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    # Reading the zone database walks the disk; once per process is enough.
    return frozenset(available_timezones() | {"UTC"})


def offset_from_open(schedule: WeeklySchedule, moment: Moment) -> timedelta:
    """How long after the opening `moment` comes, reading forwards through the week."""
    wall = datetime.combine(date.min, moment.at) - datetime.combine(date.min, schedule.open.at)
    return timedelta(days=days_after_open(schedule, moment)) + wall


def validate_schedule(schedule: WeeklySchedule) -> None:
    """Open, submissions close, reviews close and results must come in that order, in a week."""
    submit = offset_from_open(schedule, schedule.submit)
    review = offset_from_open(schedule, schedule.review)
    results = offset_from_open(schedule, schedule.results)
    if submit == timedelta(0):
        raise ScheduleError("Submissions must close after the round opens.")
    if review <= submit:
        raise ScheduleError(
            f"Reviews must close after submissions close ({schedule.submit.label}), "
            "within a week of the round opening."
        )
    if results <= review:
        raise ScheduleError(
            f"Results must come after reviews close ({schedule.review.label}), "
            "within a week of the round opening."
        )


def validate_round_count(value: object) -> int:
    try:
        count = int(str(value).strip())
    except ValueError:
        raise ScheduleError(
            f"Number of rounds must be a whole number from {MIN_ROUNDS} to {MAX_ROUNDS}."
        ) from None
    if not MIN_ROUNDS <= count <= MAX_ROUNDS:
        raise ScheduleError(f"A season has {MIN_ROUNDS} to {MAX_ROUNDS} weekly rounds.")
    return count


def parse_date(value: object, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ScheduleError(f"{what}: enter a date like 2026-03-09.") from None


def to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as a UTC instant.

    In the hour skipped when clocks go forward, fold=0 picks the offset in force before
    the change, so a time that never shows on the wall lands just after the jump.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def first_open_date(starts_on: date, schedule: WeeklySchedule) -> date:
    """The first opening weekday on or after the season's start date."""
    days_ahead = (schedule.open.weekday - starts_on.weekday()) % DAYS_PER_WEEK
    return starts_on + timedelta(days=days_ahead)


def days_after_open(schedule: WeeklySchedule, moment: Moment) -> int:
    """Whole local days from the opening date to the date of `moment`."""
    days = (moment.weekday - schedule.open.weekday) % DAYS_PER_WEEK
    # Earlier on the opening weekday means the same weekday of the following week.
    return DAYS_PER_WEEK if days == 0 and moment.at < schedule.open.at else days


def round_times(
    starts_on: date, schedule: WeeklySchedule, time_zone: str, number: int
) -> RoundTimes:
    """The instants of round `number` (1-based) of a season."""
    zone = load_zone(time_zone)
    open_date = first_open_date(starts_on, schedule) + timedelta(weeks=number - 1)

    def instant(moment: Moment) -> datetime:
        day = open_date + timedelta(days=days_after_open(schedule, moment))
        return to_utc(day, moment.at, zone)

    return RoundTimes(
        opens_at=instant(schedule.open),
        submit_closes_at=instant(schedule.submit),
        review_closes_at=instant(schedule.review),
        results_at=instant(schedule.results),
    )


def season_times(
    starts_on: date, schedule: WeeklySchedule, time_zone: str, round_count: int
) -> list[RoundTimes]:
    """Every round's instants; validates the schedule, the zone and the round count first."""
    validate_schedule(schedule)
    load_zone(time_zone)
    count = validate_round_count(round_count)
    return [round_times(starts_on, schedule, time_zone, number) for number in range(1, count + 1)]


def local_today(now: datetime, time_zone: str) -> date:
    return now.astimezone(load_zone(time_zone)).date()


def next_start_date(now: datetime, time_zone: str, schedule: WeeklySchedule) -> date:
    """The default start for a new season: the next opening that is still ahead."""
    today = local_today(now, time_zone)
    candidate = first_open_date(today, schedule)
    if to_utc(candidate, schedule.open.at, load_zone(time_zone)) <= now:
        candidate += timedelta(weeks=1)
    return candidate


def local_datetime(day: object, at: object, time_zone: str, what: str) -> datetime:
    """A date and time typed in the team's zone, as a UTC instant."""
    return to_utc(parse_date(day, what), parse_time(at, what), load_zone(time_zone))
