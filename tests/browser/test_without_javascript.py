"""Without JavaScript (a locked-down phone, a script that failed to load) the plain forms
still work and still acknowledge: submitting a take lands on the record screen with the
moment (what it earned, the next drill).

A module of its own, so its server is fresh: round 1 of the demo league is open and the
rep already has a take of the first drill (stored through the clips service in a separate
process, like the CLI), since recording itself needs a script.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer, run_beside, screenshot, sign_in

REP = "rep1@demo.test"


async def keep_a_take() -> str:
    """The rep's take of the open round's first drill, kept but not submitted."""
    from league.accounts.models import Membership
    from league.clips import service as clips
    from league.clips.storage import open_storage
    from league.db import open_database
    from league.seasons.models import Round, RoundState
    from league.settings import Settings
    from tests.clips.media import webm_opus

    settings = Settings.from_env()
    async with open_database(settings.database_url, "none"):
        round_ = await Round.get(number=1, state=RoundState.OPEN)
        drill = (await round_.drills.all().order_by("id"))[0]
        member = await Membership.get(user__email=REP)

        async def chunks() -> Any:
            yield webm_opus(2)

        await clips.receive_take(
            storage=open_storage(settings),
            member=member,
            drill=drill,
            chunks=chunks(),
            max_bytes=settings.max_clip_bytes,
            now=datetime.now(UTC),
        )
        return str(drill.id)


def test_submitting_without_javascript_still_is_a_moment(
    browser: Browser, browser_context_args: dict[str, Any], live_server: LiveServer
) -> None:
    drill_id = run_beside(live_server, "tests.browser.test_without_javascript", "keep_a_take")
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, REP)
    page.goto(f"{live_server.url}/drills/{drill_id}/record")
    expect(page.locator('[data-entry-state="open"]')).to_be_visible()
    page.get_by_role("button", name="Submit this take").click()
    page.wait_for_url(re.compile(rf"/drills/{drill_id}/record\?submitted=\d+#takes-panel$"))
    moment = page.locator('[data-moment="submitted"]')
    expect(moment).to_be_visible()
    expect(moment).to_contain_text("Entry in!")
    expect(moment).to_contain_text("+10 points for showing up in round 1")
    expect(moment).to_contain_text("1 of 2 drills in this round")
    expect(moment.get_by_role("link", name=re.compile(r"^Next drill: "))).to_be_visible()
    expect(page.locator('[data-entry-state="submitted"]')).to_be_visible()
    screenshot(page, "no-script-submit-moment")
    # A reload later is the plain record screen again, not a second celebration.
    page.goto(f"{live_server.url}/drills/{drill_id}/record")
    expect(page.locator('[data-entry-state="submitted"]')).to_be_visible()
    expect(page.locator("[data-moment]")).to_have_count(0)
    context.close()
