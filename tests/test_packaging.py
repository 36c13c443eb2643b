"""`pip install .` gives a working app: a wheel built from this tree, installed into a fresh
virtualenv, migrates a database and serves pages, templates and static files.

Offline-friendly: the wheel is built without build isolation and installed with --no-deps;
the new virtualenv borrows this test environment's installed dependencies through a .pth
line (which adds their folder, but not the editable install of this checkout).
"""

from __future__ import annotations

import os
import site
import socket
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The installed app must not see this checkout, whatever the test run's PYTHONPATH says.
CLEAN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*build, "--wheel-dir", str(out), str(ROOT)], check=True, capture_output=True)
    [built] = out.glob("league-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed; returns its bin folder."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "borrowed-deps.pth").write_text(site.getsitepackages()[0] + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    return home / "bin"


def test_the_wheel_ships_templates_static_files_seeds_and_migrations(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "league/templates/base.html",
        "league/static/vendor/htmx.min.js",
        "league/seeds/season.yaml",
        "league/migrations/0001_initial.py",
    ):
        assert expected in names


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(installed: Path, tmp_path: Path) -> Iterator[str]:
    """`league migrate` then `league serve` from the installed package, run outside the
    checkout so nothing can be found by accident in the working directory."""
    port = free_port()
    env = {**CLEAN_ENV, "LEAGUE_DATA_DIR": str(tmp_path / "data")}
    run = {"cwd": tmp_path, "env": env}
    subprocess.run([installed / "league", "migrate"], check=True, capture_output=True, **run)  # type: ignore[arg-type]
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [installed / "league", "serve", "--port", str(port)],
        stdout=log,
        stderr=log,
        **run,  # type: ignore[arg-type]
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_installed_package_is_not_this_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [installed / "python", "-c", "import league; print(league.__file__)"],
        check=True, capture_output=True, text=True, cwd=tmp_path, env=CLEAN_ENV,
    ).stdout  # fmt: skip
    assert str(ROOT) not in where


def test_the_installed_app_serves_pages_and_static_files(server: str) -> None:
    page = urllib.request.urlopen(f"{server}/signin", timeout=10).read().decode()
    assert "Sign in" in page and 'name="password"' in page
    script = urllib.request.urlopen(f"{server}/static/vendor/htmx.min.js", timeout=10).read()
    assert len(script) > 10_000
