"""Push in Chromium: the Me tab opt-in, the worker's push and notificationclick handlers,
the notification list and the manager's reminders view.

A real PushManager.subscribe() needs Google's push service, which is not reachable here:
the server side of subscribing is tested end to end in tests/push/ instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.browser.test_pwa import registration_id, wait_for_worker

ROOT = Path(__file__).resolve().parents[2]

# Run in the server's data directory (a separate process, like the CLI): a rep's phone took
# the last reminder two minutes ago, and the push service said their Mac's browser is gone.
RECORD_OUTCOMES = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from league.accounts.models import Membership
from league.db import open_database
from league.push.models import (
    DeliveryOutcome, Notification, NotificationStatus, PushDelivery, PushSubscription,
    ReminderKind,
)
from league.settings import Settings

async def main(email: str) -> None:
    settings, now = Settings.from_env(), datetime.now(UTC)
    async with open_database(settings.database_url, "none"):
        member = await Membership.get(user__email=email)
        phone = await PushSubscription.create(
            member=member, endpoint=f"https://push.example.com/{member.id}", p256dh="k",
            auth="a", device="Android · Chrome",
        )
        sent = await Notification.create(
            key=f"nudge:browser:{member.id}", team_id=member.team_id, member=member,
            kind=ReminderKind.NUDGE, status=NotificationStatus.SENT, title="Practice",
            body="Time for a rep.", url="/", created_at=now, deliver_at=now,
            expires_at=now + timedelta(hours=2), devices_sent=1,
        )
        two_minutes_ago = now - timedelta(minutes=2)
        for subscription_id, device, outcome, status in [
            (phone.id, phone.device, DeliveryOutcome.SENT, 201),
            (phone.id + 1, "Mac · Safari", DeliveryOutcome.GONE, 410),
        ]:
            await PushDelivery.create(
                notification=sent, member=member, subscription_id=subscription_id,
                device=device, outcome=outcome, status=status, created_at=two_minutes_ago,
            )

asyncio.run(main(sys.argv[1]))
"""


def test_the_me_tab_explains_reminders_and_saves_choices(
    page: Page, live_server: LiveServer
) -> None:
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(page, live_server, "rep4@demo.test")
    wait_for_worker(page)
    page.goto(f"{live_server.url}/me")
    section = page.locator("#push-settings[data-push-settings]")
    expect(section.get_by_role("button", name="Turn on reminders on this device")).to_be_visible()
    expect(page.get_by_text("Add to Home Screen")).to_be_hidden()  # not an iPhone
    section.get_by_label("Nudges from your manager").uncheck()
    section.get_by_role("button", name="Save reminder settings").click()
    expect(section.get_by_text("Saved.")).to_be_visible()
    expect(section.get_by_label("Nudges from your manager")).not_to_be_checked()
    screenshot(page, "push-me-opt-in")

    # Chromium here cannot reach a real push service: the failure is said, with a next step.
    section.get_by_role("button", name="Turn on reminders on this device").click()
    failed = section.locator('[data-push-state="failed"]')
    expect(failed).to_contain_text("couldn't reach its push service")
    expect(failed.get_by_role("button", name="Try again")).to_be_visible()


def test_the_me_tab_says_what_each_device_did_with_the_last_reminder(
    page: Page, live_server: LiveServer
) -> None:
    record = [sys.executable, "-c", RECORD_OUTCOMES, "rep5@demo.test"]
    subprocess.run(record, env=live_server.env, cwd=ROOT, check=True, capture_output=True)
    sign_in(page, live_server, "rep5@demo.test")
    page.goto(f"{live_server.url}/me")
    devices = page.locator(".push-devices")
    phone = devices.locator(".push-device", has_text="Android · Chrome")
    expect(phone).to_contain_text("Reminders: delivered 2 min ago")
    dropped = devices.locator(".is-dropped")
    expect(dropped).to_contain_text("Mac · Safari")
    expect(dropped).to_contain_text("This browser stopped accepting reminders 2 min ago")
    remove = phone.get_by_role("button", name="Remove")
    assert (remove.bounding_box() or {}).get("height", 0) >= 44
    phone.scroll_into_view_if_needed()
    screenshot(page, "push-me-device-outcomes")


