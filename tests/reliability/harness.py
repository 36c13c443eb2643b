"""A real `league serve` process on a loopback port over a real SQLite file, that tests
can kill, stop and start again on the same data, and reps signed in against it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.browser.conftest import DEMO_PASSWORD, free_port, wait_until_healthy

LEAGUE = [sys.executable, "-m", "league.cli"]


@dataclass
class ServerProcess:
    data_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "LEAGUE_DATA_DIR": str(self.data_dir),
            "LEAGUE_DATABASE_SETUP": "migrate",
            "LEAGUE_HOST": "127.0.0.1",
            "PORT": str(self.port),
            **self.extra_env,
        }

    def league(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a `league` command against this server's data directory."""
        return subprocess.run(
            [*LEAGUE, *args], env=self.env, check=check, capture_output=True, text=True
        )

    def start(self) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen([*LEAGUE, "serve"], env=self.env, stdout=log, stderr=log)
        wait_until_healthy(self.url, self.process, self.data_dir)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs, as in a power cut or an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 30) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.terminate()

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(errors="replace")

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the server's database directly (a second connection, as any reader)."""
        with closing(sqlite3.connect(self.data_dir / "league.db", timeout=30)) as connection:
            return connection.execute(sql, params).fetchall()


@contextmanager
def signed_in_client(server: ServerProcess, email: str, **options: Any) -> Iterator[httpx.Client]:
    """A client signed in through the real sign-in form, carrying the CSRF header."""
    with httpx.Client(base_url=server.url, **options) as client:
        sign_in(client, email)
        yield client


def sign_in(client: httpx.Client, email: str) -> None:
    client.get("/signin")
    token = client.cookies["league_csrf"]
    response = client.post(
        "/signin", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    if response.status_code != 303:
        raise RuntimeError(f"sign-in as {email} failed: {response.status_code}")
    # Signing in hands out a new CSRF token, as the page the browser lands on would carry.
    client.headers["X-CSRF-Token"] = response.cookies.get("league_csrf") or token


def open_drill_ids(server: ServerProcess) -> list[int]:
    rows = server.query(
        "SELECT rd.drill_id FROM round_drill rd JOIN round r ON r.id = rd.round_id "
        "WHERE r.state = 'open' ORDER BY rd.drill_id"
    )
    return [int(drill_id) for (drill_id,) in rows]


def demo_server(data_dir: Path, **extra_env: str) -> ServerProcess:
    """A running server with the demo league loaded (round one open, reps rep1..rep8)."""
    server = ServerProcess(data_dir, extra_env=extra_env)
    server.league("demo", "--fresh")
    return server.start()
