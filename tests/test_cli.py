"""The `league` command, run the way a person runs it: as a separate process."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from league.settings import SECRET_KEY_FILENAME

COMMANDS = ["serve", "migrate", "demo", "create-admin"]
ADMIN_ARGS = [
    "create-admin",
    "--organisation",
    "Northwind",
    "--team",
    "Enterprise",
    "--name",
    "Nina Norris",
    "--email",
    "nina@northwind.example",
    "--time-zone",
    "Europe/Berlin",
    "--password-stdin",
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def league(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LEAGUE_DATA_DIR": str(data_dir),
        # Browser and CLI tests follow the same switch while models run ahead of migrations.
        "LEAGUE_DATABASE_SETUP": os.environ.get("LEAGUE_DATABASE_SETUP", "migrate"),
    }
    return subprocess.run(
        [sys.executable, "-m", "league.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def query(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "league.db") as db:
        return db.execute(sql).fetchall()


def test_the_console_script_shows_help() -> None:
    script = Path(sys.executable).with_name("league")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(data_dir: Path, command: str) -> None:
    result = league(data_dir, command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: league {command}")


def test_it_refuses_an_unknown_command(data_dir: Path) -> None:
    result = league(data_dir, "launch")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_migrate_creates_the_database(data_dir: Path) -> None:
    result = league(data_dir, "migrate")
    assert result.returncode == 0, result.stderr
    assert "Database is up to date." in result.stdout
    assert query(data_dir, "SELECT count(*) FROM tortoise_migrations")[0][0] >= 1
    assert query(data_dir, "PRAGMA journal_mode")[0][0] == "wal"


def test_create_admin_creates_an_organisation_and_its_admin(data_dir: Path) -> None:
    result = league(data_dir, *ADMIN_ARGS, stdin="a-long-password\n")
    assert result.returncode == 0, result.stderr
    assert "Created Northwind with admin nina@northwind.example" in result.stdout
    rows = query(
        data_dir,
        "SELECT organisation.name, team.name, team.time_zone, user.name, membership.role "
        "FROM membership JOIN user ON user.id = membership.user_id "
        "JOIN team ON team.id = membership.team_id "
        "JOIN organisation ON organisation.id = membership.organisation_id",
    )
    assert rows == [("Northwind", "Enterprise", "Europe/Berlin", "Nina Norris", "admin")]
    password_hash = query(data_dir, "SELECT password_hash FROM user")[0][0]
    assert isinstance(password_hash, str) and password_hash.startswith("$argon2")


def test_create_admin_refuses_a_short_password(data_dir: Path) -> None:
    result = league(data_dir, *ADMIN_ARGS, stdin="short\n")
    assert result.returncode == 1
    assert "at least 8 characters" in result.stderr
    assert query(data_dir, "SELECT count(*) FROM organisation") == [(0,)]


def test_create_admin_refuses_an_email_already_in_use(data_dir: Path) -> None:
    assert league(data_dir, *ADMIN_ARGS, stdin="a-long-password\n").returncode == 0
    again = league(data_dir, *ADMIN_ARGS, stdin="a-long-password\n")
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_demo_loads_once_and_then_does_nothing(data_dir: Path) -> None:
    first = league(data_dir, "demo")
    assert first.returncode == 0, first.stderr
    assert "Demo league loaded." in first.stdout
    members = query(data_dir, "SELECT count(*) FROM membership")[0][0]
    assert members == 10

    second = league(data_dir, "demo")
    assert second.returncode == 0, second.stderr
    assert "nothing to do" in second.stdout
    assert query(data_dir, "SELECT count(*) FROM membership")[0][0] == members
    emails = {row[0] for row in query(data_dir, "SELECT email FROM user")}
    expected = {"admin@demo.test", "manager@demo.test"} | {f"rep{n}@demo.test" for n in range(1, 9)}
    assert emails == expected


def test_the_session_key_is_created_private(data_dir: Path) -> None:
    result = league(data_dir, "migrate")
    assert result.returncode == 0, result.stderr
    key_file = data_dir / SECRET_KEY_FILENAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert len(key) >= 40
    # The next start reuses it: sessions survive a restart.
    league(data_dir, "migrate")
    assert key_file.read_text() == key


def test_a_bad_setting_is_named(data_dir: Path) -> None:
    env_result = subprocess.run(
        [sys.executable, "-m", "league.cli", "migrate"],
        env={**os.environ, "LEAGUE_DATA_DIR": str(data_dir), "LEAGUE_RUN_WORKER": "maybe"},
        capture_output=True,
        text=True,
    )
    assert env_result.returncode == 2
    assert "LEAGUE_RUN_WORKER" in env_result.stderr


def test_several_workers_are_refused_on_sqlite(data_dir: Path) -> None:
    result = league(data_dir, "serve", "--workers", "2")
    assert result.returncode == 2
    assert "LEAGUE_DATABASE_URL=postgres://" in result.stderr


def test_several_workers_are_refused_without_a_shared_broker(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "league.cli", "serve", "--workers", "2"],
        env={
            **os.environ,
            "LEAGUE_DATA_DIR": str(data_dir),
            "LEAGUE_DATABASE_URL": "postgres://league@127.0.0.1:1/league",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "LEAGUE_BROKER_URL=redis://" in result.stderr
