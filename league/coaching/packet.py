"""The 1:1 packet: one page per rep per week for the manager to read before the 1:1.

`build_packet` gathers the practice parts (focus skills and their trends, best and weakest
clip with peer comments, review activity and streak) for anyone allowed to see the rep;
the coaching parts (sales numbers, the suggested agenda, notes) only when `for_coach`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from league.accounts.models import Membership
from league.coaching import agenda as agenda_maths
from league.coaching.charts import BarChart, LineChart, funnel_chart, trend_chart
from league.coaching.focus import Choice, list_choices, list_focus_skills
from league.coaching.metrics import Comparison
from league.coaching.metrics_service import compare_member
from league.coaching.models import AgreedAction, FocusSkill, OneOnOne
from league.coaching.practice import PracticeList, list_extra_practice
from league.coaching.skills import SkillData, Suggestion, load_skill_data, suggest_focus, trend
from league.playbook.models import Drill
from league.reviews.models import EntryScore, Review, ReviewStatus
from league.seasons.models import RoundState, Season
from league.seasons.schedule import local_today
from league.standings.tables import MemberCard, member_season_card
from league.web.errors import LeagueError

ONE_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class SkillTrend:
    label: str
    kind: str
    key: str
    chart: LineChart
    latest: float | None
    team_latest: float | None


@dataclass(frozen=True)
class Clip:
    entry_id: int
    take_id: int
    drill_id: int
    drill: str
    round_number: int
    score: float
    comments: list[tuple[str, str]]  # (kudos, next rep), reviewers unnamed


@dataclass(frozen=True)
class ReviewActivity:
    assigned: int
    submitted: int


@dataclass
class Packet:
    rep: Membership
    week_of: date
    season: Season | None
    for_coach: bool
    focus: list[SkillTrend] = field(default_factory=list)
    best: Clip | None = None
    weakest: Clip | None = None
    activity: ReviewActivity = ReviewActivity(0, 0)
    card: MemberCard | None = None
    comparison: Comparison | None = None
    funnel: BarChart | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    chosen: set[str] = field(default_factory=set)
    agenda: list[agenda_maths.AgendaItem] = field(default_factory=list)
    one_on_one: OneOnOne | None = None
    actions: list[AgreedAction] = field(default_factory=list)
    last_week_actions: list[AgreedAction] = field(default_factory=list)
    practice: PracticeList = PracticeList([])
    drills: list[Drill] = field(default_factory=list)

    @property
    def week_before(self) -> date:
        return self.week_of - ONE_WEEK

    @property
    def week_after(self) -> date:
        return self.week_of + ONE_WEEK


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def build_packet(
    rep: Membership, season: Season | None, week_of: date, for_coach: bool
) -> Packet:
    packet = Packet(rep=rep, week_of=week_of, season=season, for_coach=for_coach)
    if season is not None:
        await add_practice(packet, season)
    packet.one_on_one = await OneOnOne.get_or_none(member_id=rep.id, week_of=week_of)
    if packet.one_on_one is not None:
        packet.actions = await packet.one_on_one.actions.all()
    packet.last_week_actions = await AgreedAction.filter(
        one_on_one__member_id=rep.id, one_on_one__week_of=week_of - ONE_WEEK
    ).order_by("id")
    packet.practice = await list_extra_practice(rep.id)
    if for_coach:
        await add_coaching(packet)
    return packet


async def add_practice(packet: Packet, season: Season) -> None:
    data = await load_skill_data(season.id)
    skills = await list_focus_skills(packet.rep.id, season.id)
    packet.focus = [focus_trend(data, skill, packet.rep) for skill in skills]
    packet.chosen = {f"{skill.kind}:{skill.key}" for skill in skills}
    packet.best, packet.weakest = await find_best_and_weakest(packet.rep.id, season.id)
    packet.activity = await count_review_activity(packet.rep.id, season.id)
    packet.card = await member_season_card(season.id, packet.rep.id)
    packet.suggestions = suggest_focus(data, packet.rep.id)


def focus_trend(data: SkillData, skill: FocusSkill, rep: Membership) -> SkillTrend:
    points = trend(data, skill.kind, skill.key, rep.id)
    own = [point for point in points if point.own is not None]
    return SkillTrend(
        label=skill.label,
        kind=skill.kind,
        key=skill.key,
        chart=trend_chart(points, rep.user.name),
        latest=own[-1].own if own else None,
        team_latest=points[-1].team if points else None,
    )


async def add_coaching(packet: Packet) -> None:
    packet.comparison = await compare_member(packet.rep.team_id, packet.rep.id)  # type: ignore[attr-defined]
    if packet.comparison is not None:
        packet.funnel = funnel_chart(
            [(step.label, step.rate, step.team) for step in packet.comparison.steps]
        )
    if packet.season is not None:
        packet.choices = await list_choices(packet.season)
    packet.drills = await Drill.filter(
        team_id=packet.rep.team_id,  # type: ignore[attr-defined]
        archived_at=None,
    ).order_by("title")
    packet.agenda = agenda_maths.suggest_agenda(
        best=packet.best,
        weakest=packet.weakest,
        focus=packet.focus,
        suggestions=packet.suggestions,
        comparison=packet.comparison,
        last_week_actions=len(packet.last_week_actions),
    )


async def find_best_and_weakest(member_id: int, season_id: int) -> tuple[Clip | None, Clip | None]:
    """The rep's highest and lowest scored entries of the season's finished rounds."""
    scores = (
        await EntryScore.filter(
            entry__member_id=member_id,
            round__season_id=season_id,
            round__state=RoundState.RESULTS,
            entry__withdrawn_at=None,
            score__isnull=False,
        )
        .order_by("-score", "entry_id")
        .select_related("entry__drill", "round")
    )
    if not scores:
        return None, None
    best = await to_clip(scores[0])
    weakest = await to_clip(scores[-1]) if len(scores) > 1 else None
    return best, weakest


async def to_clip(score: EntryScore) -> Clip:
    rows: list[Any] = await Review.filter(
        entry_id=score.entry.id, is_judgement=False, status=ReviewStatus.SUBMITTED
    ).values_list("kudos", "next_rep")
    return Clip(
        entry_id=score.entry.id,
        take_id=score.entry.take_id,  # type: ignore[attr-defined]
        drill_id=score.entry.drill.id,
        drill=score.entry.drill.title,
        round_number=score.round.number,
        score=float(score.score or 0.0),
        comments=[(str(kudos), str(next_rep)) for kudos, next_rep in rows if kudos or next_rep],
    )


async def count_review_activity(member_id: int, season_id: int) -> ReviewActivity:
    reviews = Review.filter(reviewer_id=member_id, round__season_id=season_id, is_judgement=False)
    return ReviewActivity(
        assigned=await reviews.count(),
        submitted=await reviews.filter(status=ReviewStatus.SUBMITTED).count(),
    )


# --- notes and agreed actions -----------------------------------------------------------

MAX_ACTIONS = 3


def parse_actions(text: str) -> list[str]:
    lines = [" ".join(line.split())[:300] for line in text.splitlines()]
    return [line for line in lines if line][:MAX_ACTIONS]


async def save_notes(rep: Membership, week_of: date, notes: str, actions: list[str]) -> OneOnOne:
    """Save the week's notes and replace the week's agreed actions."""
    one_on_one, _ = await OneOnOne.get_or_create(
        member_id=rep.id,
        week_of=week_of,
        defaults={"team_id": rep.team_id},  # type: ignore[attr-defined]
    )
    one_on_one.notes = notes.strip()[:5000]
    await one_on_one.save(update_fields=["notes", "updated_at"])
    await AgreedAction.filter(one_on_one_id=one_on_one.id).delete()
    for text in actions:
        await AgreedAction.create(one_on_one=one_on_one, text=text)
    return one_on_one


async def mark_action(action: AgreedAction, done: bool) -> AgreedAction:
    action.done = done
    await action.save(update_fields=["done"])
    return action


def week_from(value: str | None, now: datetime, time_zone: str) -> date:
    """The Monday of the week asked for (?week=2026-03-02), else of this week."""
    if not value:
        return monday_of(local_today(now, time_zone))
    try:
        return monday_of(date.fromisoformat(value))
    except ValueError:
        raise LeagueError("Give the week as a date, for example 2026-03-02.") from None
