"""Back up and restore the embedded default: the SQLite file, the clips and the secrets.

A backup is a folder: `league.db` (taken with SQLite's online backup API, so it is one
consistent moment even while the server writes), `media/` holding the clip of every take
that moment knows, `secrets/` (session and push keys, so sessions and push subscriptions
survive a restore) and `manifest.json`.

Clips are only ever added whole (renamed into place) and removed after their row is
marked deleted, so copying the clips the snapshot lists, after the snapshot, finds each
one unless it was deleted in between; those are counted in the manifest as `clips_gone`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from league.push.vapid import VAPID_KEY_FILENAME
from league.settings import SECRET_KEY_FILENAME, Settings

DATABASE_NAME = "league.db"
MANIFEST_NAME = "manifest.json"
SECRET_NAMES = (SECRET_KEY_FILENAME, VAPID_KEY_FILENAME)
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    takes: int
    clips_copied: int
    clips_gone: int


def sqlite_path(settings: Settings) -> Path:
    url = urlsplit(settings.database_url)
    if url.scheme != "sqlite":
        raise BackupError(
            "league backup copies the embedded SQLite database; "
            "for PostgreSQL use pg_dump and your object store's own copies."
        )
    return Path(unquote(url.netloc + url.path))


def media_root(settings: Settings) -> Path:
    url = urlsplit(settings.media_url)
    if url.scheme != "file":
        raise BackupError("league backup copies clips stored on the local disk (file://).")
    return Path(unquote(url.path))


def back_up(settings: Settings, target: Path) -> Manifest:
    database = sqlite_path(settings)
    if not database.exists():
        raise BackupError(f"There is no database at {database} to back up.")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; choose a new folder for the backup.")
    target.mkdir(parents=True, exist_ok=True)
    snapshot_database(database, target / DATABASE_NAME)
    keys = list_clip_keys(target / DATABASE_NAME)
    copied = copy_clips(keys, media_root(settings), target / "media")
    copy_secrets(settings.data_dir, target / "secrets")
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(),
        takes=len(keys),
        clips_copied=copied,
        clips_gone=len(keys) - copied,
    )
    (target / MANIFEST_NAME).write_text(json.dumps(asdict(manifest), indent=2))
    return manifest


def snapshot_database(source: Path, target: Path) -> None:
    # One step (pages=-1) copies every page inside one read transaction: a single moment.
    with closing(sqlite3.connect(source, timeout=30)) as live:
        with closing(sqlite3.connect(target)) as copy:
            live.backup(copy)
    check_integrity(target)


def check_integrity(database: Path) -> None:
    with closing(sqlite3.connect(database)) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchone()
    if result is None or result[0] != "ok":
        raise BackupError(f"{database} failed SQLite's integrity check: {result}")


def list_clip_keys(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("SELECT storage_key FROM take WHERE deleted_at IS NULL")
        return [str(key) for (key,) in rows]


def copy_clips(keys: list[str], source_root: Path, target_root: Path) -> int:
    copied = 0
    for key in keys:
        source = source_root / key
        target = target_root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:
            continue  # deleted after the snapshot; counted as gone
        copied += 1
    return copied


def copy_secrets(data_dir: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in SECRET_NAMES:
        if (data_dir / name).exists():
            shutil.copyfile(data_dir / name, target / name)
            os.chmod(target / name, 0o600)


def restore(settings: Settings, source: Path, force: bool = False) -> Manifest:
    """Put a backup back in place. The server must be stopped first."""
    manifest = read_manifest(source)
    database = sqlite_path(settings)
    if database.exists() and not force:
        raise BackupError(
            f"{database} already exists. Stop the server, then run again with --force "
            "to replace it with the backup."
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    restore_clips(source / "media", media_root(settings))
    restore_secrets(source / "secrets", settings.data_dir)
    restore_database(source / DATABASE_NAME, database)
    return manifest


def read_manifest(source: Path) -> Manifest:
    try:
        data = json.loads((source / MANIFEST_NAME).read_text())
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(f"{source} is not a league backup ({error}).") from None


def restore_database(backup: Path, database: Path) -> None:
    check_integrity(backup)
    fd, staging = tempfile.mkstemp(dir=database.parent, prefix=".restoring-")
    os.close(fd)
    shutil.copyfile(backup, staging)
    # A write-ahead log left from the old database would be replayed onto the new one.
    for suffix in SQLITE_SIDE_FILES:
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.replace(staging, database)


def restore_clips(source_root: Path, target_root: Path) -> None:
    for source in sorted(source_root.rglob("*")):
        if source.is_file():
            target = target_root / source.relative_to(source_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, staging = tempfile.mkstemp(dir=target.parent, prefix=".restoring-")
            os.close(fd)
            shutil.copyfile(source, staging)
            os.replace(staging, target)


def restore_secrets(source: Path, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in SECRET_NAMES:
        if (source / name).exists():
            shutil.copyfile(source / name, data_dir / name)
            os.chmod(data_dir / name, 0o600)
