"""Schedule maths: defaults, daylight-saving changes, wrap-around weeks and validation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from league.seasons.schedule import (
    DEFAULT_SCHEDULE,
    Moment,
    RoundTimes,
    ScheduleError,
    WeeklySchedule,
    local_datetime,
    next_start_date,
    parse_moment,
    round_times,
    season_times,
    validate_round_count,
    validate_schedule,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_it_uses_monday_to_friday_defaults() -> None:
    assert DEFAULT_SCHEDULE.open == Moment(0, time(8, 0))
    assert DEFAULT_SCHEDULE.submit == Moment(2, time(18, 0))
    assert DEFAULT_SCHEDULE.review == Moment(4, time(12, 0))
    assert DEFAULT_SCHEDULE.results == Moment(4, time(16, 0))


def test_it_places_a_winter_round_in_london_on_utc() -> None:
    times = round_times(date(2026, 3, 16), DEFAULT_SCHEDULE, "Europe/London", 1)
    assert times == RoundTimes(
        opens_at=utc(2026, 3, 16, 8),
        submit_closes_at=utc(2026, 3, 18, 18),
        review_closes_at=utc(2026, 3, 20, 12),
        results_at=utc(2026, 3, 20, 16),
    )


def test_it_keeps_wall_clock_times_across_londons_spring_change() -> None:
    # Clocks go forward on Sunday 29 March 2026: 08:00 BST is 07:00 UTC.
    rounds = season_times(date(2026, 3, 23), DEFAULT_SCHEDULE, "Europe/London", 2)
    assert rounds[0].opens_at == utc(2026, 3, 23, 8)
    assert rounds[1].opens_at == utc(2026, 3, 30, 7)
    assert rounds[1].submit_closes_at == utc(2026, 4, 1, 17)
    assert rounds[1].results_at == utc(2026, 4, 3, 15)


def test_it_keeps_wall_clock_times_across_londons_autumn_change() -> None:
    # Clocks go back on Sunday 25 October 2026.
    rounds = season_times(date(2026, 10, 19), DEFAULT_SCHEDULE, "Europe/London", 2)
    assert rounds[0].opens_at == utc(2026, 10, 19, 7)
    assert rounds[1].opens_at == utc(2026, 10, 26, 8)


def test_it_keeps_wall_clock_times_across_new_yorks_changes() -> None:
    # New York springs forward on 8 March 2026 and falls back on 1 November 2026.
    spring = season_times(date(2026, 3, 2), DEFAULT_SCHEDULE, "America/New_York", 2)
    assert spring[0].opens_at == utc(2026, 3, 2, 13)
    assert spring[1].opens_at == utc(2026, 3, 9, 12)
    autumn = season_times(date(2026, 10, 26), DEFAULT_SCHEDULE, "America/New_York", 2)
    assert autumn[0].review_closes_at == utc(2026, 10, 30, 16)
    assert autumn[1].review_closes_at == utc(2026, 11, 6, 17)


def test_it_shifts_a_deadline_inside_a_week_that_changes_clocks() -> None:
    # Opens Thursday, submissions close the following Monday: across the change.
    schedule = WeeklySchedule(
        open=Moment(3, time(8)),
        submit=Moment(0, time(18)),
        review=Moment(1, time(12)),
        results=Moment(1, time(16)),
    )
    times = round_times(date(2026, 3, 26), schedule, "Europe/London", 1)
    assert times.opens_at == utc(2026, 3, 26, 8)
    assert times.submit_closes_at == utc(2026, 3, 30, 17)


def test_it_starts_round_one_on_the_first_opening_day_on_or_after_the_start() -> None:
    wednesday = date(2026, 3, 4)
    assert round_times(wednesday, DEFAULT_SCHEDULE, "UTC", 1).opens_at == utc(2026, 3, 9, 8)
    assert round_times(wednesday, DEFAULT_SCHEDULE, "UTC", 3).opens_at == utc(2026, 3, 23, 8)


def test_it_reads_a_moment_earlier_on_the_opening_day_as_next_week() -> None:
    schedule = WeeklySchedule(
        open=Moment(0, time(8)),
        submit=Moment(2, time(18)),
        review=Moment(4, time(12)),
        results=Moment(0, time(7)),
    )
    validate_schedule(schedule)
    times = round_times(date(2026, 3, 9), schedule, "UTC", 1)
    assert times.results_at == utc(2026, 3, 16, 7)


def test_it_turns_a_skipped_local_time_into_a_real_instant() -> None:
    # 01:30 on 29 March 2026 never shows on a London clock; it lands at 02:30 BST.
    assert local_datetime("2026-03-29", "01:30", "Europe/London", "x") == utc(2026, 3, 29, 1, 30)


@pytest.mark.parametrize(
    ("moments", "message"),
    [
        ((Moment(0, time(8)),) * 2 + (Moment(4, time(12)), Moment(4, time(16))), "after the round"),
        (
            (Moment(0, time(8)), Moment(4, time(12)), Moment(2, time(18)), Moment(4, time(16))),
            "Reviews must close after submissions close (Fri 12:00)",
        ),
        (
            (Moment(0, time(8)), Moment(2, time(18)), Moment(4, time(16)), Moment(4, time(12))),
            "Results must come after reviews close (Fri 16:00)",
        ),
        (
            (Moment(0, time(8)), Moment(2, time(18)), Moment(4, time(12)), Moment(4, time(12))),
            "Results must come after",
        ),
    ],
)
def test_it_refuses_moments_out_of_order(moments: tuple[Moment, ...], message: str) -> None:
    schedule = WeeklySchedule(*moments)
    with pytest.raises(ScheduleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_schedule(schedule)


@pytest.mark.parametrize("value", ["0", "41", "-3", "six", ""])
def test_it_refuses_round_counts_outside_one_to_forty(value: str) -> None:
    with pytest.raises(ScheduleError, match="1 to 40|whole number"):
        validate_round_count(value)


@pytest.mark.parametrize("value", ["1", "40", " 6 "])
def test_it_accepts_round_counts_from_one_to_forty(value: str) -> None:
    assert 1 <= validate_round_count(value) <= 40


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "europe/london", "../etc/passwd"])
def test_it_refuses_unknown_time_zones(zone: str) -> None:
    with pytest.raises(ScheduleError, match="time zone"):
        season_times(date(2026, 3, 9), DEFAULT_SCHEDULE, zone, 4)


@pytest.mark.parametrize(
    ("weekday", "at", "message"),
    [("7", "08:00", "day of the week"), ("mon", "08:00", "day of the week"), ("0", "8am", "08:00")],
)
def test_it_names_the_moment_with_a_bad_day_or_time(weekday: str, at: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=f"Round opens: .*{message}"):
        parse_moment(weekday, at, "Round opens")


def test_it_defaults_a_new_season_to_the_next_opening_still_ahead() -> None:
    monday_morning = utc(2026, 3, 2, 7, 59)
    assert next_start_date(monday_morning, "UTC", DEFAULT_SCHEDULE) == date(2026, 3, 2)
    monday_late = utc(2026, 3, 2, 9)
    assert next_start_date(monday_late, "UTC", DEFAULT_SCHEDULE) == date(2026, 3, 9)


def test_it_round_trips_a_schedule_through_json() -> None:
    stored = DEFAULT_SCHEDULE.to_json()
    assert stored["submit"] == {"weekday": 2, "time": "18:00"}
    assert WeeklySchedule.from_json(stored) == DEFAULT_SCHEDULE
