"""The manager's per-round view: who got which reminder, who hasn't practised, and nudges."""

from __future__ import annotations

from datetime import timedelta

import httpx
from starlette.applications import Starlette

from league.accounts.models import Membership, Team
from league.clock import FrozenClock
from league.push.models import Notification, ReminderKind
from league.seasons.models import Round
from tests.conftest import ClientFactory
from tests.factories import make_entry
from tests.push.conftest import make_round, open_round, run_jobs, subscribe
from tests.push.push_service import LocalPushService

HTMX = {"HX-Request": "true"}


async def test_it_shows_who_got_which_reminder_and_who_has_practised(
    app: Starlette,
    make_client: ClientFactory,
    round_: Round,
    manager: Membership,
    rep: Membership,
    teammate: Membership,
    clock: FrozenClock,
    push_service: LocalPushService,
) -> None:
    await subscribe(rep, push_service)
    await open_round(app, round_)
    await make_entry(round_, teammate, clock.now())

    response = await (await make_client(manager)).get(f"/reminders/rounds/{round_.id}")

    assert response.status_code == 200
    text = response.text
    assert "1</strong> of 2 reps haven't practised yet" in text
    assert text.index("Riley Rep") < text.index("Taylor Teammate")  # not practised first
    assert "Pushed" in text and "In app" in text
    assert "Send a friendly nudge to 1 rep" in text


async def test_it_lists_the_teams_rounds(
    make_client: ClientFactory, round_: Round, manager: Membership
) -> None:
    response = await (await make_client(manager)).get("/reminders")
    assert response.status_code == 200
    assert f"/reminders/rounds/{round_.id}" in response.text


async def test_it_is_for_managers(
    make_client: ClientFactory, round_: Round, rep: Membership
) -> None:
    client = await make_client(rep)
    assert (await client.get(f"/reminders/rounds/{round_.id}")).status_code == 403
    assert (await client.get("/reminders")).status_code == 403
    assert (await client.post(f"/reminders/rounds/{round_.id}/nudge")).status_code == 403


async def test_it_hides_another_organisations_round(
    make_client: ClientFactory, round_: Round, outsider: Membership
) -> None:
    client = await make_client(outsider)
    assert (await client.get(f"/reminders/rounds/{round_.id}")).status_code == 404
    assert (await client.post(f"/reminders/rounds/{round_.id}/nudge")).status_code == 404


async def test_it_needs_sign_in(client: httpx.AsyncClient, round_: Round) -> None:
    assert (await client.get(f"/reminders/rounds/{round_.id}")).status_code == 303
    assert (await client.post(f"/reminders/rounds/{round_.id}/nudge")).status_code == 303


async def test_the_view_rejects_post_and_nudge_rejects_get(
    make_client: ClientFactory, round_: Round, manager: Membership
) -> None:
    client = await make_client(manager)
    assert (await client.post(f"/reminders/rounds/{round_.id}")).status_code == 405
    assert (await client.get(f"/reminders/rounds/{round_.id}/nudge")).status_code == 405


async def test_it_nudges_reps_who_have_not_practised_once_per_twelve_hours(
    app: Starlette,
    make_client: ClientFactory,
    round_: Round,
    manager: Membership,
    rep: Membership,
    teammate: Membership,
    clock: FrozenClock,
    push_service: LocalPushService,
) -> None:
    rep_phone = await subscribe(rep, push_service)
    teammate_phone = await subscribe(teammate, push_service)
    await open_round(app, round_)
    await make_entry(round_, teammate, clock.now())
    clock.advance(timedelta(hours=2))
    client = await make_client(manager)

    response = await client.post(f"/reminders/rounds/{round_.id}/nudge", headers=HTMX)
    assert response.status_code == 200
    assert "Nudged 1 rep." in response.text
    assert "<html" not in response.text
    await run_jobs(app)
    nudge = push_service.payloads_for(rep_phone)[-1]
    assert nudge["title"] == "Morgan is cheering you on"
    assert "Got five minutes for a quick rep?" in nudge["body"]
    assert len(push_service.payloads_for(teammate_phone)) == 1  # only the round-open one

    # A second click, or one an hour later, nudges nobody.
    clock.advance(timedelta(hours=1))
    again = await client.post(f"/reminders/rounds/{round_.id}/nudge", headers=HTMX)
    assert "Everyone has either practised or was nudged" in again.text
    await run_jobs(app)
    assert len(push_service.payloads_for(rep_phone)) == 2

    # Twelve hours after the first nudge (23:00 in London) one more is allowed, and it
    # waits for the morning.
    clock.advance(timedelta(hours=11))
    await client.post(f"/reminders/rounds/{round_.id}/nudge", headers=HTMX)
    await run_jobs(app)
    assert len(push_service.payloads_for(rep_phone)) == 2
    clock.advance(timedelta(hours=9))  # 08:00
    await run_jobs(app)
    assert len(push_service.payloads_for(rep_phone)) == 3
    assert await Notification.filter(kind=ReminderKind.NUDGE).count() == 2


async def test_it_only_nudges_for_open_rounds(
    make_client: ClientFactory, team: Team, manager: Membership
) -> None:
    planned = await make_round(team)
    response = await (await make_client(manager)).post(f"/reminders/rounds/{planned.id}/nudge")
    assert response.status_code == 400
    assert "open rounds" in response.text


async def test_a_plain_form_nudge_renders_the_whole_page(
    app: Starlette,
    make_client: ClientFactory,
    round_: Round,
    manager: Membership,
    rep: Membership,
) -> None:
    await open_round(app, round_)
    response = await (await make_client(manager)).post(f"/reminders/rounds/{round_.id}/nudge")
    assert response.status_code == 200
    assert "<html" in response.text and "Nudged 1 rep." in response.text