def test_an_iphone_in_safari_is_told_to_install_first(
    browser: Any, live_server: LiveServer
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        user_agent=(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
        ),
    )
    page = context.new_page()
    # Safari outside the Home Screen has no PushManager; take Chromium's away to match.
    page.add_init_script("delete window.PushManager;")
    sign_in(page, live_server, "rep5@demo.test")
    page.goto(f"{live_server.url}/me")
    expect(page.get_by_role("heading", name="Install Practice League")).to_be_visible()
    expect(page.get_by_text("Install the app first")).to_be_visible()
    screenshot(page, "push-me-iphone-install")
    context.close()


def test_the_worker_shows_a_push_and_a_tap_opens_its_page(
    page: Page, live_server: LiveServer
) -> None:
    context = page.context
    context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(page, live_server, "rep6@demo.test")
    wait_for_worker(page)
    cdp, registration = registration_id(context, page)
    payload = {
        "title": "Round 1 is open",
        "body": "This week: two drills.",
        "url": "/notifications",
        "tag": "r1-practice",
    }

    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration,
            "data": json.dumps(payload),
        },
    )
    page.wait_for_timeout(300)
    shown = page.evaluate(
        """navigator.serviceWorker.ready
             .then(r => r.getNotifications())
             .then(list => list.map(n => ({title: n.title, body: n.body, tag: n.tag,
                                           url: n.data.url})))"""
    )
    assert shown == [
        {
            "title": "Round 1 is open",
            "body": "This week: two drills.",
            "tag": "r1-practice",
            "url": f"{live_server.url}/notifications",
        }
    ]

    # No DevTools call taps a notification: dispatch the event inside the worker.
    [worker] = context.service_workers
    worker.evaluate(
        """async () => {
             const [notification] = await self.registration.getNotifications();
             self.dispatchEvent(new NotificationEvent("notificationclick", {notification}));
           }"""
    )
    page.wait_for_url(f"{live_server.url}/notifications")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    assert (
        page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(l => l.length)"
        )
        == 0
    )


def test_a_push_with_a_foreign_url_opens_the_app_instead(
    page: Page, live_server: LiveServer
) -> None:
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(page, live_server, "rep7@demo.test")
    wait_for_worker(page)
    cdp, registration = registration_id(page.context, page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration,
            "data": json.dumps({"title": "x", "body": "y", "url": "https://evil.example/"}),
        },
    )
    page.wait_for_timeout(300)
    urls = page.evaluate(
        "navigator.serviceWorker.ready.then(r => r.getNotifications())"
        ".then(list => list.map(n => n.data.url))"
    )
    assert urls == [f"{live_server.url}/"]


def test_a_manager_nudges_and_the_rep_finds_it_in_the_list(
    page: Page, live_server: LiveServer
) -> None:
    # The rep turns quiet hours off so the nudge is not held, whatever the time of day.
    sign_in(page, live_server, "rep1@demo.test")
    page.goto(f"{live_server.url}/me")
    section = page.locator("#push-settings[data-push-settings]")
    section.get_by_label("From", exact=True).fill("00:00")
    section.get_by_label("Until", exact=True).fill("00:00")
    section.get_by_role("button", name="Save reminder settings").click()
    expect(section.get_by_text("Saved.")).to_be_visible()
    page.goto(f"{live_server.url}/me")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/signin")

    sign_in(page, live_server, "manager@demo.test")
    page.goto(f"{live_server.url}/reminders")
    page.get_by_role("link", name="Round 1").first.click()
    expect(page.get_by_role("heading", name="Round 1 reminders")).to_be_visible()
    page.get_by_role("button", name="Send a friendly nudge").click()
    expect(page.get_by_role("status")).to_contain_text("Nudged 8 reps.")
    page.wait_for_timeout(1500)  # the worker sends the nudges
    page.reload()
    expect(page.locator(".reminder-row").first).to_contain_text("Nudge")
    screenshot(page, "push-manager-round")
    page.goto(f"{live_server.url}/me")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/signin")

    sign_in(page, live_server, "rep1@demo.test")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_text("Morgan is cheering you on")).to_be_visible()
    screenshot(page, "push-notifications")
