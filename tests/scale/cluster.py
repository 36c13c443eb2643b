"""Several real `league serve` processes sharing one PostgreSQL, Redis and S3 store.

    with league_cluster(pg, redis, seaweed, bucket, data_dir) as cluster:
        a, b = cluster.processes   # each on its own port, like two machines behind a balancer
        async with cluster.database():   # in the test's event loop
            ...                    # make a league with tests.factories
            client = await cluster.signed_in(member, a)

Each process is started with `python -m league.cli serve` and stopped by its pid. The
database is migrated once, before any process starts, as the README's upgrade steps say.
The test itself reaches the same database through `cluster.database()` to set up a league.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import httpx
from itsdangerous import Signer

from league.accounts import service as accounts
from league.accounts.access import SESSION_COOKIE
from league.accounts.models import Membership
from league.db import apply_migrations, open_database
from league.web.csrf import CSRF_COOKIE, CSRF_HEADER
from tests.scale import services

SECRET_KEY = "scale-test-secret-key-0123456789-abcdefghij"
CSRF_TOKEN = "scale-test-csrf-token-0123456789"
START_TIMEOUT_SECONDS = 60


@dataclass
class LeagueProcess:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def socket_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def output(self) -> str:
        return services.read_log(self.log)


@dataclass
class Cluster:
    database_url: str
    environment: dict[str, str]
    data_dir: Path
    processes: list[LeagueProcess] = field(default_factory=list)
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    @asynccontextmanager
    async def database(self) -> AsyncIterator[None]:
        """The cluster's database, opened in this (test) process; closes this test's clients."""
        try:
            async with open_database(self.database_url, "none"):
                yield
        finally:
            await self.close_clients()

    async def session_cookie(self, member: Membership) -> str:
        token = await accounts.start_session(member, datetime.now(UTC))
        return Signer(SECRET_KEY, salt="league.session").sign(token).decode()

    async def signed_in(self, member: Membership, process: LeagueProcess) -> httpx.AsyncClient:
        """An HTTP client of `process`, signed in as `member`, with a CSRF token."""
        client = httpx.AsyncClient(
            base_url=process.base_url,
            headers={CSRF_HEADER: CSRF_TOKEN},
            cookies={CSRF_COOKIE: CSRF_TOKEN, SESSION_COOKIE: await self.session_cookie(member)},
            timeout=30,
        )
        self.clients.append(client)
        return client

    async def close_clients(self) -> None:
        for client in self.clients:
            await client.aclose()
        self.clients.clear()


def cluster_environment(
    database_url: str,
    data_dir: Path,
    redis: services.RedisServer,
    seaweed: services.SeaweedServer,
    bucket: str,
) -> dict[str, str]:
    secret = data_dir / "secret.key"
    secret.write_text(SECRET_KEY)
    return {
        **os.environ,
        "LEAGUE_DATA_DIR": str(data_dir),
        "LEAGUE_DATABASE_URL": database_url,
        "LEAGUE_DATABASE_SETUP": "none",
        "LEAGUE_BROKER_URL": redis.url,
        "LEAGUE_MEDIA_URL": f"s3://{bucket}/{uuid4().hex[:12]}?endpoint={seaweed.endpoint}",
        "LEAGUE_S3_ACCESS_KEY": seaweed.access_key,
        "LEAGUE_S3_SECRET_KEY": seaweed.secret_key,
        "LEAGUE_SECRET_KEY_FILE": str(secret),
        # The reminder test's push service is the local one on plain-http loopback.
        "LEAGUE_PUSH_ALLOW_LOOPBACK": "true",
    }


@contextmanager
def league_cluster(
    postgres: services.PostgresServer,
    redis: services.RedisServer,
    seaweed: services.SeaweedServer,
    bucket: str,
    data_dir: Path,
    processes: int = 2,
) -> Iterator[Cluster]:
    """Start `processes` servers on a new database; stop them all, whatever happens.

    Call it outside a running event loop (e.g. from a sync, module-scoped fixture).
    """
    database_url = postgres.create_database(f"cluster_{uuid4().hex[:8]}")
    asyncio.run(apply_migrations(database_url))
    environment = cluster_environment(database_url, data_dir, redis, seaweed, bucket)
    cluster = Cluster(database_url, environment, data_dir)
    try:
        for number in range(processes):
            cluster.processes.append(
                start_process(f"process-{chr(ord('a') + number)}", environment)
            )
        yield cluster
    finally:
        for process in cluster.processes:
            services.stop_process(process.process)


def start_process(name: str, environment: dict[str, str], *arguments: str) -> LeagueProcess:
    port = services.free_port()
    log = Path(environment["LEAGUE_DATA_DIR"]) / f"{name}.log"
    command = [sys.executable, "-m", "league.cli", "serve", "--port", str(port), *arguments]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=environment, stdout=out, stderr=subprocess.STDOUT)
    started = LeagueProcess(name, port, process, log)
    try:
        services.wait_for(lambda: is_healthy(started), process, name, log)
    except BaseException:
        services.stop_process(process)
        raise
    return started


def is_healthy(process: LeagueProcess) -> bool:
    try:
        return httpx.get(f"{process.base_url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
