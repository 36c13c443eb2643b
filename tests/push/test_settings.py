"""The reminders section of the Me tab: explanation, devices, kinds and quiet hours."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.push import preferences
from league.push.models import PushPreference, PushSubscription, ReminderKind
from tests.conftest import ClientFactory
from tests.push.conftest import subscribe
from tests.push.push_service import LocalPushService

HTMX = {"HX-Request": "true"}


async def test_the_me_tab_loads_the_reminders_section_without_asking_for_permission(
    make_client: ClientFactory, rep: Membership
) -> None:
    response = await (await make_client(rep)).get("/me")
    assert response.status_code == 200
    assert 'hx-get="/me/reminders"' in response.text
    assert "Add to Home Screen" in response.text
    assert "data-push-enable" not in response.text  # the button arrives with the section


async def test_it_explains_reminders_and_offers_the_button(
    make_client: ClientFactory, rep: Membership, app: Starlette
) -> None:
    response = await (await make_client(rep)).get("/me/reminders", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Turn on reminders on this device" in response.text
    assert app.state.services["push"].public_key in response.text
    for kind in ReminderKind:
        assert f'value="{kind.value}" checked' in response.text


async def test_it_shows_a_full_page_without_htmx(
    make_client: ClientFactory, rep: Membership
) -> None:
    response = await (await make_client(rep)).get("/me/reminders")
    assert response.status_code == 200
    assert "<html" in response.text and "Turn on reminders" in response.text


async def test_it_lists_devices_without_their_endpoints(
    make_client: ClientFactory, rep: Membership, push_service: LocalPushService
) -> None:
    phone = await subscribe(rep, push_service)
    response = await (await make_client(rep)).get("/me/reminders", headers=HTMX)
    assert "Test · Phone" in response.text
    assert phone.endpoint not in response.text
    assert 'data-device-hash="' in response.text


async def test_it_sends_a_signed_out_visitor_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/me/reminders")
    assert response.status_code == 303


async def test_it_saves_kinds_and_quiet_hours(make_client: ClientFactory, rep: Membership) -> None:
    client = await make_client(rep)
    response = await client.post(
        "/me/reminders/preferences",
        data={"kinds": ["deadline", "results"], "quiet_start": "21:30", "quiet_end": "07:15"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Saved." in response.text
    saved = await PushPreference.get(member_id=rep.id)
    assert set(saved.muted_kinds) == {"round_open", "review", "streak", "nudge"}
    assert (saved.quiet_start, saved.quiet_end) == ("21:30", "07:15")


async def test_it_redirects_a_plain_form_back_to_the_settings(
    make_client: ClientFactory, rep: Membership
) -> None:
    response = await (await make_client(rep)).post(
        "/me/reminders/preferences",
        data={"kinds": ["deadline"], "quiet_start": "20:00", "quiet_end": "08:00"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/me/reminders"


async def test_it_explains_a_bad_time_and_keeps_what_was_saved(
    make_client: ClientFactory, rep: Membership
) -> None:
    await preferences.save_preference(rep, ["deadline"], "20:00", "08:00")
    response = await (await make_client(rep)).post(
        "/me/reminders/preferences",
        data={"kinds": ["results"], "quiet_start": "late", "quiet_end": "08:00"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Quiet hours start must be a time like 20:00." in response.text
    assert (await PushPreference.get(member_id=rep.id)).muted_kinds.count("results") == 1


async def test_preferences_reject_get(make_client: ClientFactory, rep: Membership) -> None:
    assert (await (await make_client(rep)).get("/me/reminders/preferences")).status_code == 405


async def test_it_removes_one_of_my_devices(
    make_client: ClientFactory, rep: Membership, push_service: LocalPushService
) -> None:
    await subscribe(rep, push_service)
    laptop = await subscribe(rep, push_service)
    first = await PushSubscription.filter(member_id=rep.id).order_by("id").first()
    assert first is not None
    response = await (await make_client(rep)).post(
        f"/me/reminders/devices/{first.id}/remove", headers=HTMX
    )
    assert response.status_code == 200
    assert "Device removed." in response.text
    assert [s.endpoint for s in await PushSubscription.all()] == [laptop.endpoint]


async def test_it_hides_another_members_device(
    make_client: ClientFactory,
    rep: Membership,
    outsider: Membership,
    push_service: LocalPushService,
) -> None:
    await subscribe(outsider, push_service)
    theirs = await PushSubscription.get(member_id=outsider.id)
    response = await (await make_client(rep)).post(f"/me/reminders/devices/{theirs.id}/remove")
    assert response.status_code == 404
    assert await PushSubscription.exists(id=theirs.id)


async def test_removing_a_device_rejects_get(make_client: ClientFactory, rep: Membership) -> None:
    response = await (await make_client(rep)).get("/me/reminders/devices/1/remove")
    assert response.status_code == 405


async def test_removing_a_device_needs_sign_in(client: httpx.AsyncClient) -> None:
    assert (await client.post("/me/reminders/devices/1/remove")).status_code == 303


async def test_it_states_the_members_quiet_hours_or_none(
    make_client: ClientFactory, rep: Membership
) -> None:
    client = await make_client(rep)
    default = " ".join((await client.get("/me/reminders", headers=HTMX)).text.split())
    assert "nothing arrives between 20:00 and 08:00" in default
    await preferences.save_preference(rep, [kind.value for kind in ReminderKind], "00:00", "00:00")
    without = " ".join((await client.get("/me/reminders", headers=HTMX)).text.split())
    assert "nothing arrives between" not in without
    assert "You choose which ones." in without
