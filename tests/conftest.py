"""Shared fixtures: settings, app, clients, and the standard personas."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from itsdangerous import Signer
from starlette.applications import Starlette

from league.accounts import service as accounts
from league.accounts.access import SESSION_COOKIE
from league.accounts.models import Membership, Role, Team
from league.app import create_app
from league.clock import FrozenClock
from league.jobs import service as jobs
from league.privacy.retention import retention_key
from league.reactions import Reactions
from league.settings import Settings
from league.web.csrf import CSRF_COOKIE
from tests import factories
from tests.scale import services

CSRF_TOKEN = "test-csrf-token-0123456789abcdef"
SECRET_KEY = "test-secret-key-not-for-production-0123456789"

ClientFactory = Callable[[Membership | None], Awaitable[httpx.AsyncClient]]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--scale",
        action="store_true",
        help="start real PostgreSQL, Redis and SeaweedFS; run database tests on PostgreSQL "
        "and the tests/scale suite (make test-scale)",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # tests/scale needs the real services that only --scale starts.
    if collection_path.name == "scale" and not config.getoption("--scale"):
        return True
    return None


def is_scale_run(config: pytest.Config) -> bool:
    return bool(config.getoption("--scale"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[services.PostgresServer]:
    with services.postgres() as server:
        yield server


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """SQLite in the test's temp dir by default; one emptied PostgreSQL database with --scale."""
    if not is_scale_run(request.config):
        return ""
    server: services.PostgresServer = request.getfixturevalue("postgres_server")
    return services.empty_test_database(server)


@pytest.fixture
def clock() -> FrozenClock:
    # A Monday morning in London.
    return FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        secret_key=SECRET_KEY,
        database_setup="generate",
        run_worker=False,
        signin_slowdown_seconds=0,
        # Listening to takes costs seconds of CPU; tests/delivery switches it on.
        delivery_feedback=False,
    )


@pytest.fixture
async def app(settings: Settings, clock: FrozenClock) -> AsyncIterator[Starlette]:
    application = create_app(settings, clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def without_housekeeping(app: Starlette, clock: FrozenClock) -> None:
    """For tests that count the jobs they run: today's daily housekeeping run (old
    recordings and push records, tested in tests/privacy) is cancelled, so that run and
    the ones it would schedule never join the count."""
    await jobs.cancel(retention_key(clock.now()))


@pytest.fixture
def app_services(app: Starlette) -> dict[str, Any]:
    """The app's services, as its jobs get them (settings, reactions, storage...)."""
    return app.state.services  # type: ignore[no-any-return]


@pytest.fixture
def reactions(app: Starlette) -> Reactions:
    """The app's reactions: service calls that publish or notify take them."""
    return app.state.reactions  # type: ignore[no-any-return]


@pytest.fixture
async def make_client(app: Starlette) -> AsyncIterator[ClientFactory]:
    """Clients that carry a CSRF token; pass a member to be signed in as them."""
    clients: list[httpx.AsyncClient] = []

    async def make(member: Membership | None = None) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver",
            headers={"X-CSRF-Token": CSRF_TOKEN},
            cookies={CSRF_COOKIE: CSRF_TOKEN},
        )
        if member is not None:
            token = await accounts.start_session(member, app.state.clock.now())
            signed = Signer(SECRET_KEY, salt="league.session").sign(token).decode()
            client.cookies.set(SESSION_COOKIE, signed)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


def take_new_csrf_token(client: httpx.AsyncClient, response: httpx.Response) -> None:
    """Signing in rotates the CSRF token; do what the page the browser lands on does."""
    token = response.cookies.get(CSRF_COOKIE)
    if token:
        client.cookies.delete(CSRF_COOKIE)
        client.cookies.set(CSRF_COOKIE, token)
        client.headers["X-CSRF-Token"] = token


@pytest.fixture
async def client(make_client: ClientFactory) -> httpx.AsyncClient:
    return await make_client(None)


@pytest.fixture
async def team(app: Starlette) -> Team:
    organisation = await factories.make_organisation("Brightwave")
    return await factories.make_team(organisation, "Mid-Market")


@pytest.fixture
async def manager(team: Team) -> Membership:
    return await factories.make_member(team, Role.MANAGER, name="Morgan Manager")


@pytest.fixture
async def admin(team: Team) -> Membership:
    return await factories.make_member(team, Role.ADMIN, name="Ada Admin")


@pytest.fixture
async def rep(team: Team) -> Membership:
    return await factories.make_member(team, Role.REP, name="Riley Rep")


@pytest.fixture
async def teammate(team: Team) -> Membership:
    return await factories.make_member(team, Role.REP, name="Taylor Teammate")


@pytest.fixture
async def outsider(app: Starlette) -> Membership:
    other_team = await factories.make_team(await factories.make_organisation("Rival Co"), "Rivals")
    return await factories.make_member(other_team, Role.MANAGER, name="Olly Outsider")
