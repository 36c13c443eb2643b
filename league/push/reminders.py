"""The week's reminders: who gets which one, what it says, and when it stops being useful.

Each reminder kind has a builder that looks at the round *when the job runs* (not when
it was scheduled), so a round that moved on, a rep who already submitted or a review
queue already done simply yields no reminder.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from league.accounts.models import Membership, Role
from league.clips.models import Entry
from league.push.models import Notification, NotificationStatus, ReminderKind
from league.push.service import Reminder
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import Round, RoundState
from league.standings.models import Award, AwardCategory, RoundPoints, SeasonStanding
from league.web.templating import local_time

DEADLINE_LEAD = timedelta(hours=2)
STREAK_LEAD = timedelta(hours=24)
RESULTS_LIFETIME = timedelta(days=3)
NUDGE_EVERY = timedelta(hours=12)
MIN_STREAK_AT_RISK = 2  # rounds in a row worth protecting
# Timed from the submissions deadline, so they follow it when a manager extends it.
DEADLINE_KINDS = (ReminderKind.DEADLINE, ReminderKind.STREAK)

# The page each reminder opens, by route name.
PAGES: dict[ReminderKind, str] = {
    ReminderKind.ROUND_OPEN: "seasons:today",
    ReminderKind.DEADLINE: "seasons:today",
    ReminderKind.STREAK: "seasons:today",
    ReminderKind.NUDGE: "seasons:today",
    ReminderKind.REVIEW: "reviews:queue",
    ReminderKind.RESULTS: "standings:table",
}


def page_for(kind: ReminderKind, url_path_for: Callable[..., str]) -> str:
    return str(url_path_for(PAGES[kind]))


@dataclass(frozen=True)
class RoundFacts:
    """A round and its team, loaded once for every builder."""

    round_: Round
    time_zone: str
    drill_titles: list[str]
    drill_count: int
    url: str
    members: list[Membership] = field(default_factory=list)

    def when(self, moment: datetime) -> str:
        return local_time(moment, self.time_zone, "%a %H:%M")


async def load_facts(
    round_: Round, kind: ReminderKind, url_path_for: Callable[..., str]
) -> RoundFacts:
    team = await round_.team
    drills = await round_.drills.all()
    members = await (
        Membership.filter(team_id=team.id, is_active=True).select_related("user").order_by("id")
    )
    return RoundFacts(
        round_=round_,
        time_zone=team.time_zone,
        drill_titles=[drill.title for drill in drills],
        drill_count=max(len(drills), 1),
        url=page_for(kind, url_path_for),
        members=list(members),
    )


def reps(facts: RoundFacts) -> list[Membership]:
    return [member for member in facts.members if member.role == Role.REP]


async def entry_counts(round_id: int) -> dict[int, int]:
    rows = await Entry.filter(round_id=round_id, withdrawn_at=None).values_list(
        "member_id", flat=True
    )
    counts: dict[int, int] = {}
    for member_id in rows:
        counts[int(member_id)] = counts.get(int(member_id), 0) + 1  # type: ignore[call-overload]
    return counts


async def members_still_to_submit(facts: RoundFacts) -> list[Membership]:
    """Reps who have not submitted every drill of the round yet."""
    counts = await entry_counts(facts.round_.id)
    return [member for member in reps(facts) if counts.get(member.id, 0) < facts.drill_count]


def reminder(
    facts: RoundFacts, member: Membership, title: str, body: str, expires: datetime
) -> Reminder:
    return Reminder(member, title, body, facts.url, expires, facts.time_zone)


# --- Builders: one per kind ------------------------------------------------------------


def is_open_for_entries(round_: Round, now: datetime) -> bool:
    return round_.state == RoundState.OPEN and now < round_.submit_closes_at


async def build_round_open(facts: RoundFacts, now: datetime) -> list[Reminder]:
    round_ = facts.round_
    if not is_open_for_entries(round_, now):
        return []
    drills = ", ".join(facts.drill_titles) or "this week's drills"
    stop = "" if drills[-1] in ".?!" else "."
    body = f"This week: {drills}{stop} Submit by {facts.when(round_.submit_closes_at)}."
    title = f"Round {round_.number} is open"
    return [
        reminder(facts, member, title, body, round_.submit_closes_at)
        for member in await members_still_to_submit(facts)
    ]


async def build_deadline(facts: RoundFacts, now: datetime) -> list[Reminder]:
    round_ = facts.round_
    if not is_open_for_entries(round_, now):
        return []
    title = f"Round {round_.number} closes at {facts.when(round_.submit_closes_at)[4:]}"
    body = "Two hours to go. One take per drill is all it takes - you've got this."
    return [
        reminder(facts, member, title, body, round_.submit_closes_at)
        for member in await members_still_to_submit(facts)
    ]


async def build_streak(facts: RoundFacts, now: datetime) -> list[Reminder]:
    round_ = facts.round_
    if not is_open_for_entries(round_, now):
        return []
    waiting = {member.id: member for member in await members_still_to_submit(facts)}
    standings = await SeasonStanding.filter(
        season_id=round_.season_id,  # type: ignore[attr-defined]
        member_id__in=list(waiting),
        current_streak__gte=MIN_STREAK_AT_RISK,
    )
    return [
        reminder(
            facts,
            waiting[standing.member_id],  # type: ignore[attr-defined]
            f"Keep your {standing.current_streak}-round streak going",
            f"Round {round_.number} closes {facts.when(round_.submit_closes_at)}. "
            "A quick take keeps the streak alive.",
            round_.submit_closes_at,
        )
        for standing in standings
    ]


async def pending_reviews(round_id: int) -> dict[int, int]:
    rows = await Review.filter(
        round_id=round_id, status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT]
    ).values_list("reviewer_id", flat=True)
    counts: dict[int, int] = {}
    for reviewer_id in rows:
        counts[int(reviewer_id)] = counts.get(int(reviewer_id), 0) + 1  # type: ignore[call-overload]
    return counts


async def build_review(facts: RoundFacts, now: datetime) -> list[Reminder]:
    round_ = facts.round_
    if round_.state != RoundState.REVIEWING or now >= round_.review_closes_at:
        return []
    counts = await pending_reviews(round_.id)
    closes = facts.when(round_.review_closes_at)
    reminders = []
    for member in facts.members:
        waiting = counts.get(member.id, 0)
        if waiting:
            clips = "1 clip is" if waiting == 1 else f"{waiting} clips are"
            body = f"{clips} waiting for your review. Reviews close {closes}."
            title = f"Round {round_.number}: your teammates' clips are in"
            reminders.append(reminder(facts, member, title, body, round_.review_closes_at))
    return reminders


async def build_results(facts: RoundFacts, now: datetime) -> list[Reminder]:
    round_ = facts.round_
    if round_.state != RoundState.RESULTS:
        return []
    title = f"Round {round_.number} results are out"
    highlights = await load_highlights(round_)
    return [
        reminder(
            facts,
            member,
            title,
            highlights.get(member.id, "See how the team did."),
            now + RESULTS_LIFETIME,
        )
        for member in facts.members
    ]


async def load_highlights(round_: Round) -> dict[int, str]:
    """Each member's best news from the round: an award, else their points."""
    highlights: dict[int, str] = {}
    for points in await RoundPoints.filter(round_id=round_.id):
        if points.total > 0:
            highlights[points.member_id] = (  # type: ignore[attr-defined]
                f"You earned {points.total:g} points this round. See where you stand."
            )
    for award in await Award.filter(round_id=round_.id).order_by("-rank"):
        label = AwardCategory(award.category).label
        highlights[award.member_id] = (  # type: ignore[attr-defined]
            f"You made the {label} list (#{award.rank}). Nice work!"
            if award.rank > 1
            else f"You won {label} this round. Nice work!"
        )
    return highlights


