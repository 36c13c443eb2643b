"""The Team tab shows the team as a team: who is in the round, points and streaks."""

from __future__ import annotations

from tests.conftest import ClientFactory
from tests.reviews.conftest import League, send_review
from tests.reviews.conftest import league as league  # noqa: F401 - shared fixture


async def test_it_shows_who_is_in_and_who_is_reviewing(
    league: League, make_client: ClientFactory
) -> None:
    reviewer = league.reps[0]
    await send_review(make_client, reviewer, await league.review_of(reviewer))
    page = (await (await make_client(league.reps[1])).get("/team")).text
    section = page.split('class="card team-round"', 1)[1].split("</section>", 1)[0]
    assert f"Round 1: {len(league.entries)} of {len(league.reps)} in" in section
    assigned = len(await league.reviews_for(reviewer))
    assert f"reviewing 1/{assigned}" in section
    # Everyone has a status and their points.
    assert section.count('class="status-chip') == len(league.reps)
    assert section.count(" pts") == len(league.reps)
    # The directory stays below it.
    assert page.index("team-round") < page.index('id="members"')
