from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import av
import httpx
import pytest

from league.accounts.models import Membership
from league.clips import remux
from league.clips.models import Take
from league.clips.probe import sniff_container
from league.clips.storage import LocalStorage
from league.playbook.models import Drill
from league.seasons.models import Round
from tests.clips import media
from tests.clips.conftest import CAP_MEGABYTES, make_drill, spooled_files, upload
from tests.conftest import ClientFactory

CUES_ELEMENT_ID = b"\x1c\x53\xbb\x6b"  # Matroska's seek index

FORMATS: list[tuple[str, Callable[[], bytes], str, str, bool]] = [
    ("chromium audio", media.webm_opus, "audio/webm;codecs=opus", "opus", False),
    ("mediarecorder stream", media.streamed_webm_opus, "audio/webm", "opus", False),
    ("safari audio", media.mp4_aac, "audio/mp4", "aac", False),
    ("safari audio in slices", media.fragmented_mp4_aac, "audio/mp4", "aac", False),
    ("safari video", media.mp4_h264_aac, "video/mp4", "h264,aac", True),
    ("chromium video", media.webm_vp8_opus, "video/webm", "vp8,opus", True),
]


@pytest.mark.parametrize(("label", "make", "declared", "codecs", "video"), FORMATS)
async def test_it_stores_each_format_phones_record(
    make_client: ClientFactory,
    rep: Membership,
    drill: Drill,
    open_round: Round,
    storage: LocalStorage,
    label: str,
    make: Callable[[], bytes],
    declared: str,
    codecs: str,
    video: bool,
) -> None:
    client = await make_client(rep)
    clip = make()
    response = await upload(client, drill, clip, declared)
    assert response.status_code == 201, response.text
    body = response.json()
    take = await Take.get(id=body["take_id"])
    assert body["media_url"] == f"/clips/{take.id}/media"
    assert take.member_id == rep.id and take.drill_id == drill.id  # type: ignore[attr-defined]
    assert take.round_id == open_round.id  # type: ignore[attr-defined]
    assert take.content_type == declared.split(";")[0]
    assert take.codecs == codecs
    assert take.has_video is video
    assert 1.9 <= take.duration_seconds <= 2.2
    stored = storage.root / take.storage_key
    assert take.size_bytes == stored.stat().st_size
    assert sniff_container(stored.read_bytes()[:12]) == take.storage_key.rsplit(".", 1)[1]
    if take.storage_key.endswith(".mp4"):
        assert stored.read_bytes() == clip  # Safari's MP4 is kept exactly as sent
    assert spooled_files(storage) == []


def read_webm(data: bytes) -> tuple[float | None, int]:
    """A WebM's declared duration in seconds (None if it has none) and its packet count."""
    with av.open(io.BytesIO(data), mode="r") as clip:
        duration = clip.duration / av.time_base if clip.duration else None
        packets = len([packet for packet in clip.demux() if packet.dts is not None])
    return duration, packets


async def test_it_gives_a_streamed_webm_its_duration_and_seek_index(
    make_client: ClientFactory, rep: Membership, drill: Drill, storage: LocalStorage
) -> None:
    client = await make_client(rep)
    clip = media.streamed_webm_opus(3)
    sent_duration, sent_packets = read_webm(clip)
    assert sent_duration is None  # as MediaRecorder sends it: players can't seek
    response = await upload(client, drill, clip, "audio/webm")
    assert response.status_code == 201
    take = await Take.get(id=response.json()["take_id"])
    kept = (storage.root / take.storage_key).read_bytes()
    assert CUES_ELEMENT_ID in kept
    kept_duration, kept_packets = read_webm(kept)
    assert kept_duration is not None and 2.9 <= kept_duration <= 3.1
    assert kept_packets == sent_packets  # copied, not re-encoded
    assert spooled_files(storage) == []


