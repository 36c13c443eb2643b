"""Database configuration shared by the app, the CLI and Tortoise's migration command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate

# Every feature that owns tables is listed once, here.
MODEL_MODULES = [
    "league.accounts.models",
    "league.jobs.models",
    "league.playbook.models",
    "league.seasons.models",
    "league.clips.models",
    "league.reviews.models",
    "league.standings.models",
    "league.push.models",
    "league.live.models",
    "league.coaching.models",
    "league.delivery.models",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "league.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def connection_config(database_url: str) -> str | dict[str, Any]:
    """SQLite: the URL as it is. PostgreSQL: the URL's settings, with pooled connections that
    skip asyncpg's reset query when they go back to the pool.

    Tortoise takes a pooled connection for every statement, and asyncpg resets one on its
    way back with a second round trip (`SELECT pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL`), doubling the round trips of every page. Nothing here leaves
    session state behind: no session-level advisory locks (transaction-scoped ones end with
    their transaction), no LISTEN, no SET, no held cursors; an open transaction is still
    rolled back on release.
    """
    if not database_url.startswith(("postgres://", "asyncpg://")):
        return database_url
    config = expand_db_url(database_url)
    config["credentials"]["connection_class"] = pooled_connection_class()
    return config


@cache
def pooled_connection_class() -> type:
    import asyncpg  # the optional `postgres` extra

    class PooledConnection(asyncpg.Connection):  # type: ignore[misc]
        def get_reset_query(self) -> str:
            return ""

    return PooledConnection


# Used by `tortoise -c league.db.TORTOISE_ORM makemigrations` from the repo root.
TORTOISE_ORM = tortoise_config("sqlite://var/league.db")


async def apply_migrations(database_url: str) -> None:
    """Bring the database up to the newest committed migration."""
    try:
        await migrate(config=tortoise_config(database_url))
    finally:
        # An open SQLite connection's thread would keep a failed `league migrate` alive.
        await Tortoise.close_connections()


async def check_database() -> bool:
    from tortoise import connections

    await connections.get("default").execute_query("SELECT 1")
    return True


@asynccontextmanager
async def open_database(database_url: str, setup: str = "migrate") -> AsyncIterator[None]:
    """Open Tortoise outside the web app (CLI commands, the demo loader).

    `setup` is the Settings.database_setup value: "migrate" applies the committed
    migrations first, "generate" creates missing tables straight from the models.
    """
    if setup == "migrate":
        await apply_migrations(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    if setup == "generate":
        await Tortoise.generate_schemas(safe=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()
