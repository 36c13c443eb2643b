"""Browser tests: Debian's Chromium driven by Playwright against a real server process.

The server is `league serve` on a free loopback port with its own data directory, loaded
with the demo league from seeds/: at round 1 (`league demo --fresh`) for `live_server`,
mid-season exactly as `make run` loads it for `mid_season_server`. A missing Chromium fails
the run; it never skips.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
DEMO_PASSWORD = "practice"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # A fake microphone and camera that beep, with permission granted without a prompt.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    # Playwright's sync API keeps an event loop running in the main thread until the
    # session ends, so an async test after the first browser test cannot start its own:
    # browser tests run last.
    browser_ids = {id(item) for item in browser_items}
    items[:] = [item for item in items if id(item) not in browser_ids] + browser_items


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    def league(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a `league` CLI command against this server's data directory."""
        return subprocess.run(
            [sys.executable, "-m", "league.cli", *args],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )


def start_server(
    data_dir: Path, extra_env: dict[str, str] | None = None, demo_args: Sequence[str] = ("--fresh",)
) -> LiveServer:
    port = free_port()
    env = {
        **os.environ,
        "LEAGUE_DATA_DIR": str(data_dir),
        "LEAGUE_DATABASE_SETUP": os.environ.get("LEAGUE_DATABASE_SETUP", "migrate"),
        "LEAGUE_HOST": "127.0.0.1",
        "PORT": str(port),
        **(extra_env or {}),
    }
    subprocess.run(
        [sys.executable, "-m", "league.cli", "demo", *demo_args],
        env=env,
        check=True,
        capture_output=True,
    )
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "league.cli", "serve"], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url, process, data_dir)
    return LiveServer(url, data_dir, env, process)


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], data_dir: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((data_dir / "server.log").read_text())
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become healthy in 30 s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the demo league, fresh for each test module."""
    server = start_server(tmp_path_factory.mktemp("live"))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def mid_season_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the demo league as `make run` loads it: three rounds played, round 4 open."""
    server = start_server(tmp_path_factory.mktemp("mid-season"), demo_args=())
    yield server
    stop_server(server)


def run_beside(server: LiveServer, module: str, function: str) -> str:
    """Run `asyncio.run(function())` from `module` in a process with the server's settings
    (its database and clip storage), as the CLI would; returns the last line it printed."""
    code = f"import asyncio; from {module} import {function}; print(asyncio.run({function}()))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=server.env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def sign_in(page: Page, server: LiveServer, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{server.url}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-results/screenshots/ for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