async def test_it_keeps_a_webm_as_sent_when_it_cannot_be_indexed(
    make_client: ClientFactory,
    rep: Membership,
    drill: Drill,
    storage: LocalStorage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stands in for an FFmpeg failure that a valid clip does not produce on demand.
    def fail(source: Path, target: Path) -> None:
        target.write_bytes(b"half a copy")
        raise av.FFmpegError(0, "muxer failed")

    monkeypatch.setattr(remux, "copy_packets", fail)
    client = await make_client(rep)
    clip = media.streamed_webm_opus()
    response = await upload(client, drill, clip, "audio/webm")
    assert response.status_code == 201
    take = await Take.get(id=response.json()["take_id"])
    assert (storage.root / take.storage_key).read_bytes() == clip
    assert spooled_files(storage) == []


async def test_it_trusts_the_bytes_not_the_declared_type(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    response = await upload(client, drill, media.mp4_aac(), "audio/webm")
    assert response.status_code == 201
    take = await Take.get(id=response.json()["take_id"])
    assert take.content_type == "audio/mp4"


async def test_it_keeps_takes_without_an_open_round(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    response = await upload(client, drill, media.webm_opus())
    assert response.status_code == 201
    take = await Take.get(id=response.json()["take_id"])
    assert take.round_id is None  # type: ignore[attr-defined]


BAD_INPUTS: list[tuple[str, Callable[[], bytes], int, str]] = [
    ("empty", lambda: b"", 400, "The recording is empty"),
    ("png image", lambda: media.PNG_BYTES, 415, "isn't an audio or video recording"),
    ("text file", lambda: media.TEXT_BYTES, 415, "isn't an audio or video recording"),
    ("truncated webm", lambda: media.truncated(media.webm_opus()), 422, "cut off part-way"),
    ("truncated mp4", lambda: media.truncated(media.mp4_aac()), 422, "damaged or incomplete"),
    ("corrupted webm", lambda: media.corrupted(media.webm_opus()), 422, "cut off part-way"),
    ("corrupted mp4", lambda: media.corrupted(media.mp4_aac()), 422, "damaged or incomplete"),
    ("header only", lambda: media.webm_opus()[:64], 422, "damaged or incomplete"),
    ("no sound track", media.silent_video_mp4, 422, "has no sound"),
    ("too long", lambda: media.webm_opus(35), 422, "0:35 long; the drill's limit is 0:30"),
]


@pytest.mark.parametrize(("label", "make", "status", "message"), BAD_INPUTS)
async def test_it_refuses_bad_input_with_a_clear_message(
    make_client: ClientFactory,
    rep: Membership,
    drill: Drill,
    storage: LocalStorage,
    label: str,
    make: Callable[[], bytes],
    status: int,
    message: str,
) -> None:
    client = await make_client(rep)
    response = await upload(client, drill, make())
    assert response.status_code == status, response.text
    assert message in response.json()["error"]
    assert await Take.all().count() == 0
    assert spooled_files(storage) == []


async def test_it_allows_a_little_grace_over_the_limit(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    response = await upload(client, drill, media.webm_opus(32))
    assert response.status_code == 201


async def test_it_refuses_a_body_over_the_cap_while_streaming(
    make_client: ClientFactory, rep: Membership, drill: Drill, storage: LocalStorage
) -> None:
    client = await make_client(rep)
    sent: list[int] = []

    async def endless_clip() -> AsyncIterator[bytes]:
        # No Content-Length: the server only finds out by counting.
        yield media.webm_opus()
        for _ in range(CAP_MEGABYTES * 40):
            sent.append(1)
            yield bytes(64 * 1024)

    response = await client.post(
        f"/drills/{drill.id}/takes",
        content=endless_clip(),
        headers={"Content-Type": "audio/webm"},
    )
    assert response.status_code == 413
    assert f"bigger than the {CAP_MEGABYTES} MB limit" in response.json()["error"]
    # It stopped reading just past the cap, not at the end of the body.
    assert len(sent) == CAP_MEGABYTES * 16
    assert spooled_files(storage) == []
    assert await Take.all().count() == 0


async def test_it_refuses_a_declared_length_over_the_cap_before_reading(
    make_client: ClientFactory, rep: Membership, drill: Drill, storage: LocalStorage
) -> None:
    client = await make_client(rep)
    too_big = bytes(CAP_MEGABYTES * 1024 * 1024 + 1)
    response = await upload(client, drill, too_big)
    assert response.status_code == 413
    assert spooled_files(storage) == []


async def test_a_retried_upload_returns_the_first_take(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    clip = media.webm_opus()
    first = await upload(client, drill, clip, upload_key="take-2f6c1e0a")
    again = await upload(client, drill, clip, upload_key="take-2f6c1e0a")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["take_id"] == first.json()["take_id"]
    assert await Take.all().count() == 1


async def test_it_refuses_a_malformed_upload_key(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    response = await upload(client, drill, media.webm_opus(), upload_key="../../etc")
    assert response.status_code == 400
    assert "upload key" in response.json()["error"]


async def test_it_needs_the_csrf_header(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    del client.headers["X-CSRF-Token"]
    response = await upload(client, drill, media.webm_opus())
    assert response.status_code == 403
    assert await Take.all().count() == 0


async def test_it_sends_logged_out_people_to_sign_in(
    client: httpx.AsyncClient, drill: Drill
) -> None:
    response = await upload(client, drill, media.webm_opus())
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_hides_another_organisations_drill(
    make_client: ClientFactory, outsider: Membership, drill: Drill
) -> None:
    client = await make_client(outsider)
    response = await upload(client, drill, media.webm_opus())
    assert response.status_code == 404


async def test_it_hides_another_teams_drill_in_the_same_organisation(
    make_client: ClientFactory, rep: Membership
) -> None:
    from tests import factories

    other_team = await factories.make_team(rep.organisation, "Enterprise")  # type: ignore[arg-type]
    other_drill = await make_drill(other_team)
    client = await make_client(rep)
    response = await upload(client, other_drill, media.webm_opus())
    assert response.status_code == 404


async def test_it_rejects_the_wrong_method(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    response = await client.put(f"/drills/{drill.id}/takes", content=media.webm_opus())
    assert response.status_code == 405
