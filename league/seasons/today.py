"""What a member sees on Today: the round in play, its drills, and which ones they've done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from league.accounts.models import Membership
from league.clips.models import Entry
from league.playbook.models import Drill
from league.seasons.models import Round, RoundState, Season
from league.seasons.service import current_round

# How long after a season's last results Today still shows them before "no season".
RESULTS_SHOWN_FOR = timedelta(days=14)


async def latest_results_round(team_id: int) -> Round | None:
    return (
        await Round.filter(team_id=team_id, state=RoundState.RESULTS)
        .order_by("-results_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class DrillStatus:
    drill: Drill
    done: bool


@dataclass
class TodayView:
    """What Today shows. `phase` is open, reviewing, results, upcoming or none."""

    phase: str
    round: Round | None = None
    season: Season | None = None
    drills: list[DrillStatus] = field(default_factory=list)
    next_round: Round | None = None

    @property
    def deadline(self) -> datetime | None:
        """The next moment that matters to a rep in this phase (what the countdown shows)."""
        if self.round is None:
            return None
        if self.phase == "open":
            return self.round.submit_closes_at
        if self.phase == "reviewing":
            if self.round.state == RoundState.REVIEWING:
                return self.round.review_closes_at
            return self.round.results_at
        if self.phase == "upcoming":
            return self.round.opens_at
        return self.next_round.opens_at if self.next_round else None

    @property
    def done_count(self) -> int:
        return sum(1 for status in self.drills if status.done)

    @property
    def time_zone(self) -> str:
        return self.season.time_zone if self.season else "UTC"


async def today_for_member(member: Membership, now: datetime) -> TodayView:
    team_id: int = member.team_id  # type: ignore[attr-defined]
    round_ = await current_round(team_id, now)
    if round_ is not None and round_.state != RoundState.PLANNED:
        phase = "open" if round_.state == RoundState.OPEN else "reviewing"
        return await build_today(phase, round_, member, round_)
    finished = await latest_results_round(team_id)
    recent = finished is not None and now - finished.results_at < RESULTS_SHOWN_FOR
    if finished is not None and (round_ is not None or recent):
        return await build_today("results", finished, member, round_)
    if round_ is not None:
        return await build_today("upcoming", round_, member, round_)
    return TodayView(phase="none")


async def build_today(
    phase: str, round_: Round, member: Membership, next_round: Round | None
) -> TodayView:
    drills = await round_.drills.all().order_by("id")
    done = await list_done_drill_ids(round_.id, member.id)
    return TodayView(
        phase=phase,
        round=round_,
        season=await round_.season,
        drills=[DrillStatus(drill, drill.id in done) for drill in drills],
        next_round=next_round if next_round is not None and next_round.id != round_.id else None,
    )


async def list_done_drill_ids(round_id: int, member_id: int) -> set[int]:
    """Drills the member has a standing (not withdrawn) entry for in the round."""
    rows = await Entry.filter(
        round_id=round_id, member_id=member_id, withdrawn_at__isnull=True
    ).values_list("drill_id", flat=True)
    return {int(str(drill_id)) for drill_id in rows}


def describe_duration(now: datetime, moment: datetime) -> str:
    """How long until `moment`: '2 days 4 hours', '3 hours 5 min', '12 min', 'under a minute'.

    static/js/seasons.js words it the same way when it updates the countdown in the page.
    """
    seconds = int((moment - now).total_seconds())
    if seconds <= 0:
        return "no time"
    minutes = seconds // 60
    days, hours, mins = minutes // (24 * 60), minutes // 60 % 24, minutes % 60
    if days:
        return f"{plural(days, 'day')} {plural(hours, 'hour')}" if hours else plural(days, "day")
    if hours:
        return f"{plural(hours, 'hour')} {mins} min"
    return f"{mins} min" if mins else "under a minute"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