Builder = Callable[[RoundFacts, datetime], Awaitable[list[Reminder]]]
BUILDERS: dict[ReminderKind, Builder] = {
    ReminderKind.ROUND_OPEN: build_round_open,
    ReminderKind.DEADLINE: build_deadline,
    ReminderKind.STREAK: build_streak,
    ReminderKind.REVIEW: build_review,
    ReminderKind.RESULTS: build_results,
}


# --- When each kind goes out -----------------------------------------------------------


def reminder_times(
    round_: Round, state: RoundState, now: datetime
) -> list[tuple[ReminderKind, datetime]]:
    """The reminders a round's new state calls for, and when each should fire."""
    if state == RoundState.OPEN:
        deadline = round_.submit_closes_at - DEADLINE_LEAD
        streak = max(round_.submit_closes_at - STREAK_LEAD, now)
        times = [(ReminderKind.ROUND_OPEN, now)]
        if streak < deadline:
            times.append((ReminderKind.STREAK, streak))
        if deadline > now:
            times.append((ReminderKind.DEADLINE, deadline))
        return times
    if state == RoundState.REVIEWING:
        return [(ReminderKind.REVIEW, now)]
    if state == RoundState.RESULTS:
        return [(ReminderKind.RESULTS, now)]
    return []


# --- Is a held reminder still worth sending? -------------------------------------------


