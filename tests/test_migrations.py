"""The committed migrations build exactly the tables the models describe.

Tests build their tables straight from the models (generate_schemas), so this is the one
place that proves `league migrate` gives a real install the same database. It fails when a
model changes without a migration: run `tortoise -c league.db.TORTOISE_ORM makemigrations`.
"""

from __future__ import annotations

import importlib
import inspect
import sqlite3
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model

from league.db import MODEL_MODULES, apply_migrations, tortoise_config

MIGRATIONS_TABLE = "tortoise_migrations"


def sqlite_url(path: Path) -> str:
    return f"sqlite://{path}"


async def build_by_migrating(path: Path) -> None:
    await apply_migrations(sqlite_url(path))


async def build_from_models(path: Path) -> None:
    await Tortoise.init(config=tortoise_config(sqlite_url(path)), _enable_global_fallback=True)
    try:
        await Tortoise.generate_schemas(safe=False)
    finally:
        await Tortoise.close_connections()


def describe(path: Path) -> dict[str, dict[str, Any]]:
    """Tables, columns, foreign keys and indexes of a SQLite file, in comparable form."""
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name",
                (MIGRATIONS_TABLE,),
            )
        ]
        return {table: describe_table(db, table) for table in tables}


def describe_table(db: sqlite3.Connection, table: str) -> dict[str, Any]:
    columns = {
        name: {"type": kind.upper(), "not_null": bool(not_null), "primary_key": bool(pk)}
        for _, name, kind, not_null, _default, pk in db.execute(f'PRAGMA table_info("{table}")')
    }
    foreign_keys = sorted(
        (row[3], row[2], row[4], row[6])  # column, other table, other column, on delete
        for row in db.execute(f'PRAGMA foreign_key_list("{table}")')
    )
    # Index names differ between the two builders; what they cover and enforce must not.
    indexes = sorted(
        (bool(unique), tuple(column for *_, column in db.execute(f'PRAGMA index_info("{name}")')))
        for _, name, unique, *_ in db.execute(f'PRAGMA index_list("{table}")')
    )
    return {"columns": columns, "foreign_keys": foreign_keys, "indexes": indexes}


async def test_migrations_build_the_same_schema_as_the_models(tmp_path: Path) -> None:
    migrated, generated = tmp_path / "migrated.db", tmp_path / "generated.db"
    await build_by_migrating(migrated)
    await build_from_models(generated)
    from_migrations, from_models = describe(migrated), describe(generated)

    assert sorted(from_migrations) == sorted(from_models), "tables differ"
    for table, expected in from_models.items():
        assert from_migrations[table] == expected, f"table {table} differs"


async def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "league.db"
    await build_by_migrating(path)
    first = describe(path)
    await build_by_migrating(path)
    assert describe(path) == first


async def test_migrating_records_what_was_applied(tmp_path: Path) -> None:
    path = tmp_path / "league.db"
    await build_by_migrating(path)
    migrations_dir = Path(__file__).resolve().parents[1] / "league" / "migrations"
    committed = {p.stem for p in migrations_dir.glob("[0-9]*.py")}
    with sqlite3.connect(path) as db:
        applied = {row[0] for row in db.execute(f"SELECT name FROM {MIGRATIONS_TABLE}")}
    assert applied == committed


def list_descriptions() -> list[tuple[str, str]]:
    """(where, text) for every table and column comment the models put into the schema."""
    found = []
    for module_name in MODEL_MODULES:
        module = importlib.import_module(module_name)
        for name, model in inspect.getmembers(module, inspect.isclass):
            if not issubclass(model, Model) or model.__module__ != module_name:
                continue
            found.append((name, model._meta.table_description or ""))
            for field_name, field in model._meta.fields_map.items():
                found.append((f"{name}.{field_name}", field.description or ""))
    return found


def test_schema_comments_have_no_semicolons() -> None:
    # Tortoise's SQLite migrations split each statement on ";", and a model's docstring
    # (or a field description) becomes a comment inside CREATE TABLE: one semicolon in
    # it makes `league migrate` fail with a syntax error on a fresh database.
    offending = [where for where, text in list_descriptions() if ";" in text]
    assert offending == [], f"replace the ';' in these docstrings/descriptions: {offending}"
