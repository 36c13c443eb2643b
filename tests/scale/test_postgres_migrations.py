"""Every committed migration applies to PostgreSQL and builds what the models describe."""

from __future__ import annotations

from typing import Any

import asyncpg
from tortoise import Tortoise

from league.db import apply_migrations, tortoise_config
from tests.scale.services import PostgresServer

COLUMNS_SQL = """
SELECT table_name, column_name, data_type, is_nullable
FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> $1
ORDER BY table_name, column_name
"""
# What each index covers and whether it is unique; names differ between the two builders.
INDEXES_SQL = """
SELECT t.relname, ix.indisunique, array_agg(a.attname ORDER BY k.ord)
FROM pg_index ix
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
JOIN unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
WHERE t.relname <> $1
GROUP BY ix.indexrelid, t.relname, ix.indisunique
"""
FOREIGN_KEYS_SQL = """
SELECT conrelid::regclass::text, confrelid::regclass::text, confdeltype
FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace
"""
MIGRATIONS_TABLE = "tortoise_migrations"


async def describe(url: str) -> dict[str, Any]:
    connection = await asyncpg.connect(url)
    try:
        columns = [tuple(row) for row in await connection.fetch(COLUMNS_SQL, MIGRATIONS_TABLE)]
        indexes = [
            (row[0], row[1], tuple(row[2]))
            for row in await connection.fetch(INDEXES_SQL, MIGRATIONS_TABLE)
        ]
        foreign_keys = [tuple(row) for row in await connection.fetch(FOREIGN_KEYS_SQL)]
    finally:
        await connection.close()
    return {"columns": columns, "indexes": sorted(indexes), "foreign_keys": sorted(foreign_keys)}


async def build_from_models(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    try:
        await Tortoise.generate_schemas(safe=False)
    finally:
        await Tortoise.close_connections()


async def test_every_migration_applies_to_postgres(postgres_server: PostgresServer) -> None:
    migrated = postgres_server.create_database("league_migrated")
    generated = postgres_server.create_database("league_generated")

    await apply_migrations(migrated)
    await build_from_models(generated)

    from_migrations, from_models = await describe(migrated), await describe(generated)
    assert from_migrations["columns"], "no table was created"
    assert from_migrations["columns"] == from_models["columns"]
    assert from_migrations["indexes"] == from_models["indexes"]
    assert from_migrations["foreign_keys"] == from_models["foreign_keys"]


async def test_migrating_postgres_twice_changes_nothing(postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("league_twice")
    await apply_migrations(url)
    first = await describe(url)
    await apply_migrations(url)
    assert await describe(url) == first
