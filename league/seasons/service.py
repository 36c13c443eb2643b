"""Seasons and rounds: create, plan, swap drills, extend deadlines, and what a rep does today.

Services take plain values and `now`; they never see a request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.transactions import in_transaction

from league.accounts.models import Team
from league.clips.models import Entry
from league.live.events import publish_team_change
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons import schedule as schedule_maths
from league.seasons.jobs import TRANSITION_BY_FIELD, schedule_round_jobs, schedule_transition
from league.seasons.models import (
    MAX_DRILLS_PER_ROUND,
    MIN_DRILLS_PER_ROUND,
    Round,
    RoundState,
    Season,
)
from league.seasons.schedule import MOMENT_LABELS, ScheduleError, WeeklySchedule
from league.web.errors import LeagueError, NotFound
from league.web.templating import local_time

ACTIVE_STATES = (RoundState.OPEN, RoundState.REVIEWING, RoundState.REVIEWS_CLOSED)
LOCAL_DATE_TIME = "%a %-d %b %H:%M"

# The deadlines a manager may move, in the order they must stay in.
DEADLINE_FIELDS = {
    "submit": "submit_closes_at",
    "review": "review_closes_at",
    "results": "results_at",
}
DEADLINE_LABELS = {which: MOMENT_LABELS[which] for which in DEADLINE_FIELDS}


@dataclass(frozen=True)
class SeasonInput:
    """A new season, parsed and checked."""

    name: str
    starts_on: date
    round_count: int
    time_zone: str
    schedule: WeeklySchedule
    drills_per_round: int = 1
    blind_reviews: bool = True


# --- creating and listing seasons ------------------------------------------------------


async def list_seasons(team_id: int) -> list[Season]:
    return await Season.filter(team_id=team_id).order_by("-starts_on", "-id")


async def list_active_drills(team_id: int) -> list[Drill]:
    """The team's drills that may go into a round, oldest first (the playbook's order)."""
    return await Drill.filter(team_id=team_id, archived_at__isnull=True).order_by("id")


async def create_season(
    team: Team,
    data: SeasonInput,
    now: datetime,
    reactions: Reactions,
    drills: Sequence[Drill] | None = None,
) -> Season:
    """Create a season, its rounds with drills handed out in turn, and every round's jobs.

    `drills` (the team's, in the order to hand out) defaults to its active drills.
    """
    times = schedule_maths.season_times(
        data.starts_on, data.schedule, data.time_zone, data.round_count
    )
    if data.starts_on < schedule_maths.local_today(now, data.time_zone):
        raise ScheduleError("Pick a start date from today on.")
    drills = list(drills) if drills is not None else await list_active_drills(team.id)
    check_enough_drills(drills, data.drills_per_round)
    await check_no_overlap(team.id, times[0].opens_at, times[-1].results_at, data.time_zone)
    async with in_transaction():
        season = await Season.create(
            team=team,
            name=data.name,
            starts_on=data.starts_on,
            round_count=data.round_count,
            time_zone=data.time_zone,
            schedule=data.schedule.to_json(),
            blind_reviews=data.blind_reviews,
            drills_per_round=data.drills_per_round,
        )
        for index, moments in enumerate(times):
            round_ = await Round.create(
                season=season,
                team=team,
                number=index + 1,
                opens_at=moments.opens_at,
                submit_closes_at=moments.submit_closes_at,
                review_closes_at=moments.review_closes_at,
                results_at=moments.results_at,
            )
            await round_.drills.add(*pick_drills(drills, index, data.drills_per_round))
            await schedule_round_jobs(round_)
    await publish_team_change(reactions, team.id, "schedule")
    return season


def check_enough_drills(drills: Sequence[Drill], per_round: int) -> None:
    if not drills:
        raise LeagueError("Add a drill to the playbook first: every round needs at least one.")
    if len(drills) < per_round:
        raise LeagueError(
            f"You asked for {per_round} drills per round, but the team has {len(drills)} "
            "active. Add drills or choose fewer per round."
        )


def pick_drills(drills: Sequence[Drill], round_index: int, per_round: int) -> list[Drill]:
    """Round-robin: each round takes the next `per_round` drills, wrapping around."""
    return [drills[(round_index * per_round + offset) % len(drills)] for offset in range(per_round)]


async def check_no_overlap(team_id: int, starts: datetime, ends: datetime, zone: str) -> None:
    """Two seasons of one team must not run at once, or a rep would have two rounds open."""
    clash = (
        await Round.filter(team_id=team_id, opens_at__lte=ends, results_at__gte=starts)
        .order_by("-results_at")
        .prefetch_related("season")
        .first()
    )
    if clash is not None:
        last = await Round.filter(season_id=clash.season.id).order_by("-results_at").first()
        assert last is not None  # the clashing round itself belongs to that season
        until = local_time(last.results_at, zone, "%a %-d %b")
        raise ScheduleError(
            f"This season would run at the same time as {clash.season.name}, which ends "
            f"{until}. Start it after that."
        )


# --- planning rounds -----------------------------------------------------------------


async def get_drills_for_team(team_id: int, drill_ids: Sequence[int]) -> list[Drill]:
    """The team's active drills with these ids, in the order given; unknown ids are 404."""
    found = {
        drill.id: drill
        for drill in await Drill.filter(
            team_id=team_id, id__in=list(drill_ids), archived_at__isnull=True
        )
    }
    if len(found) != len(set(drill_ids)):
        raise NotFound("That drill isn't in your team's active drills.")
    return [found[drill_id] for drill_id in drill_ids]


def can_change_drills(round_: Round, now: datetime) -> bool:
    """Drills are fixed once a round opens: reps may already be practising them."""
    return round_.state == RoundState.PLANNED and now < round_.opens_at


def check_can_change_drills(round_: Round, now: datetime, time_zone: str) -> None:
    if not can_change_drills(round_, now):
        opened = local_time(round_.opens_at, time_zone, LOCAL_DATE_TIME)
        raise LeagueError(
            f"Round {round_.number} opened {opened}, so its drills can't change now: reps "
            "may already be practising them.",
            status=409,
        )


async def plan_round(round_: Round, drill_ids: Sequence[int], now: datetime) -> None:
    """Set a planned round's drills (1 to 3, no repeats)."""
    season = await round_.season
    check_can_change_drills(round_, now, season.time_zone)
    unique_ids = list(dict.fromkeys(drill_ids))
    if not MIN_DRILLS_PER_ROUND <= len(unique_ids) <= MAX_DRILLS_PER_ROUND:
        raise LeagueError(
            f"Pick {MIN_DRILLS_PER_ROUND} to {MAX_DRILLS_PER_ROUND} drills for the round."
        )
    drills = await get_drills_for_team(round_.team_id, unique_ids)  # type: ignore[attr-defined]
    async with in_transaction():
        await round_.drills.clear()
        await round_.drills.add(*drills)


async def swap_drill(round_: Round, old_drill_id: int, new_drill_id: int, now: datetime) -> None:
    """Replace one of a planned round's drills with another of the team's drills."""
    season = await round_.season
    check_can_change_drills(round_, now, season.time_zone)
    current = [drill.id for drill in await round_.drills.all()]
    if old_drill_id not in current:
        raise NotFound("That drill isn't in this round.")
    if new_drill_id == old_drill_id:
        return
    if new_drill_id in current:
        raise LeagueError("That drill is already in this round; pick a different one.")
    (new_drill,) = await get_drills_for_team(round_.team_id, [new_drill_id])  # type: ignore[attr-defined]
    old_drill = await Drill.get(id=old_drill_id)
    async with in_transaction():
        await round_.drills.remove(old_drill)
        await round_.drills.add(new_drill)


# --- deadlines -----------------------------------------------------------------------


async def extend_deadline(
    round_: Round, which: str, new_at: datetime, now: datetime, reactions: Reactions
) -> Round:
    """Move a deadline later. The order open < submissions < reviews < results and the
    next round's opening stay intact, and the matching job moves with it."""
    if which not in DEADLINE_FIELDS:
        raise LeagueError("Choose which deadline to extend: submissions, reviews or results.")
    season = await round_.season
    zone = season.time_zone
    time_field = DEADLINE_FIELDS[which]
    label = DEADLINE_LABELS[which]
    current: datetime = getattr(round_, time_field)
    transition = TRANSITION_BY_FIELD[time_field]
    if which not in {row[0] for row in list_extendable_deadlines(round_, now)}:
        shown = local_time(current, zone, LOCAL_DATE_TIME)
        raise LeagueError(f"{label} already passed ({shown}); it can't be extended now.")
    if new_at <= current:
        shown = local_time(current, zone, LOCAL_DATE_TIME)
        raise LeagueError(f"Pick a time after the current deadline ({shown}).")
    await check_deadline_order(round_, which, new_at, zone)
    setattr(round_, time_field, new_at)
    await round_.save(update_fields=[time_field])
    await schedule_transition(round_, transition)
    await publish_team_change(reactions, round_.team_id, "schedule")  # type: ignore[attr-defined]
    return round_


@dataclass(frozen=True)
class EarlyMove:
    """Something a manager may do before the clock does it: which states it is offered in,
    and the deadlines it brings forward to now."""

    label: str
    from_states: tuple[RoundState, ...]
    time_fields: tuple[str, ...]


EARLY_MOVES = {
    "close_submissions": EarlyMove(
        "Close submissions and open reviews", (RoundState.OPEN,), ("submit_closes_at",)
    ),
    "publish_results": EarlyMove(
        "Close reviews and publish results",
        (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED),
        ("review_closes_at", "results_at"),
    ),
}


def list_early_moves(round_: Round) -> list[tuple[str, EarlyMove]]:
    return [(name, move) for name, move in EARLY_MOVES.items() if round_.state in move.from_states]


async def bring_forward(round_: Round, name: str, now: datetime, reactions: Reactions) -> Round:
    """Move a round's next deadlines to now; its own jobs then run the change as on any day.

    The worker (poked by the caller) walks the round through every state in order with its
    hooks, exactly as when the clock reaches a deadline, so there is one way to move a round.
    """
    move = EARLY_MOVES.get(name)
    if move is None or round_.state not in move.from_states:
        raise LeagueError(
            f"Round {round_.number} is {round_.state.label.lower()}: nothing to do early."
        )
    for time_field in move.time_fields:
        if getattr(round_, time_field) > now:
            setattr(round_, time_field, now)
    await round_.save(update_fields=list(move.time_fields))
    for time_field in move.time_fields:
        await schedule_transition(round_, TRANSITION_BY_FIELD[time_field])
    await publish_team_change(reactions, round_.team_id, "schedule")  # type: ignore[attr-defined]
    return round_


async def check_deadline_order(round_: Round, which: str, new_at: datetime, zone: str) -> None:
    names = list(DEADLINE_FIELDS)
    following = names[names.index(which) + 1 :]
    for later in following:
        limit: datetime = getattr(round_, DEADLINE_FIELDS[later])
        if new_at >= limit:
            shown = local_time(limit, zone, LOCAL_DATE_TIME)
            raise LeagueError(
                f"{DEADLINE_LABELS[which]} must stay before {DEADLINE_LABELS[later].lower()} "
                f"({shown}). Extend that first."
            )
    next_round = await Round.filter(season_id=round_.season_id, number=round_.number + 1).first()  # type: ignore[attr-defined]
    if next_round is not None and new_at >= next_round.opens_at:
        shown = local_time(next_round.opens_at, zone, LOCAL_DATE_TIME)
        raise LeagueError(
            f"{DEADLINE_LABELS[which]} must stay before round {next_round.number} opens ({shown})."
        )


# --- the current round and Today -------------------------------------------------------


async def current_round(team_id: int, now: datetime) -> Round | None:
    """The team's round in play (open or in review), else the next planned one, else None.

    `now` is accepted so callers read one clock; state, not the time, decides what is in
    play, because the worker moves rounds exactly when their jobs run.
    """
    active = (
        await Round.filter(team_id=team_id, state__in=ACTIVE_STATES).order_by("opens_at").first()
    )
    if active is not None:
        return active
    return (
        await Round.filter(team_id=team_id, state=RoundState.PLANNED)
        .order_by("opens_at", "id")
        .first()
    )


# --- season detail -------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRow:
    """A round as the season page shows it, with what a manager may still change."""

    round: Round
    drills: list[Drill]
    entry_count: int
    can_change_drills: bool
    # (which, label, current time) for each deadline that has not passed yet
    extendable: list[tuple[str, str, datetime]]
    # (name, move) for what the manager may do now instead of waiting for the clock
    early_moves: list[tuple[str, EarlyMove]]


def build_round_row(
    round_: Round, drills: list[Drill], entry_count: int, now: datetime
) -> RoundRow:
    return RoundRow(
        round=round_,
        drills=sorted(drills, key=by_id),
        entry_count=entry_count,
        can_change_drills=can_change_drills(round_, now),
        extendable=list_extendable_deadlines(round_, now),
        early_moves=list_early_moves(round_),
    )


def list_extendable_deadlines(round_: Round, now: datetime) -> list[tuple[str, str, datetime]]:
    extendable = []
    for which, time_field in DEADLINE_FIELDS.items():
        current: datetime = getattr(round_, time_field)
        transition = TRANSITION_BY_FIELD[time_field]
        if now < current and round_.state.position < transition.state.position:
            extendable.append((which, DEADLINE_LABELS[which], current))
    return extendable


async def list_round_rows(season: Season, now: datetime) -> list[RoundRow]:
    rounds = await Round.filter(season_id=season.id).order_by("number").prefetch_related("drills")
    counts = await count_entries([round_.id for round_ in rounds])
    return [
        build_round_row(round_, list(round_.drills), counts.get(round_.id, 0), now)
        for round_ in rounds
    ]


def by_id(drill: Drill) -> int:
    return drill.id


async def get_round_row(round_: Round, now: datetime) -> RoundRow:
    counts = await count_entries([round_.id])
    return build_round_row(round_, list(await round_.drills.all()), counts.get(round_.id, 0), now)


async def count_entries(round_ids: list[int]) -> dict[int, int]:
    """Submitted (not withdrawn) entries per round."""
    counts: dict[int, int] = {}
    rows: list[Any] = await Entry.filter(
        round_id__in=round_ids, withdrawn_at__isnull=True
    ).values_list("round_id", flat=True)
    for round_id in rows:
        counts[int(round_id)] = counts.get(int(round_id), 0) + 1
    return counts
