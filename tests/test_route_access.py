"""Every route of the app, checked against the people who must not get in.

The list of routes comes from the app's own route table: a route that is added without a
line in ACCESS below fails `test_every_route_is_classified` until someone decides who may
use it. To classify a new route, add `"feature:name": KIND` to ACCESS (and, when its path
has a new kind of `{param}`, a line in PARAMS that picks the team's object for it).

Kinds:
- PUBLIC: anyone, signed in or not (sign-in, join links, the TV, health check, static).
- SCREEN: only an office screen with its cookie; anybody else gets 404.
- SOCKET: the live websocket; it closes on anyone who is not signed in.
- MEMBER: any signed-in member, about their own team (no object in the path).
- TEAM_OBJECT: an object of the member's team (a drill, a teammate's card).
- OWN: a rep's own thing (a take, an entry, a review they write or received, a device).
- COACH: a manager action with no object in the path.
- COACH_OBJECT: a manager action on an object of their team.
- ADMIN_OBJECT: an admin action on an object of their organisation (managers get 403).
- REPORT: what browsers post by themselves (CSP violation reports): anyone, no CSRF token.

Who is tried (team A owns every object; `world` below):
- anonymous: sent to sign in (or refused) on everything but PUBLIC;
- admin of another organisation: 404 on every object;
- manager of team B of the same organisation: 404 on every object;
- the team's own manager and admin: 404 on the rep's OWN things (private practice);
- rep of team A: 403 on COACH, COACH_OBJECT and ADMIN_OBJECT; managers 403 on ADMIN_OBJECT;
- a write without the CSRF token: 403.
Every refused write must leave the database and the stored files exactly as they were.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from tortoise import connections

from league.accounts.models import Invitation, Membership, Role
from league.app import create_app
from league.clips.models import Entry, Take
from league.coaching.models import AgreedAction, OneOnOne
from league.delivery.models import AnalysisStatus, TakeAnalysis
from league.live.hub import CLOSE_SIGNED_OUT
from league.live.screens import create_linked_screen
from league.push.models import PushSubscription
from league.reviews.models import CoachPick, Review
from league.seasons.models import RoundState
from league.settings import Settings
from tests import factories
from tests.conftest import ClientFactory

PUBLIC = "public"
SCREEN = "screen"
SOCKET = "socket"
MEMBER = "member"
TEAM_OBJECT = "team object"
OWN = "own"
COACH = "coach"
COACH_OBJECT = "coach object"
ADMIN_OBJECT = "admin object"
REPORT = "report"

OBJECT_KINDS = {TEAM_OBJECT, OWN, COACH_OBJECT}
COACH_KINDS = {COACH, COACH_OBJECT}

ACCESS: dict[str, str] = {
    "healthz": PUBLIC,
    "csp_report": REPORT,
    "static": PUBLIC,
    "accounts:signup": PUBLIC,
    "accounts:signin": PUBLIC,
    "accounts:signout": MEMBER,
    "accounts:me": MEMBER,
    "accounts:password": MEMBER,
    "accounts:team": MEMBER,
    "accounts:invitations": COACH,
    # The team is a form field; PARAMS gives it team A's id.
    "accounts:invite": COACH_OBJECT,
    "accounts:revoke_invitation": COACH_OBJECT,
    "accounts:change_role": COACH_OBJECT,
    "accounts:set_active": COACH_OBJECT,
    "accounts:join": PUBLIC,
    # A one-time reset link: whoever holds it (checked by token, single use, expiring).
    "accounts:reset": PUBLIC,
    "accounts:reset_link": COACH_OBJECT,
    "seasons:today": MEMBER,
    "seasons:list": COACH,
    "seasons:new": COACH,
    "seasons:detail": COACH_OBJECT,
    "seasons:round": COACH_OBJECT,
    "seasons:plan": COACH_OBJECT,
    "seasons:swap_drill": COACH_OBJECT,
    "seasons:extend": COACH_OBJECT,
    "seasons:early": COACH_OBJECT,
    "playbook:playbook": MEMBER,
    "playbook:item_new": COACH,
    "playbook:item_edit": COACH_OBJECT,
    "playbook:item_archive": COACH_OBJECT,
    "playbook:item_restore": COACH_OBJECT,
    "playbook:reorder": COACH_OBJECT,
    "playbook:import": COACH,
    "playbook:export": MEMBER,
    "playbook:drills": MEMBER,
    "playbook:drill_new": COACH,
    "playbook:generate": COACH,
    "playbook:drill_edit": COACH_OBJECT,
    "playbook:drill_archive": COACH_OBJECT,
    "playbook:drill_restore": COACH_OBJECT,
    "standings:table": MEMBER,
    "standings:mine": MEMBER,
    "standings:rows": MEMBER,
    "standings:card": TEAM_OBJECT,
    "clips:record": TEAM_OBJECT,
    "clips:takes": TEAM_OBJECT,
    "clips:upload": TEAM_OBJECT,
    "clips:media": OWN,
    "clips:delete": OWN,
    "clips:submit": OWN,
    "clips:withdraw": OWN,
    "reviews:queue": MEMBER,
    "reviews:review": OWN,
    "reviews:draft": OWN,
    "reviews:submit": OWN,
    "reviews:helpful": OWN,
    "reviews:judging": COACH,
    "reviews:judging_round": COACH_OBJECT,
    "reviews:reveal": COACH_OBJECT,
    "reviews:blind": COACH_OBJECT,
    "reviews:judge": COACH_OBJECT,
    "reviews:judge_draft": COACH_OBJECT,
    "reviews:judge_submit": COACH_OBJECT,
    "reviews:pick": COACH_OBJECT,
    "reviews:feedback": MEMBER,
    "reviews:feedback_round": TEAM_OBJECT,
    "reviews:scoring": MEMBER,
    "live:socket": SOCKET,
    "live:tv": PUBLIC,
    "live:tv_status": PUBLIC,
    "live:pick_media": SCREEN,
    "live:screens": COACH,
    "live:pair": COACH,
    "live:create_link": COACH,
    "live:open_link": PUBLIC,
    "live:settings": COACH_OBJECT,
    "live:revoke": COACH_OBJECT,
    "live:reveal": COACH,
    "live:kudos_sharing": MEMBER,
    "push:settings": MEMBER,
    "push:preferences": MEMBER,
    "push:remove_device": OWN,
    "push:subscribe": MEMBER,
    "push:unsubscribe": MEMBER,
    "push:notifications": MEMBER,
    "push:rounds": COACH,
    "push:round": COACH_OBJECT,
    "push:nudge": COACH_OBJECT,
    "coaching:metrics": COACH,
    "coaching:preview": COACH,
    "coaching:import": COACH,
    "coaching:team": COACH,
    "coaching:guide": COACH,
    # A rep's 1:1 packet: the rep opens their own (practice parts only), the team's coaches
    # theirs; a teammate, another team's manager or another organisation gets 404.
    "coaching:packet": TEAM_OBJECT,
    "coaching:focus": COACH_OBJECT,
    "coaching:notes": COACH_OBJECT,
    "coaching:practice": COACH_OBJECT,
    "coaching:action": COACH_OBJECT,
    "privacy:export": MEMBER,
    "privacy:erase": ADMIN_OBJECT,
    # A take's delivery feedback is as private as the take; coaches see team figures only.
    "delivery:feedback": OWN,
    "delivery:dispute": OWN,
    "delivery:team": COACH,
    "pwa:manifest": PUBLIC,
    "pwa:service_worker": PUBLIC,
    "pwa:offline": PUBLIC,
    "pwa:offline_pages": PUBLIC,
}

# Who is let in to OWN routes: the rep who recorded the take, or the teammate reviewing it.
OWNER: dict[str, str] = {
    "reviews:review": "reviewer",
    "reviews:draft": "reviewer",
    "reviews:submit": "reviewer",
}


@dataclass
class World:
    """Team A of organisation Home holds every object; team B and Rival are the others."""

    admin: Membership
    manager: Membership
    rep: Membership
    reviewer: Membership
    other_manager: Membership
    outsider: Membership
    ids: dict[str, int]

    def actor(self, name: str) -> Membership:
        kind = ACCESS[name]
        if kind == ADMIN_OBJECT:
            return self.admin
        if kind in COACH_KINDS:
            return self.manager
        return self.reviewer if OWNER.get(name) == "reviewer" else self.rep


# Path parameters: which of team A's objects each `{param}` names.
PARAMS: dict[str, Callable[[World], Any]] = {
    "drill_id": lambda w: w.ids["drill"],
    "item_id": lambda w: w.ids["item"],
    # The rep's unsubmitted practice take: private to them, managers included.
    "take_id": lambda w: w.ids["practice_take"],
    "entry_id": lambda w: w.ids["entry"],
    "review_id": lambda w: w.ids["review"],
    "round_id": lambda w: w.ids["round"],
    "season_id": lambda w: w.ids["season"],
    "membership_id": lambda w: w.rep.id,
    "member_id": lambda w: w.rep.id,
    "action_id": lambda w: w.ids["agreed_action"],
    "invitation_id": lambda w: w.ids["invitation"],
    "screen_id": lambda w: w.ids["screen"],
    "pick_id": lambda w: w.ids["pick"],
    "subscription_id": lambda w: w.ids["subscription"],
    "format": lambda w: "markdown",
    "token": lambda w: "no-such-token",
    "path": lambda w: "app.css",
    "index": lambda w: 0,  # the first key point of a take's feedback
}

# Form fields that name an object of team A (the rest of a form may be empty).
FORMS: dict[str, Callable[[World], dict[str, str]]] = {
    "accounts:invite": lambda w: {"team_id": str(w.ids["team"]), "role": "rep"},
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str

    @property
    def kind(self) -> str:
        return ACCESS[self.name]

    @property
    def is_write(self) -> bool:
        return self.method not in ("GET", "HEAD")

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


def walk(routes: list[BaseRoute], prefix: str = "") -> Iterator[Endpoint]:
    for route in routes:
        if isinstance(route, Mount):
            if route.routes:
                yield from walk(list(route.routes), prefix + route.path)
            else:  # an app mounted whole, such as StaticFiles
                yield Endpoint(route.name or route.path, "GET", prefix + route.path + "/{path}")
        elif isinstance(route, Route):
            for method in sorted(route.methods or ()):
                yield Endpoint(route.name, method, prefix + route.path)
        elif isinstance(route, WebSocketRoute):
            yield Endpoint(route.name, "WEBSOCKET", prefix + route.path)
        else:
            raise AssertionError(f"a route of an unknown type: {route!r}")


def app_endpoints() -> list[Endpoint]:
    settings = Settings(data_dir=Path("/nonexistent/route-table"), secret_key="x" * 40)
    return list(walk(create_app(settings).routes))


ENDPOINTS = app_endpoints()
HTTP_ENDPOINTS = [e for e in ENDPOINTS if e.method != "WEBSOCKET" and e.name in ACCESS]


def url_of(endpoint: Endpoint, world: World) -> str:
    path = endpoint.path
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        param = path[start + 1 : end].split(":")[0]
        path = path[:start] + str(PARAMS[param](world)) + path[end + 1 :]
    return path


def endpoints_of(*kinds: str, writes_only: bool = False) -> list[Endpoint]:
    return [
        e
        for e in HTTP_ENDPOINTS
        if e.kind in kinds and (e.is_write or not writes_only) and e.method != "HEAD"
    ]


def test_every_route_is_classified() -> None:
    names = {endpoint.name for endpoint in ENDPOINTS}
    unclassified = sorted(names - ACCESS.keys())
    stale = sorted(ACCESS.keys() - names)
    assert not unclassified, f"classify these routes in ACCESS: {unclassified}"
    assert not stale, f"ACCESS names routes the app no longer has: {stale}"


def test_every_path_parameter_has_an_object() -> None:
    for endpoint in ENDPOINTS:
        for piece in endpoint.path.split("{")[1:]:
            assert piece.split("}")[0].split(":")[0] in PARAMS, f"{endpoint}: add it to PARAMS"


# --- The world ------------------------------------------------------------------------


@pytest.fixture
async def world(app: Starlette) -> World:
    return await build_world(app)


async def build_world(app: Starlette) -> World:
    home = await factories.make_organisation("Home")
    team_a = await factories.make_team(home, "Team A")
    team_b = await factories.make_team(home, "Team B")
    rival = await factories.make_team(await factories.make_organisation("Rival"), "Rivals")
    admin = await factories.make_member(team_a, Role.ADMIN, name="Ada Admin")
    manager = await factories.make_member(team_a, Role.MANAGER, name="Mo Manager")
    rep = await factories.make_member(team_a, Role.REP, name="Riley Rep")
    reviewer = await factories.make_member(team_a, Role.REP, name="Rae Reviewer")
    item = await factories.make_item(team_a)
    drill = await factories.make_drill(team_a, items=[item])
    season = await factories.make_season(team_a)
    round_ = await factories.make_round(season, [drill], state=RoundState.OPEN)
    entry = await factories.make_entry(round_, rep, submitted_at=factories.MONDAY, drill=drill)
    entry = await Entry.get(id=entry.id).select_related("take")
    practice = await Take.create(
        team=team_a, member=rep, drill=drill, round=round_, storage_key="world/practice.webm",
        content_type="audio/webm", duration_seconds=12.0, size_bytes=4,
    )  # fmt: skip
    # Its delivery feedback, with one key point not heard (so it can be marked as said).
    await TakeAnalysis.create(
        take=practice, team=team_a, member=rep, status=AnalysisStatus.DONE,
        key_points=[{"text": "ask a question", "heard": False, "score": 0.2}],
        created_at=practice.created_at,
    )  # fmt: skip
    for key in (entry.take.storage_key, practice.storage_key):
        path = app.state.storage.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"clip")
    review = await Review.create(team=team_a, round=round_, entry=entry, reviewer=reviewer)
    pick = await CoachPick.create(team=team_a, round=round_, drill=drill, entry=entry)
    invitation = await Invitation.create(
        organisation=home, team=team_a, role=Role.REP, token_hash="0" * 64,
        invited_by=manager, expires_at=factories.MONDAY + factories.SUBMIT_WINDOW,
    )  # fmt: skip
    screen, _ = await create_linked_screen(manager, "Office TV")
    subscription = await PushSubscription.create(
        member=rep, endpoint="https://push.example.com/rep", p256dh="k", auth="a"
    )
    one_on_one = await OneOnOne.create(team=team_a, member=rep, week_of=factories.MONDAY.date())
    agreed = await AgreedAction.create(one_on_one=one_on_one, text="Record the opener twice")
    ids = {
        "agreed_action": agreed.id,
        "team": team_a.id,
        "item": item.id,
        "drill": drill.id,
        "season": season.id,
        "round": round_.id,
        "entry": entry.id,
        "practice_take": practice.id,
        "review": review.id,
        "pick": pick.id,
        "invitation": invitation.id,
        "screen": screen.id,
        "subscription": subscription.id,
    }
    return World(
        admin=admin,
        manager=manager,
        rep=rep,
        reviewer=reviewer,
        other_manager=await factories.make_member(team_b, Role.MANAGER, name="Bo Other"),
        outsider=await factories.make_member(rival, Role.ADMIN, name="Olly Outsider"),
        ids=ids,
    )


# The suite runs on SQLite and, under `make test-scale`, on PostgreSQL.
LIST_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgres": "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
}


async def snapshot(app: Starlette) -> dict[str, list[str]]:
    """Every row of every table, and every stored file: what a refused write must not touch."""
    connection = connections.get("default")
    tables = await connection.execute_query_dict(LIST_TABLES[connection.capabilities.dialect])
    state = {}
    for table in (row["name"] for row in tables):
        rows = await connection.execute_query_dict(f'SELECT * FROM "{table}"')
        state[table] = sorted(repr(sorted(row.items())) for row in rows)
    root: Path = app.state.settings.data_dir
    state["files"] = sorted(str(path.relative_to(root)) for path in root.rglob("*"))
    return state


async def send(client: httpx.AsyncClient, endpoint: Endpoint, world: World) -> httpx.Response:
    form = FORMS.get(endpoint.name, lambda w: {})(world)
    url = url_of(endpoint, world)
    if endpoint.is_write:
        return await client.request(endpoint.method, url, data=form)
    return await client.request(endpoint.method, url)


Check = Callable[[httpx.Response], str | None]


async def refusals(
    app: Starlette,
    world: World,
    client: httpx.AsyncClient,
    endpoints: list[Endpoint],
    expect: Check,
) -> list[str]:
    """Send each request; collect what answered wrongly or changed something it refused."""
    problems = []
    for endpoint in endpoints:
        before = await snapshot(app) if endpoint.is_write else None
        response = await send(client, endpoint, world)
        if problem := expect(response):
            problems.append(f"{endpoint}: {problem}")
        if before is not None and await snapshot(app) != before:
            problems.append(f"{endpoint}: the refused write changed the database or files")
    return problems


def assert_none(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def status_is(status: int) -> Check:
    def check(response: httpx.Response) -> str | None:
        return None if response.status_code == status else f"answered {response.status_code}"

    return check


def sent_to_sign_in(response: httpx.Response) -> str | None:
    location = response.headers.get("location") or response.headers.get("hx-redirect") or ""
    if response.status_code in (303, 204) and location.startswith("/signin"):
        return None
    if response.status_code == 401:
        return None
    return f"answered {response.status_code} {location}"


# --- The checks -----------------------------------------------------------------------


async def test_anonymous_people_are_sent_to_sign_in(
    app: Starlette, world: World, client: httpx.AsyncClient
) -> None:
    endpoints = endpoints_of(MEMBER, TEAM_OBJECT, OWN, COACH, COACH_OBJECT, ADMIN_OBJECT)
    assert_none(await refusals(app, world, client, endpoints, sent_to_sign_in))


async def test_only_an_office_screen_gets_screen_routes(
    app: Starlette, world: World, make_client: ClientFactory
) -> None:
    for member in (None, world.rep, world.manager):
        client = await make_client(member)
        assert_none(await refusals(app, world, client, endpoints_of(SCREEN), status_is(404)))


async def test_another_organisation_gets_404_on_every_object(
    app: Starlette, world: World, make_client: ClientFactory
) -> None:
    client = await make_client(world.outsider)
    endpoints = endpoints_of(*OBJECT_KINDS, ADMIN_OBJECT)
    assert_none(await refusals(app, world, client, endpoints, status_is(404)))


async def test_a_manager_of_another_team_gets_404_on_every_object(
    app: Starlette, world: World, make_client: ClientFactory
) -> None:
    client = await make_client(world.other_manager)
    endpoints = endpoints_of(*OBJECT_KINDS)
    assert_none(await refusals(app, world, client, endpoints, status_is(404)))


@pytest.mark.parametrize("coach", ["manager", "admin"])
async def test_a_reps_own_things_are_404_to_their_coaches(
    app: Starlette, world: World, make_client: ClientFactory, coach: str
) -> None:
    client = await make_client(getattr(world, coach))
    assert_none(await refusals(app, world, client, endpoints_of(OWN), status_is(404)))


async def test_a_rep_gets_403_on_manager_actions(
    app: Starlette, world: World, make_client: ClientFactory
) -> None:
    client = await make_client(world.rep)
    endpoints = endpoints_of(COACH, COACH_OBJECT, ADMIN_OBJECT)
    assert_none(await refusals(app, world, client, endpoints, status_is(403)))


@pytest.mark.parametrize("manager", ["manager", "other_manager"])
async def test_managers_get_403_on_admin_actions(
    app: Starlette, world: World, make_client: ClientFactory, manager: str
) -> None:
    client = await make_client(getattr(world, manager))
    endpoints = endpoints_of(ADMIN_OBJECT)
    assert_none(await refusals(app, world, client, endpoints, status_is(403)))


async def test_a_write_without_the_csrf_token_gets_403(
    app: Starlette, world: World, make_client: ClientFactory
) -> None:
    problems = []
    for endpoint in endpoints_of(*set(ACCESS.values()) - {REPORT}, writes_only=True):
        signed_in = None if endpoint.kind in (PUBLIC, SCREEN) else world.actor(endpoint.name)
        client = await make_client(signed_in)
        del client.headers["X-CSRF-Token"]
        problems += await refusals(app, world, client, [endpoint], status_is(403))
    assert_none(problems)


@pytest.mark.parametrize(
    "endpoint",
    endpoints_of(TEAM_OBJECT, OWN, COACH, COACH_OBJECT, ADMIN_OBJECT, MEMBER),
    ids=str,
)
async def test_the_right_person_gets_in(
    world: World, make_client: ClientFactory, endpoint: Endpoint
) -> None:
    """The refusals above mean something only if the same request lets the right person in."""
    client = await make_client(world.actor(endpoint.name))
    response = await send(client, endpoint, world)
    assert response.status_code not in (401, 403, 404), response.text[:300]
    assert response.status_code < 500


async def socket_close_code(app: Starlette, cookie: str = "") -> int:
    """Open /live over raw ASGI and return the code the server closes it with."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "websocket.connect"})
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return await inbox.get()

    async def send_message(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {
        "type": "websocket", "path": "/live", "raw_path": b"/live", "root_path": "",
        "query_string": b"views=standings", "headers": headers, "scheme": "ws",
        "server": ("testserver", 80), "client": ("127.0.0.1", 5000), "subprotocols": [],
        "asgi": {"version": "3.0"}, "app": app,
    }  # fmt: skip
    await asyncio.wait_for(app(scope, receive, send_message), timeout=5)  # type: ignore[arg-type]
    closes = [message for message in sent if message["type"] == "websocket.close"]
    assert closes, sent
    return int(closes[-1].get("code", 1000))


async def test_the_live_socket_closes_on_anonymous_people(app: Starlette) -> None:
    assert [e for e in ENDPOINTS if e.kind == SOCKET], "the live socket is in the route table"
    assert await socket_close_code(app) == CLOSE_SIGNED_OUT
