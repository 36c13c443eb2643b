"""The `league` command: serve, migrate, demo, create-admin, backup, restore.

Thin: parse, then call a service.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from league.settings import Settings, SettingsError

if TYPE_CHECKING:
    from starlette.applications import Starlette


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"league: {error}", file=sys.stderr)
        return 2
    handler = args.handler
    return int(handler(settings, args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="league", description="Practice League server.")
    commands = parser.add_subparsers(required=True, metavar="command")

    serve = commands.add_parser("serve", help="serve the app (migrates first)")
    serve.add_argument("--host", help="address to listen on (default: LEAGUE_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT or 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (more than one needs PostgreSQL and Redis)",
    )
    serve.set_defaults(handler=run_serve)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=run_migrate)

    demo = commands.add_parser("demo", help="load the demo league from seeds/ (idempotent)")
    demo.add_argument(
        "--fresh", action="store_true", help="start the season at round 1 instead of mid-season"
    )
    demo.set_defaults(handler=run_demo)

    admin = commands.add_parser("create-admin", help="create an organisation and its first admin")
    admin.add_argument("--organisation", required=True, help="organisation name")
    admin.add_argument("--team", default="Sales", help="first team's name (default: Sales)")
    admin.add_argument("--name", required=True, help="the admin's name")
    admin.add_argument("--email", required=True, help="the admin's email")
    admin.add_argument("--time-zone", default="UTC", help="team time zone, e.g. Europe/London")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    admin.set_defaults(handler=run_create_admin)

    backup = commands.add_parser(
        "backup", help="copy the database, clips and keys to a new folder (safe while serving)"
    )
    backup.add_argument("path", type=Path, help="a new or empty folder for the backup")
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser("restore", help="bring back a backup (stop the server first)")
    restore.add_argument("path", type=Path, help="a folder written by `league backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace the database that is there now"
    )
    restore.set_defaults(handler=run_restore)
    return parser


def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from league.app import create_app

    host = args.host or settings.host
    port = args.port or settings.port
    problem = several_workers_problem(settings, args.workers)
    if problem:
        print(f"league: {problem}", file=sys.stderr)
        return 2
    print(f"Practice League is running at http://{host}:{port}/", flush=True)
    # On SIGTERM uvicorn stops listening, closes live sockets with 1012 (service restart:
    # pages reconnect) and lets requests in flight finish within the grace. It then raises
    # the signal again for the previous handler: this one makes that a clean exit (0).
    signal.signal(signal.SIGTERM, lambda number, frame: None)
    if args.workers == 1:
        app = create_app(settings)
        uvicorn.run(
            app,
            host=host,
            port=port,
            proxy_headers=True,
            log_level="info",
            timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        )
        return 0
    if settings.database_setup == "migrate":
        # Once, here, before any worker starts: workers racing to migrate could collide.
        run_migrate(settings, args)
    uvicorn.run(
        "league.cli:worker_app",
        factory=True,
        workers=args.workers,
        host=host,
        port=port,
        proxy_headers=True,
        log_level="info",
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
    return 0


def several_workers_problem(settings: Settings, workers: int) -> str:
    """Why `workers` processes cannot serve with these settings; empty when they can."""
    if workers < 1:
        return "--workers must be 1 or more"
    if workers == 1:
        return ""
    if settings.database_url.startswith("sqlite"):
        return "several workers need LEAGUE_DATABASE_URL=postgres://… (SQLite has one writer)"
    if settings.broker_url.startswith("memory"):
        return "several workers need LEAGUE_BROKER_URL=redis://… so live updates reach them all"
    return ""


def worker_app() -> Starlette:
    """The app of one `league serve --workers N` process; the parent has migrated already."""
    from league.app import create_app

    settings = Settings.from_env()
    if settings.database_setup == "migrate":
        settings = replace(settings, database_setup="none")
    return create_app(settings)


def run_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from league.db import apply_migrations

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(apply_migrations(settings.database_url))
    print("Database is up to date.")
    return 0


def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    from league.demo import load_demo_league

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    created = asyncio.run(load_demo_league(settings, fresh=args.fresh))
    print("Demo league loaded." if created else "Demo league already loaded; nothing to do.")
    return 0


def run_create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from league.accounts.service import ValidationError, sign_up
    from league.db import open_database

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password for the new admin: ")

    async def create() -> None:
        async with open_database(settings.database_url, settings.database_setup):
            await sign_up(
                args.organisation, args.team, args.name, args.email, password, args.time_zone
            )

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.run(create())
    except ValidationError as error:
        print(f"league: {error.message}", file=sys.stderr)
        return 1
    print(f"Created {args.organisation} with admin {args.email}. Sign in at /signin.")
    return 0


def run_backup(settings: Settings, args: argparse.Namespace) -> int:
    from league.backup.service import BackupError, back_up

    try:
        manifest = back_up(settings, args.path)
    except BackupError as error:
        print(f"league: {error}", file=sys.stderr)
        return 1
    print(
        f"Backed up to {args.path}: database, {manifest.clips_copied} clips"
        + (f" ({manifest.clips_gone} deleted while copying)" if manifest.clips_gone else "")
        + "."
    )
    return 0


def run_restore(settings: Settings, args: argparse.Namespace) -> int:
    from league.backup.service import BackupError, restore

    try:
        manifest = restore(settings, args.path, force=args.force)
    except BackupError as error:
        print(f"league: {error}", file=sys.stderr)
        return 1
    print(f"Restored the backup of {manifest.created_at} ({manifest.clips_copied} clips).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
