"""Quiet hours (team time zone, default 20:00-08:00) and per-kind opt-outs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.push import preferences, service
from league.push.models import Notification, NotificationStatus, ReminderKind
from league.seasons.models import Round, RoundState
from tests.factories import make_entry
from tests.push.conftest import (
    enter_state,
    make_round,
    open_round,
    run_jobs,
    run_jobs_at,
    subscribe,
    titles_for,
)
from tests.push.push_service import LocalPushService

LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 3, 2, 19, 59, tzinfo=UTC), None),
        (datetime(2026, 3, 2, 20, 0, tzinfo=UTC), datetime(2026, 3, 3, 8, 0, tzinfo=UTC)),
        (datetime(2026, 3, 3, 2, 0, tzinfo=UTC), datetime(2026, 3, 3, 8, 0, tzinfo=UTC)),
        (datetime(2026, 3, 3, 8, 0, tzinfo=UTC), None),
        # Summer time: 07:30 UTC is 08:30 in London, already past quiet hours.
        (datetime(2026, 6, 3, 7, 30, tzinfo=UTC), None),
        (datetime(2026, 6, 3, 6, 30, tzinfo=UTC), datetime(2026, 6, 3, 7, 0, tzinfo=UTC)),
    ],
)
def test_it_knows_when_quiet_hours_end(now: datetime, expected: datetime | None) -> None:
    assert preferences.quiet_hours_end(now, LONDON, time(20), time(8)) == expected


def test_it_handles_quiet_hours_that_do_not_cross_midnight() -> None:
    lunch = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)
    assert preferences.quiet_hours_end(lunch, LONDON, time(12), time(13)) == lunch.replace(
        hour=13, minute=0
    )
    assert preferences.quiet_hours_end(lunch, LONDON, time(13), time(14)) is None
    assert preferences.quiet_hours_end(lunch, LONDON, time(9), time(9)) is None


async def test_it_holds_an_evening_reminder_until_morning(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    team: Team,
    rep: Membership,
) -> None:
    opens = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)  # Monday 21:00 London
    round_ = await make_round(team, opens_at=opens)
    clock.set(opens)
    phone = await subscribe(rep, push_service)
    await open_round(app, round_)

    assert push_service.received == []
    held = await Notification.get(member_id=rep.id, kind=ReminderKind.ROUND_OPEN)
    assert held.status == NotificationStatus.HELD
    assert held.deliver_at == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)

    await run_jobs_at(app, clock, datetime(2026, 3, 3, 7, 59, tzinfo=UTC))
    assert push_service.received == []
    await run_jobs_at(app, clock, datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    assert titles_for(push_service, phone) == ["Round 1 is open"]


async def test_it_drops_a_held_reminder_that_became_pointless(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    team: Team,
    rep: Membership,
) -> None:
    opens = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
    round_ = await make_round(team, opens_at=opens)
    clock.set(opens)
    await subscribe(rep, push_service)
    await open_round(app, round_)
    await make_entry(round_, rep, clock.now())  # practised late at night anyway

    await run_jobs_at(app, clock, datetime(2026, 3, 3, 8, 0, tzinfo=UTC))

    assert push_service.received == []
    skipped = await Notification.get(member_id=rep.id, kind=ReminderKind.ROUND_OPEN)
    assert skipped.status == NotificationStatus.SKIPPED


async def test_it_skips_a_deadline_reminder_that_quiet_hours_would_make_too_late(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    team: Team,
    rep: Membership,
) -> None:
    # Closes Wednesday 08:00, so the reminder is due at 06:00, inside quiet hours, and
    # morning would be too late.
    round_ = await make_round(team, submit_closes_at=datetime(2026, 3, 4, 8, 0, tzinfo=UTC))
    await subscribe(rep, push_service)
    await open_round(app, round_)
    await run_jobs_at(app, clock, datetime(2026, 3, 4, 6, 0, tzinfo=UTC))
    await run_jobs_at(app, clock, datetime(2026, 3, 4, 8, 0, tzinfo=UTC))

    titles = [item.payload["title"] for item in push_service.received]
    assert titles == ["Round 1 is open"]
    deadline = await Notification.get(member_id=rep.id, kind=ReminderKind.DEADLINE)
    assert deadline.status == NotificationStatus.SKIPPED


async def test_it_uses_the_members_own_quiet_hours(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    round_: Round,
    rep: Membership,
) -> None:
    await preferences.save_preference(rep, [kind.value for kind in ReminderKind], "07:00", "10:00")
    await subscribe(rep, push_service)
    await enter_state(app, round_, RoundState.OPEN)  # Monday 09:00
    await run_jobs(app)
    assert push_service.received == []
    await run_jobs_at(app, clock, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    assert len(push_service.received) == 1


async def test_it_respects_a_kind_turned_off_but_keeps_it_in_the_app_list(
    app: Starlette,
    push_service: LocalPushService,
    clock: FrozenClock,
    round_: Round,
    rep: Membership,
    teammate: Membership,
) -> None:
    enabled = [kind.value for kind in ReminderKind if kind != ReminderKind.ROUND_OPEN]
    await preferences.save_preference(rep, enabled, "20:00", "08:00")
    rep_phone = await subscribe(rep, push_service)
    teammate_phone = await subscribe(teammate, push_service)
    await open_round(app, round_)

    assert push_service.payloads_for(rep_phone) == []
    assert len(push_service.payloads_for(teammate_phone)) == 1
    muted = await Notification.get(member_id=rep.id, kind=ReminderKind.ROUND_OPEN)
    assert muted.status == NotificationStatus.MUTED
    assert muted in await service.list_notifications(rep)

    await run_jobs_at(app, clock, round_.submit_closes_at - timedelta(hours=2))
    assert titles_for(push_service, rep_phone) == ["Round 1 closes at 18:00"]
