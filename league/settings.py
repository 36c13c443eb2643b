"""The one Settings object. No other module reads the environment."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

SECRET_KEY_FILENAME = "session.key"
SECRET_FILE_MODE = 0o600


class SettingsError(ValueError):
    """A LEAGUE_ variable holds a value the app cannot start with."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = field(default="", repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    # "migrate" applies the committed migrations at start-up; tests use "generate"
    # to build tables straight from the models, which is faster per test.
    database_setup: str = "migrate"
    run_worker: bool = True
    worker_interval_seconds: float = 1.0
    media_url: str = ""
    # Keys for s3:// media; empty lets boto3 find them itself (environment, instance role).
    s3_access_key: str = field(default="", repr=False)
    s3_secret_key: str = field(default="", repr=False)
    broker_url: str = "memory://"
    max_clip_megabytes: int = 25
    reviewers_per_entry: int = 3
    # Points per round; reps read these on the "How scoring works" page.
    points_showing_up: int = 10
    points_quality_per_star: int = 5
    points_improvement_per_star: int = 10
    points_improvement_max: int = 20
    points_per_review: int = 3
    points_per_helpful: int = 2
    points_streak_per_round: int = 2
    points_streak_max: int = 10
    push_contact: str = "mailto:practice-league@localhost.localdomain"
    signin_slowdown_seconds: float = 1.0
    # Recordings older than this many days are deleted (0 keeps them); results stay.
    retention_days: int = 0
    # Tests only: lets push go to a plain-http service on loopback (the local one they run).
    push_allow_loopback: bool = False
    # Delivery feedback (pace, pauses, key points) on every take; 0 workers = one per core.
    delivery_feedback: bool = True
    delivery_workers: int = 0
    # On SIGTERM, requests in flight (an upload) get this long to finish before they are cut.
    shutdown_grace_seconds: int = 30

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", default_database_url(self.data_dir))
        if not self.media_url:
            object.__setattr__(self, "media_url", f"file://{(self.data_dir / 'media').resolve()}")
        if self.delivery_workers <= 0:
            object.__setattr__(self, "delivery_workers", os.cpu_count() or 1)
        if self.database_setup not in ("migrate", "generate", "none"):
            raise SettingsError(
                f"LEAGUE_DATABASE_SETUP must be migrate, generate or none, "
                f"not {self.database_setup!r}"
            )
        check_ranges(self)

    @property
    def max_clip_bytes(self) -> int:
        return self.max_clip_megabytes * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("LEAGUE_DATA_DIR", "var"))
        return cls(
            data_dir=data_dir,
            database_url=env.get("LEAGUE_DATABASE_URL", ""),
            secret_key=read_secret(env, "LEAGUE_SECRET_KEY", data_dir / SECRET_KEY_FILENAME),
            host=env.get("LEAGUE_HOST", "127.0.0.1"),
            port=env_int(env, "PORT", env_int(env, "LEAGUE_PORT", 8000)),
            database_setup=env.get("LEAGUE_DATABASE_SETUP", "migrate"),
            run_worker=env_bool(env, "LEAGUE_RUN_WORKER", True),
            media_url=env.get("LEAGUE_MEDIA_URL", ""),
            s3_access_key=read_optional_secret(env, "LEAGUE_S3_ACCESS_KEY"),
            s3_secret_key=read_optional_secret(env, "LEAGUE_S3_SECRET_KEY"),
            broker_url=env.get("LEAGUE_BROKER_URL", "memory://"),
            max_clip_megabytes=env_int(env, "LEAGUE_MAX_CLIP_MB", 25),
            reviewers_per_entry=env_int(env, "LEAGUE_REVIEWERS_PER_ENTRY", 3),
            points_showing_up=env_int(env, "LEAGUE_POINTS_SHOWING_UP", 10),
            points_quality_per_star=env_int(env, "LEAGUE_POINTS_QUALITY_PER_STAR", 5),
            points_improvement_per_star=env_int(env, "LEAGUE_POINTS_IMPROVEMENT_PER_STAR", 10),
            points_improvement_max=env_int(env, "LEAGUE_POINTS_IMPROVEMENT_MAX", 20),
            points_per_review=env_int(env, "LEAGUE_POINTS_PER_REVIEW", 3),
            points_per_helpful=env_int(env, "LEAGUE_POINTS_PER_HELPFUL", 2),
            points_streak_per_round=env_int(env, "LEAGUE_POINTS_STREAK_PER_ROUND", 2),
            points_streak_max=env_int(env, "LEAGUE_POINTS_STREAK_MAX", 10),
            push_contact=env.get("LEAGUE_PUSH_CONTACT", cls.push_contact),
            retention_days=env_int(env, "LEAGUE_RETENTION_DAYS", 0, minimum=0),
            push_allow_loopback=env_bool(env, "LEAGUE_PUSH_ALLOW_LOOPBACK", False),
            delivery_feedback=env_bool(env, "LEAGUE_DELIVERY_FEEDBACK", True),
            delivery_workers=env_int(env, "LEAGUE_DELIVERY_WORKERS", 0, minimum=0),
            shutdown_grace_seconds=env_int(env, "LEAGUE_SHUTDOWN_GRACE_SECONDS", 30, minimum=1),
        )


