from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from league.clips.storage import LocalStorage, ObjectMissing, StorageError, open_storage
from league.settings import Settings, SettingsError


async def read_all(storage: LocalStorage, key: str, start: int, end: int) -> bytes:
    return b"".join([chunk async for chunk in storage.open_range(key, start, end)])


def spooled(storage: LocalStorage, data: bytes) -> Path:
    path = storage.spool_dir() / "upload.part"
    path.write_bytes(data)
    return path


async def test_it_moves_a_finished_file_into_place(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")
    source = spooled(storage, b"0123456789" * 10_000)
    await storage.save("takes/1/2/clip.webm", source)
    assert not source.exists()
    assert await storage.exists("takes/1/2/clip.webm")
    assert await storage.size("takes/1/2/clip.webm") == 100_000


async def test_it_copies_then_renames_across_disks(tmp_path: Path) -> None:
    # A source outside the root (another directory standing in for another disk) still ends
    # up whole under its key.
    storage = LocalStorage(tmp_path / "media")
    source = tmp_path / "elsewhere.part"
    source.write_bytes(b"clip")
    storage.move_into_place(source, storage.path_for("takes/x.webm"))
    assert await read_all(storage, "takes/x.webm", 0, 3) == b"clip"


async def test_it_reads_byte_ranges_across_chunks(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    data = bytes(range(256)) * 1000
    await storage.save("a/b.mp4", spooled(storage, data))
    assert await read_all(storage, "a/b.mp4", 0, len(data) - 1) == data
    assert await read_all(storage, "a/b.mp4", 70_000, 200_000) == data[70_000:200_001]


async def test_it_deletes_and_tolerates_missing_keys(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    await storage.save("a/b.webm", spooled(storage, b"x"))
    await storage.delete("a/b.webm")
    await storage.delete("a/b.webm")
    assert not await storage.exists("a/b.webm")
    with pytest.raises(ObjectMissing):
        await storage.size("a/b.webm")


@pytest.mark.parametrize("key", ["../escape.webm", "/etc/passwd", ".incoming/x", ""])
def test_it_refuses_keys_outside_the_store(tmp_path: Path, key: str) -> None:
    with pytest.raises(StorageError):
        LocalStorage(tmp_path).path_for(key)


def test_it_opens_local_storage_from_the_media_url(tmp_path: Path) -> None:
    storage = open_storage(Settings(data_dir=tmp_path))
    assert isinstance(storage, LocalStorage)
    assert storage.root == (tmp_path / "media").resolve()


def test_it_refuses_an_unknown_scheme(tmp_path: Path) -> None:
    settings = replace(Settings(data_dir=tmp_path), media_url="ftp://host/clips")
    with pytest.raises(SettingsError, match="LEAGUE_MEDIA_URL"):
        open_storage(settings)
