"""Each page runs as many SQL statements for a team of 12 as for a team of 4 (no N+1).

Both teams are built with the app's own services (bench/league_data.py): three weekly
rounds, three reviews per entry, the last round in review.
"""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from bench.league_data import BuiltLeague, build_league
from bench.scoring import QueryCounter
from league.accounts.models import Membership
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.live.conftest import make_screen, screen_cookies

PAGES = {
    "today": ("/", "rep"),
    "standings": ("/standings", "rep"),
    "reviews": ("/reviews", "rep"),
    "judging": ("/judging", "manager"),
    "team": ("/team", "manager"),
    "me": ("/me", "rep"),
    "tv": ("/tv", "screen"),
}


async def count_queries(
    app: Starlette, make_client: ClientFactory, league: BuiltLeague
) -> dict[str, int]:
    manager = await Membership.get(id=league.manager_id).select_related("user")
    rep = await Membership.get(id=league.rep_ids[1]).select_related("user")
    token = f"screen-{league.team_id}"
    await make_screen(manager, token)
    screen = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        cookies=screen_cookies(token),
    )
    clients = {
        "rep": await make_client(rep),
        "manager": await make_client(manager),
        "screen": screen,
    }
    counter = QueryCounter()
    counts = {}
    try:
        for name, (path, who) in PAGES.items():
            client = clients[who]
            first = await client.get(path, follow_redirects=True)
            assert first.status_code == 200, name
            counter.install()
            with counter.measure() as used:
                response = await client.get(first.url.path)
            counter.uninstall()
            assert response.status_code == 200, name
            counts[name] = used[0]
    finally:
        counter.uninstall()
        await screen.aclose()
    return counts


async def test_pages_run_the_same_queries_for_a_bigger_team(
    app: Starlette, make_client: ClientFactory, settings: Settings
) -> None:
    small = await count_queries(app, make_client, await build_league(4, 3, settings))
    big = await count_queries(app, make_client, await build_league(12, 3, settings))
    assert small == big
    assert all(count > 0 for count in small.values())