# The variable behind each field whose name is not simply LEAGUE_<FIELD>.
ENV_NAMES = {"max_clip_megabytes": "LEAGUE_MAX_CLIP_MB", "port": "PORT (or LEAGUE_PORT)"}
# At least 1: a zero would make every upload, or every review assignment, impossible.
POSITIVE = ("max_clip_megabytes", "reviewers_per_entry")
NON_NEGATIVE = (
    "points_showing_up",
    "points_quality_per_star",
    "points_improvement_per_star",
    "points_improvement_max",
    "points_per_review",
    "points_per_helpful",
    "points_streak_per_round",
    "points_streak_max",
    "signin_slowdown_seconds",
)
MAX_CLIP_MEGABYTES = 2048


def env_name(field_name: str) -> str:
    return ENV_NAMES.get(field_name, f"LEAGUE_{field_name.upper()}")


def check_ranges(settings: Settings) -> None:
    """Refuse values that parse but make no sense, naming the variable to fix."""
    for name in POSITIVE:
        if getattr(settings, name) <= 0:
            raise SettingsError(
                f"{env_name(name)} must be more than 0, not {getattr(settings, name)}"
            )
    for name in NON_NEGATIVE:
        if getattr(settings, name) < 0:
            raise SettingsError(
                f"{env_name(name)} can't be negative (got {getattr(settings, name)})"
            )
    if settings.max_clip_megabytes > MAX_CLIP_MEGABYTES:
        raise SettingsError(f"LEAGUE_MAX_CLIP_MB must be at most {MAX_CLIP_MEGABYTES}")
    if not 0 < settings.port < 65536:
        raise SettingsError(
            f"{env_name('port')} must be a port from 1 to 65535, not {settings.port}"
        )


def default_database_url(data_dir: Path) -> str:
    # WAL is on by default in Tortoise's SQLite client; the busy timeout lets the
    # worker and request handlers wait for each other instead of failing.
    path = (data_dir / "league.db").resolve()
    return f"sqlite://{path}?busy_timeout=7000&synchronous=NORMAL"


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def env_int(env: Mapping[str, str], name: str, default: int, minimum: int | None = None) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


def read_secret(env: Mapping[str, str], name: str, default_path: Path) -> str:
    """Read a secret from NAME_FILE, or from a file in the data dir made on first start."""
    path = Path(env.get(f"{name}_FILE", default_path))
    if not path.exists():
        if f"{name}_FILE" in env:
            raise SettingsError(f"{name}_FILE points to {path}, which does not exist")
        create_secret_file(path)
    return path.read_text().strip()


def read_optional_secret(env: Mapping[str, str], name: str) -> str:
    """NAME's value, or the contents of the file NAME_FILE names, or ""."""
    if env.get(f"{name}_FILE"):
        path = Path(env[f"{name}_FILE"])
        if not path.is_file():
            raise SettingsError(f"{name}_FILE points to {path}, which does not exist")
        return path.read_text().strip()
    return env.get(name, "")


def create_secret_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_FILE_MODE)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
