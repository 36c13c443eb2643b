"""Accounts on a phone: start a league, invite, join, sign out, and the role refusal."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in


def test_a_person_starts_a_new_league(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/signin")
    page.get_by_role("link", name="Start a league").click()
    expect(page.get_by_role("heading", name="Start a league")).to_be_visible()
    # The phone's own time zone replaces the UTC default.
    expect(page.get_by_label("Team time zone")).not_to_have_value("")
    page.get_by_label("Organisation").fill("Harbour Lights Ltd")
    page.get_by_label("First team").fill("Inside Sales")
    page.get_by_label("Team time zone").fill("Europe/Dublin")
    page.get_by_label("Your name").fill("Hana Harbour")
    page.get_by_label("Email").fill("hana@harbour.example")
    page.get_by_label("Password").fill("short")
    page.get_by_label("Password").evaluate("input => input.removeAttribute('minlength')")
    page.get_by_role("button", name="Create league").click()
    # The server's message, with everything typed still there.
    expect(page.get_by_role("alert")).to_contain_text("at least 8 characters")
    expect(page.get_by_label("Organisation")).to_have_value("Harbour Lights Ltd")
    screenshot(page, "accounts-signup-error")

    page.get_by_label("Password").fill("lighthouse-keeper")
    page.get_by_role("button", name="Create league").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".top-bar-team")).to_have_text("Inside Sales")
    page.get_by_role("link", name="Team").click()
    expect(page.get_by_text("Hana Harbour", exact=True)).to_be_visible()
    screenshot(page, "accounts-new-league-team")


def test_a_manager_invites_and_the_invitee_joins(
    page: Page, browser: Browser, live_server: LiveServer, browser_context_args: dict[str, object]
) -> None:
    sign_in(page, live_server, "manager@demo.test")
    page.get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", name="Mid-Market Sales")).to_be_visible()
    screenshot(page, "accounts-team-manager")
    page.get_by_role("link", name="Invite people").click()
    expect(page.get_by_role("heading", name="Invite people")).to_be_visible()
    page.get_by_label("Role").select_option("rep")
    page.get_by_role("button", name="Create invite link").click()
    link_field = page.get_by_label("Invite link")
    expect(link_field).to_have_value(re.compile(rf"^{re.escape(live_server.url)}/join/"))
    expect(page.get_by_text("Anyone with the link")).to_be_visible()
    screenshot(page, "accounts-invite-link")
    link = link_field.input_value()

    # The invitee opens the link on their own phone: a fresh browser, nobody signed in.
    invitee_context = browser.new_context(**browser_context_args)  # type: ignore[arg-type]
    try:
        invitee = invitee_context.new_page()
        invitee.goto(link)
        expect(invitee.get_by_role("heading", name="Join Mid-Market Sales")).to_be_visible()
        expect(invitee.get_by_text("invited you as a rep")).to_be_visible()
        screenshot(invitee, "accounts-join")
        invitee.get_by_label("Your name").fill("Noor Newcomer")
        invitee.get_by_label("Email").fill("noor@demo.test")
        invitee.get_by_label("Password").fill("first-day-practice")
        invitee.get_by_role("button", name="Join the team").click()
        invitee.wait_for_url(f"{live_server.url}/")
        expect(invitee.get_by_role("navigation", name="Main")).to_be_visible()
        screenshot(invitee, "accounts-joined-today")
        invitee.get_by_role("link", name="Me").click()
        expect(invitee.get_by_role("heading", name="Noor Newcomer")).to_be_visible()

        # The link worked once; opening it again says so.
        invitee.goto(link)
        expect(invitee.get_by_role("heading", name="This link no longer works")).to_be_visible()
    finally:
        invitee_context.close()

    # The manager sees the new rep on the team.
    page.get_by_role("link", name="Back to the team").click()
    expect(page.locator("#members").get_by_text("Noor Newcomer", exact=True)).to_be_visible()


def test_an_htmx_error_shows_a_visible_message(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "manager@demo.test")
    page.goto(f"{live_server.url}/team/invitations")
    # The browser accepts "a@b"; the server wants a full address and answers 422 to htmx.
    page.get_by_label("Email (optional)").fill("a@b")
    page.get_by_role("button", name="Create invite link").click()
    flash = page.locator("#flash")
    expect(flash.get_by_role("alert")).to_contain_text("Please enter a valid email address")
    expect(flash).to_be_in_viewport()
    screenshot(page, "accounts-htmx-error")
    flash.get_by_role("button", name="Dismiss").click()
    expect(flash.get_by_role("alert")).to_have_count(0)


def test_an_error_page_from_outside_the_app_becomes_a_message(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "manager@demo.test")
    page.goto(f"{live_server.url}/team/invitations")
    # A reverse proxy's 502 cannot be staged offline without a proxy, so Playwright answers
    # for it; the page must show a message and keep its content.
    page.route(
        "**/team/invitations",
        lambda route: (
            route.fulfill(status=502, body="<h1>Bad gateway</h1>")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_role("button", name="Create invite link").click()
    expect(page.locator("#flash").get_by_role("alert")).to_contain_text("error 502")
    expect(page.get_by_role("heading", name="Bad gateway")).to_have_count(0)
    expect(page.get_by_role("button", name="Create invite link")).to_be_visible()


def test_a_manager_deactivates_a_rep_who_then_cannot_sign_in(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "manager@demo.test")
    page.goto(f"{live_server.url}/team")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Deactivate Daniel Mensah").click()
    expect(page.get_by_role("button", name="Reactivate Daniel Mensah")).to_be_visible()
    page.get_by_label("Role for Priya Shah").select_option("manager")
    priya = page.locator(".member-row", has_text="Priya Shah").locator(".member-who .muted")
    expect(priya).to_have_text("Manager")
    page.reload()
    expect(priya).to_have_text("Manager")
    screenshot(page, "accounts-member-deactivated")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/signin")
    page.get_by_label("Email").fill("rep8@demo.test")
    page.get_by_label("Password").fill("practice")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("deactivated")


def test_a_rep_signs_out(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "rep3@demo.test")
    page.get_by_role("link", name="Me").click()
    screenshot(page, "accounts-me")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{live_server.url}/team")
    expect(page).to_have_url(f"{live_server.url}/signin?next=%2Fteam")


def test_a_rep_cannot_open_a_manager_page(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "rep2@demo.test")
    response = page.goto(f"{live_server.url}/team/invitations")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Not for this account")).to_be_visible()
    expect(page.get_by_text("This page is for managers and admins.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    screenshot(page, "accounts-role-refusal")
    page.get_by_role("link", name="Back to today").click()
    page.wait_for_url(f"{live_server.url}/")


def test_an_unknown_page_is_friendly(page: Page, live_server: LiveServer) -> None:
    response = page.goto(f"{live_server.url}/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    screenshot(page, "errors-404")