async def is_still_useful(notification: Notification, now: datetime) -> bool:
    if now >= notification.expires_at:
        return False
    round_id = notification.round_id  # type: ignore[attr-defined]
    if round_id is None or notification.kind == ReminderKind.RESULTS:
        return True
    round_ = await Round.get_or_none(id=round_id)
    if round_ is None:
        return False
    if notification.kind == ReminderKind.REVIEW:
        counts = await pending_reviews(round_id)
        return round_.state == RoundState.REVIEWING and counts.get(notification.member_id, 0) > 0  # type: ignore[attr-defined]
    if not is_open_for_entries(round_, now):
        return False
    drill_count = max(await round_.drills.all().count(), 1)
    submitted = await Entry.filter(
        round_id=round_id,
        member_id=notification.member_id,  # type: ignore[attr-defined]
        withdrawn_at=None,
    ).count()
    return submitted < drill_count


# --- The manager's view and nudges -----------------------------------------------------


@dataclass
class MemberReminders:
    member: Membership
    has_practised: bool
    notifications: dict[str, Notification]
    last_nudge: Notification | None

    def can_nudge(self, now: datetime) -> bool:
        return not self.has_practised and (
            self.last_nudge is None or now - self.last_nudge.created_at >= NUDGE_EVERY
        )


async def round_reminders(round_: Round) -> list[MemberReminders]:
    """Per rep: which reminders they got for this round, and whether they've practised."""
    counts = await entry_counts(round_.id)
    members = (
        await Membership.filter(
            team_id=round_.team_id,  # type: ignore[attr-defined]
            is_active=True,
            role=Role.REP,
        )
        .select_related("user")
        .order_by("id")
    )
    by_member: dict[int, list[Notification]] = {}
    for notification in await Notification.filter(round_id=round_.id).order_by("created_at", "id"):
        by_member.setdefault(notification.member_id, []).append(notification)  # type: ignore[attr-defined]
    rows = []
    for member in members:
        mine = by_member.get(member.id, [])
        nudges = [n for n in mine if n.kind == ReminderKind.NUDGE]
        rows.append(
            MemberReminders(
                member=member,
                has_practised=counts.get(member.id, 0) > 0,
                notifications={n.kind.value: n for n in mine},
                last_nudge=nudges[-1] if nudges else None,
            )
        )
    rows.sort(key=lambda row: (row.has_practised, row.member.user.name.lower()))
    return rows


def nudge_text(coach: Membership, round_: Round, time_zone: str) -> tuple[str, str]:
    first_name = coach.user.name.split()[0] if coach.user.name.strip() else "Your manager"
    closes = local_time(round_.submit_closes_at, time_zone, "%a %H:%M")
    title = f"{first_name} is cheering you on"
    body = f"Round {round_.number} is open until {closes}. Got five minutes for a quick rep?"
    return title, body


def nudge_window(now: datetime) -> int:
    """Which 12-hour window `now` falls in: part of the key, so a double click sends once."""
    return int(now.timestamp() // NUDGE_EVERY.total_seconds())


def nudge_event(round_: Round, now: datetime) -> str:
    return f"{round_.id}:{nudge_window(now)}"


async def plan_nudges(
    coach: Membership, round_: Round, now: datetime, url_path_for: Callable[..., str]
) -> list[Reminder]:
    """Reminders for reps who haven't practised and weren't nudged in the last 12 hours."""
    team = await round_.team
    url = page_for(ReminderKind.NUDGE, url_path_for)
    title, body = nudge_text(coach, round_, team.time_zone)
    return [
        Reminder(row.member, title, body, url, round_.submit_closes_at, team.time_zone)
        for row in await round_reminders(round_)
        if row.can_nudge(now)
    ]


def describe(notification: Notification | None) -> str:
    """A manager-facing word for what happened to one reminder."""
    if notification is None:
        return ""
    if notification.status == NotificationStatus.SENT:
        return "Pushed" if notification.devices_sent else "In app"
    return {
        NotificationStatus.PENDING: "Sending",
        NotificationStatus.SENDING: "Sending",
        NotificationStatus.HELD: "Held (quiet hours)",
        NotificationStatus.MUTED: "Turned off",
        NotificationStatus.SKIPPED: "Skipped",
    }[notification.status]
