"""An upload costs no more than its limits, whatever the file or the request claims."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator

import pytest

from league.accounts.models import Membership
from league.clips import probe
from league.clips.models import Take
from league.clips.storage import LocalStorage
from league.playbook.models import Drill
from tests.clips import media
from tests.clips.conftest import CAP_MEGABYTES, spooled_files
from tests.conftest import ClientFactory

DURATION_ELEMENT = b"\x44\x89"


def claiming_duration(clip: bytes, seconds: int) -> bytes:
    """A WebM whose Duration element says it lasts `seconds`, whatever its packets hold."""
    at = clip.index(DURATION_ELEMENT)
    assert clip[at + 2] == 0x88, "an 8-byte float, in milliseconds (the default scale)"
    return clip[: at + 3] + struct.pack(">d", seconds * 1000.0) + clip[at + 11 :]


async def test_a_clip_claiming_an_hour_is_refused_without_decoding(
    make_client: ClientFactory,
    rep: Membership,
    drill: Drill,
    storage: LocalStorage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_decoding(*args: object) -> float:
        raise AssertionError("the clip was decoded")

    monkeypatch.setattr(probe, "read_last_packet_end", no_decoding)
    client = await make_client(rep)
    clip = claiming_duration(media.webm_opus(2), 3600)
    response = await client.post(
        f"/drills/{drill.id}/takes", content=clip, headers={"Content-Type": "audio/webm"}
    )
    assert response.status_code == 422
    assert "60:00 long; the drill's limit is 0:30" in response.json()["error"]
    assert await Take.all().count() == 0
    assert spooled_files(storage) == []


async def test_reading_a_clip_without_a_duration_stops_at_the_limit(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    clip = media.streamed_webm_opus(45)  # no duration in the header, as phones record
    response = await client.post(
        f"/drills/{drill.id}/takes", content=clip, headers={"Content-Type": "audio/webm"}
    )
    assert response.status_code == 422
    assert "too long; the drill's limit is 0:30" in response.json()["error"]


async def chunks(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        yield b"\x1a\x45\xdf\xa3" + bytes(size - 4)
        sent += size


async def test_a_streamed_clip_is_cut_off_at_the_cap_with_nothing_kept(
    make_client: ClientFactory, rep: Membership, drill: Drill, storage: LocalStorage
) -> None:
    client = await make_client(rep)
    # No Content-Length: the cap must hold while the body streams in.
    response = await client.post(
        f"/drills/{drill.id}/takes",
        content=chunks(3 * CAP_MEGABYTES * 1024 * 1024),
        headers={"Content-Type": "audio/webm"},
    )
    assert response.status_code == 413
    assert f"bigger than the {CAP_MEGABYTES} MB limit" in response.json()["error"]
    assert spooled_files(storage) == []
    assert [path for path in storage.root.rglob("*") if path.is_file()] == []
