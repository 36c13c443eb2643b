"""`league backup` while reps upload, then `league restore` into a fresh data folder:
every take stored before the backup started comes back with its exact clip."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.clips import media
from tests.reliability.harness import (
    ServerProcess,
    demo_server,
    open_drill_ids,
    signed_in_client,
)

REP = "rep1@demo.test"


@dataclass
class Uploads:
    """Takes uploaded by a writer thread: (take id, finished at) for each 201."""

    done: list[tuple[int, float]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def finished_before(self, moment: float) -> set[int]:
        return {take_id for take_id, finished in self.done if finished < moment}


def keep_uploading(server: ServerProcess, uploads: Uploads) -> None:
    try:
        upload_until_stopped(server, uploads)
    except Exception as error:  # noqa: BLE001 - handed to the test, which fails on it
        uploads.errors.append(error)
        uploads.stop.set()


def upload_until_stopped(server: ServerProcess, uploads: Uploads) -> None:
    clip = media.webm_opus(1)
    with signed_in_client(server, REP, timeout=30) as client:
        path = f"/drills/{open_drill_ids(server)[0]}/takes"
        while not uploads.stop.is_set():
            response = client.post(
                path,
                content=clip,
                headers={"Content-Type": "audio/webm", "X-Upload-Key": uuid.uuid4().hex},
            )
            if response.status_code == 201:
                uploads.done.append((response.json()["take_id"], time.monotonic()))
            else:
                uploads.failures.append(response.status_code)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    running = demo_server(tmp_path / "live")
    yield running
    running.stop()


def wait_for(uploads: Uploads, count: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while len(uploads.done) < count:
        assert not uploads.errors, uploads.errors
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_backup_taken_during_uploads_restores_every_earlier_take(
    server: ServerProcess, tmp_path: Path
) -> None:
    uploads = Uploads()
    writer = threading.Thread(target=keep_uploading, args=(server, uploads))
    writer.start()
    try:
        wait_for(uploads, 3)
        started = time.monotonic()
        backed_up = server.league("backup", str(tmp_path / "backup"))
        count_at_end = len(uploads.done)
        wait_for(uploads, count_at_end + 3)  # writes go on after it
    finally:
        uploads.stop.set()
        writer.join(timeout=60)
    assert "Backed up" in backed_up.stdout
    assert uploads.failures == []
    server.stop()

    restored = ServerProcess(tmp_path / "restored")
    result = restored.league("restore", str(tmp_path / "backup"))
    assert "Restored" in result.stdout
    restored.start()
    try:
        takes = {
            int(take_id): key for take_id, key in restored.query("SELECT id, storage_key FROM take")
        }
        assert uploads.finished_before(started) <= set(takes)
        assert set(takes) <= {take_id for take_id, _ in uploads.done}
        for key in takes.values():
            original = server.data_dir / "media" / key
            assert (restored.data_dir / "media" / key).read_bytes() == original.read_bytes()
        assert restored.query("PRAGMA integrity_check") == [("ok",)]
        # The session key came back too: the rep's browser is still signed in.
        with signed_in_client(restored, REP) as client:
            some_take = next(iter(takes))
            assert client.get(f"/clips/{some_take}/media").status_code in (200, 206)
    finally:
        restored.stop()


def test_restore_refuses_to_overwrite_without_force(server: ServerProcess, tmp_path: Path) -> None:
    server.league("backup", str(tmp_path / "backup"))
    refused = server.league("restore", str(tmp_path / "backup"), check=False)
    assert refused.returncode == 1
    assert "--force" in refused.stderr


def test_backup_refuses_a_folder_that_is_not_empty(server: ServerProcess, tmp_path: Path) -> None:
    target = tmp_path / "used"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    refused = server.league("backup", str(target), check=False)
    assert refused.returncode == 1
    assert "not empty" in refused.stderr
    assert (target / "notes.txt").read_text() == "mine"
