from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, LiveServer, screenshot, sign_in

NEW_POINT = "ask what the spreadsheet misses"
BROKEN_FILE = b"## Objections\n### Bad timing\nBuyer says: Call me next quarter.\n"


def test_a_manager_shapes_the_playbook_and_its_drills(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "manager@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Drills").click()
    page.get_by_role("link", name="Playbook", exact=True).click()
    expect(page.get_by_role("heading", name="Playbook", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Forecasts you can defend")).to_be_visible()
    screenshot(page, "playbook")

    objection = page.locator("article", has_text="We already use spreadsheets")
    objection.get_by_role("link", name="Edit").click()
    key_points = page.get_by_label("Key points")
    key_points.fill(key_points.input_value() + "\n" + NEW_POINT)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/playbook#item-*")
    objection = page.locator("article", has_text="We already use spreadsheets")
    expect(objection.get_by_role("list", name="Key points")).to_contain_text(NEW_POINT)

    # Moving an item swaps it in place through htmx.
    objection.get_by_role("button", name="Move We already use spreadsheets down").click()
    objections = page.locator("#section-objection article h3")
    expect(objections.nth(1)).to_have_text("We already use spreadsheets")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Drills").click()
    page.get_by_role("button", name="Generate drills").click()
    expect(page.get_by_text("Made 4 new drills from the playbook.")).to_be_visible()
    expect(page.locator(".drill-card")).to_have_count(12)
    screenshot(page, "drills-manager")

    card = page.locator(".drill-card", has_text="Objection: we already use spreadsheets")
    card.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit drill")).to_be_visible()
    page.locator("summary", has_text="Clarity").click()
    expect(page.get_by_label("Level 5").first).to_be_visible()
    screenshot(page, "drill-editor")
    time_limit = page.get_by_label("Time limit")
    time_limit.fill("150")
    page.get_by_role("button", name="Save drill").click()
    # The phone refuses it before sending; the server checks again (tests/playbook).
    assert time_limit.evaluate("input => input.validity.rangeOverflow")
    time_limit.fill("60")
    page.get_by_role("button", name="Save drill").click()
    page.wait_for_url("**/drills#drill-*")
    card = page.locator(".drill-card", has_text="Objection: we already use spreadsheets")
    expect(card.get_by_text("60 s")).to_be_visible()


def test_a_manager_imports_a_file_and_learns_which_line_is_wrong(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, live_server, "manager@demo.test")
    page.goto(f"{live_server.url}/playbook/import")
    upload = page.get_by_label("…or choose a file")
    upload.set_input_files(
        {"name": "objections.md", "mimeType": "text/markdown", "buffer": BROKEN_FILE}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Line 2: an objection needs a response.")).to_be_visible()
    screenshot(page, "playbook-import-error")
    fixed = BROKEN_FILE + b"Response: Next quarter's forecast is built this quarter.\n"
    page.get_by_label("…or choose a file").set_input_files(
        {"name": "objections.md", "mimeType": "text/markdown", "buffer": fixed}
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/playbook?imported=1")
    expect(page.get_by_text("Imported 1 item.")).to_be_visible()
    expect(page.get_by_role("heading", name="Bad timing")).to_be_visible()


def test_a_rep_sees_the_drills_and_reads_the_playbook(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    sign_in(page, live_server, "rep1@demo.test")
    page.goto(f"{live_server.url}/drills")
    expect(page.locator(".drill-card").first).to_be_visible()
    expect(page.get_by_role("button", name="Generate drills")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit", exact=False)).to_have_count(0)
    screenshot(page, "drills-rep")
    page.get_by_role("link", name="Playbook", exact=True).click()
    expect(page.get_by_role("heading", name="Forecasts you can defend")).to_be_visible()
    expect(page.get_by_role("button", name="Archive")).to_have_count(0)
    context.close()
