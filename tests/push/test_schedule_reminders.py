"""A round's week with a controllable clock: each reminder fires once, at the right local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.push.jobs import schedule_round_reminders
from league.push.models import Notification, NotificationStatus, ReminderKind
from league.reactions import Reactions
from league.seasons.models import Round, RoundState
from league.standings.models import Award, RoundPoints, SeasonStanding
from league.web.templating import local_time
from tests.factories import make_entry
from tests.push.conftest import (
    assign_review,
    enter_state,
    open_round,
    run_jobs,
    run_jobs_at,
    subscribe,
    titles_for,
)
from tests.push.push_service import LocalPushService

MINUTE = timedelta(minutes=1)


def titles(local: LocalPushService) -> list[str]:
    return [item.payload["title"] for item in local.received]


async def test_it_schedules_reminders_from_the_round_state_hook(reactions: Reactions) -> None:
    assert schedule_round_reminders in reactions.round_hooks


async def test_it_reminds_each_rep_once_at_each_moment_of_the_week(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    round_: Round,
    rep: Membership,
    teammate: Membership,
    manager: Membership,
) -> None:
    rep_phone = await subscribe(rep, push_service)
    teammate_phone = await subscribe(teammate, push_service)
    manager_phone = await subscribe(manager, push_service)
    await SeasonStanding.create(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        season_id=round_.season_id,  # type: ignore[attr-defined]
        member=rep,
        current_streak=3,
    )

    # Monday 09:00 London: the round opens.
    await open_round(app, round_)
    [opened] = push_service.payloads_for(rep_phone)
    assert opened["title"] == "Round 1 is open"
    assert "Value prop in 30 seconds" in opened["body"] and "Wed 18:00" in opened["body"]
    assert len(push_service.payloads_for(teammate_phone)) == 1
    assert push_service.payloads_for(manager_phone) == []  # managers don't submit

    # The teammate practises on Monday, so only the rep hears about the deadline.
    teammate_entry = await make_entry(round_, teammate, clock.now())

    # Tuesday 18:00 (a day before the deadline): the rep's 3-round streak is at risk.
    await run_jobs_at(app, clock, datetime(2026, 3, 3, 17, 59, tzinfo=UTC))
    assert len(push_service.received) == 2
    clock.advance(MINUTE)
    await run_jobs(app)
    streak = push_service.payloads_for(rep_phone)[-1]
    assert streak["title"] == "Keep your 3-round streak going"

    # Wednesday 16:00: two hours before submissions close.
    await run_jobs_at(app, clock, datetime(2026, 3, 4, 15, 59, tzinfo=UTC))
    assert len(push_service.received) == 3
    clock.advance(MINUTE)
    await run_jobs(app)
    deadline = push_service.payloads_for(rep_phone)[-1]
    assert deadline["title"] == "Round 1 closes at 18:00"
    assert len(push_service.payloads_for(teammate_phone)) == 1

    # Wednesday 18:00: submissions close; the rep has a clip to review.
    rep_entry = await make_entry(round_, rep, clock.now())
    await assign_review(round_, teammate_entry, rep)
    await assign_review(round_, rep_entry, manager)
    clock.set(round_.submit_closes_at)
    await enter_state(app, round_, RoundState.REVIEWING)
    await run_jobs(app)
    assert push_service.payloads_for(rep_phone)[-1]["body"].startswith("1 clip is waiting")
    assert push_service.payloads_for(manager_phone)[-1]["url"]
    assert len(push_service.payloads_for(teammate_phone)) == 1  # nothing to review

    # Next Monday 08:30: results, with each member's highlight.
    await Award.create(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        round=round_,
        member=rep,
        category="most_improved",
        rank=1,
        value=1.2,
    )
    await RoundPoints.create(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        season_id=round_.season_id,  # type: ignore[attr-defined]
        round=round_,
        member=teammate,
        total=23,
    )
    clock.set(round_.results_at)
    await enter_state(app, round_, RoundState.RESULTS)
    await run_jobs(app)
    assert push_service.payloads_for(rep_phone)[-1]["body"] == (
        "You won Most improved this round. Nice work!"
    )
    assert push_service.payloads_for(teammate_phone)[-1]["body"].startswith("You earned 23 points")
    assert push_service.payloads_for(rep_phone)[-1]["url"] == "/standings"

    # Running everything again, much later, sends nothing new.
    clock.advance(timedelta(days=2))
    await enter_state(app, round_, RoundState.RESULTS)
    await run_jobs(app)
    assert titles(push_service).count("Round 1 is open") == 2
    assert len(push_service.payloads_for(rep_phone)) == 5
    assert push_service.problems == []


async def test_it_uses_the_team_time_zone_for_the_deadline_text(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    round_: Round,
    rep: Membership,
) -> None:
    # After the clocks change (29 March in London) 17:00 UTC is 18:00 local.
    summer_close = datetime(2026, 4, 1, 17, 0, tzinfo=UTC)
    await Round.filter(id=round_.id).update(submit_closes_at=summer_close)
    round_.submit_closes_at = summer_close
    clock.set(datetime(2026, 3, 30, 9, 0, tzinfo=UTC))
    phone = await subscribe(rep, push_service)
    await enter_state(app, round_, RoundState.OPEN)
    await run_jobs_at(app, clock, summer_close - timedelta(hours=2))
    assert local_time(clock.now(), "Europe/London", "%H:%M") == "16:00"
    assert push_service.payloads_for(phone)[-1]["title"] == "Round 1 closes at 18:00"


async def test_it_skips_the_deadline_reminder_for_reps_who_are_done(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    round_: Round,
    rep: Membership,
) -> None:
    phone = await subscribe(rep, push_service)
    await open_round(app, round_)
    await make_entry(round_, rep, clock.now())
    await run_jobs_at(app, clock, round_.submit_closes_at - timedelta(hours=2))
    assert titles_for(push_service, phone) == ["Round 1 is open"]
    assert not await Notification.exists(member_id=rep.id, kind=ReminderKind.DEADLINE)


async def test_it_sends_nothing_for_a_round_that_moved_on_before_the_job_ran(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    round_: Round,
    rep: Membership,
) -> None:
    phone = await subscribe(rep, push_service)
    await enter_state(app, round_, RoundState.OPEN)
    # A late worker walks the round straight on to reviewing before the open reminder runs.
    await Round.filter(id=round_.id).update(state=RoundState.REVIEWING)
    await run_jobs_at(app, clock, round_.submit_closes_at + MINUTE)
    assert push_service.payloads_for(phone) == []


async def test_it_shows_reminders_in_the_app_for_members_without_push(
    app: Starlette,
    push_service: LocalPushService,
    round_: Round,
    rep: Membership,
) -> None:
    await open_round(app, round_)
    notification = await Notification.get(member_id=rep.id)
    assert notification.status == NotificationStatus.SENT
    assert notification.devices_sent == 0
    assert push_service.received == []


async def test_the_deadline_reminder_follows_an_extended_deadline(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    round_: Round,
    rep: Membership,
) -> None:
    phone = await subscribe(rep, push_service)
    await open_round(app, round_)
    later = round_.submit_closes_at + timedelta(days=1)  # Thursday 18:00
    await Round.filter(id=round_.id).update(submit_closes_at=later)

    await run_jobs_at(app, clock, datetime(2026, 3, 4, 16, 0, tzinfo=UTC))  # the old reminder time
    assert titles_for(push_service, phone) == ["Round 1 is open"]

    await run_jobs_at(app, clock, datetime(2026, 3, 5, 16, 0, tzinfo=UTC))
    assert push_service.payloads_for(phone)[-1]["title"] == "Round 1 closes at 18:00"
    assert "Thu" not in push_service.payloads_for(phone)[-1]["title"]
    clock.advance(timedelta(days=1))
    await run_jobs(app)
    assert len(push_service.payloads_for(phone)) == 2
