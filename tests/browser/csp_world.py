"""The route-access test's world (tests/test_route_access.py), written into a running
server's database, for a browser to visit every page with real ids.

python -m tests.browser.csp_world   (with the server's LEAGUE_DATA_DIR) -> JSON on stdout:
{"paths": {"rep": [...], ...}, "demo_paths": {"rep": [...], ...},
 "cookies": {"rep": "...", ...}, "tv_link": "/tv/link/..."}

`paths`: the pages with an id in their path (and the public and TV pages), by who opens
them in the world. `demo_paths`: the members' and coaches' pages with no id in the path,
which the demo league's own people open, as their pages are full of real data there.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from itsdangerous import Signer

from league.accounts import service as accounts
from league.accounts.models import Membership
from league.app import create_app
from league.db import open_database
from league.live.screens import create_linked_screen
from league.settings import Settings
from tests.test_route_access import (
    ADMIN_OBJECT,
    COACH,
    COACH_OBJECT,
    HTTP_ENDPOINTS,
    MEMBER,
    OWN,
    PUBLIC,
    REPORT,
    SCREEN,
    TEAM_OBJECT,
    Endpoint,
    World,
    build_world,
    url_of,
)

NOT_PAGES = {"static", "healthz"}
# Who opens each kind of page: members' pages as rep and manager, coaches' as manager and
# admin.
VISITORS = {
    PUBLIC: ("visitor",),
    SCREEN: ("tv",),
    MEMBER: ("rep", "manager"),
    TEAM_OBJECT: ("rep", "manager"),
    COACH: ("manager", "admin"),
    COACH_OBJECT: ("manager", "admin"),
    ADMIN_OBJECT: ("admin",),
    REPORT: (),
}
# The office TV's own pages: opened signed out (pairing) and as the paired TV.
TV_PAGES = {"live:tv", "live:tv_status"}


def visitors(endpoint: Endpoint, world: World) -> tuple[str, ...]:
    if endpoint.kind == OWN:  # only the owner (or the assigned reviewer) may open it
        return ("reviewer",) if world.actor(endpoint.name) == world.reviewer else ("rep",)
    if endpoint.name in TV_PAGES:
        return ("visitor", "tv")
    return VISITORS[endpoint.kind]


def page_endpoints() -> list[Endpoint]:
    """Every GET route of the route table (a new route is visited without a change here)."""
    return [e for e in HTTP_ENDPOINTS if e.method == "GET" and e.name not in NOT_PAGES]


async def build() -> dict[str, Any]:
    settings = Settings.from_env()
    app = create_app(settings)
    async with open_database(settings.database_url, "none"):
        world = await build_world(app)
        _, tv_token = await create_linked_screen(world.manager, "Lobby TV")
        paths: dict[str, list[str]] = {}
        demo_paths: dict[str, list[str]] = {}
        for endpoint in page_endpoints():
            in_demo = "{" not in endpoint.path and endpoint.kind in (MEMBER, COACH)
            for who in visitors(endpoint, world):
                chosen = demo_paths if in_demo else paths
                chosen.setdefault(who, []).append(url_of(endpoint, world))
        signer = Signer(settings.secret_key, salt="league.session")

        async def cookie(member: Membership) -> str:
            token = await accounts.start_session(member, datetime.now(UTC))
            return signer.sign(token).decode()

        people = {
            "rep": world.rep,
            "reviewer": world.reviewer,
            "manager": world.manager,
            "admin": world.admin,
        }
        return {
            "paths": paths,
            "demo_paths": demo_paths,
            "cookies": {who: await cookie(member) for who, member in people.items()},
            "tv_link": f"/tv/link/{tv_token}",
        }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(build())))
