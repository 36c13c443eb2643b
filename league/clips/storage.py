"""Where clips live. One small interface: the local disk, or S3 (league/clips/s3_storage.py).

Keys are relative paths such as `takes/3/17/9f0c….webm`. Uploads are spooled to a local
file first (so they can be probed); `save` then moves that finished file under its key in
one step, so a reader never sees half a clip.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from league.settings import Settings, SettingsError

READ_CHUNK_BYTES = 64 * 1024


class StorageError(Exception):
    """The storage is misconfigured or a key is unusable (a programming or set-up error)."""


class ObjectMissing(StorageError):
    """No object is stored under that key."""


class Storage(Protocol):
    def spool_dir(self) -> Path:
        """A local directory for uploads in progress, on the same disk as the store if any."""
        ...

    async def save(self, key: str, source: Path) -> None:
        """Move the finished local file `source` into the store under `key`, atomically."""
        ...

    def open_range(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes `start` to `end` inclusive, in chunks."""
        ...

    async def size(self, key: str) -> int:
        """Bytes stored under `key`; raises ObjectMissing if there is nothing."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""
        ...


class LocalStorage:
    """Clips as files under `root`, which is normally `<data dir>/media`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def spool_dir(self) -> Path:
        # Inside the root, so moving a finished upload into place is a rename, not a copy.
        path = self.root / ".incoming"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def path_for(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key))

    async def save(self, key: str, source: Path) -> None:
        await asyncio.to_thread(self.move_into_place, source, self.path_for(key))

    def move_into_place(self, source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError:
            # Another disk: copy next to the target first, then rename, so the move stays atomic.
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".saving-")
            with os.fdopen(fd, "wb") as copy, source.open("rb") as original:
                shutil.copyfileobj(original, copy, READ_CHUNK_BYTES)
                copy.flush()
                os.fsync(copy.fileno())
            os.replace(temporary, target)
            source.unlink()

    async def open_range(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        path = self.path_for(key)
        handle = await asyncio.to_thread(path.open, "rb")
        try:
            await asyncio.to_thread(handle.seek, start)
            remaining = end - start + 1
            while remaining > 0:
                chunk = await asyncio.to_thread(handle.read, min(READ_CHUNK_BYTES, remaining))
                if not chunk:
                    return
                remaining -= len(chunk)
                yield chunk
        finally:
            handle.close()

    async def size(self, key: str) -> int:
        try:
            stat = await asyncio.to_thread(self.path_for(key).stat)
        except FileNotFoundError:
            raise ObjectMissing(key) from None
        return stat.st_size

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path_for(key).is_file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path_for(key).unlink, missing_ok=True)


def check_key(key: str) -> tuple[str, ...]:
    """The parts of a usable key: relative, no `..`, nothing hidden at the top."""
    parts = Path(key).parts
    if not parts or Path(key).is_absolute() or ".." in parts or parts[0].startswith("."):
        raise StorageError(f"unusable storage key {key!r}")
    return parts


def open_storage(settings: Settings) -> Storage:
    """The storage named by settings.media_url: file:///path or s3://bucket?endpoint=…"""
    url = urlsplit(settings.media_url)
    if url.scheme == "file":
        return LocalStorage(Path(unquote(url.path)))
    if url.scheme == "s3":
        try:
            from league.clips.s3_storage import open_s3_storage
        except ImportError:
            raise SettingsError(
                "LEAGUE_MEDIA_URL is s3:// but boto3 is missing: pip install 'league[s3]'"
            ) from None
        return open_s3_storage(settings)
    raise SettingsError(
        f"LEAGUE_MEDIA_URL must start with file:// or s3:// (got {settings.media_url!r})"
    )
