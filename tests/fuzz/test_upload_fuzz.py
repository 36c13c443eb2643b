"""Upload fuzzing: truncated, corrupted, spliced, mislabelled, polyglot and oversized
media. Every answer is a 201 for a clip that really plays, or a 4xx with a message;
never a 5xx, and a refused upload leaves nothing behind (no take, no stored or spooled
file). LEAGUE_FUZZ_UPLOADS sets how many mutated clips (120 by default),
LEAGUE_FUZZ_SEED replays a run."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import av

from league.accounts.models import Membership
from league.clips.models import Take
from league.clips.probe import sniff_container
from league.clips.storage import LocalStorage
from league.playbook.models import Drill
from tests.clips import media
from tests.clips.conftest import drill, settings, spooled_files, storage, upload
from tests.conftest import ClientFactory

__all__ = ["drill", "settings", "storage"]  # the clips fixtures (1 MB cap)
COUNT = int(os.environ.get("LEAGUE_FUZZ_UPLOADS", "120"))
SEED = int(os.environ.get("LEAGUE_FUZZ_SEED", str(random.randrange(1 << 30))))
LABELS = ["audio/webm", "audio/mp4", "video/mp4", "video/webm", "image/png", "text/plain", ""]
PREFIXES = [
    media.PNG_BYTES,
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    b"<html><script>alert(1)</script></html>\n",
    b"PK\x03\x04" + bytes(26),
    b"ID3\x04\x00\x00\x00\x00\x00\x00",
]


def base_clips() -> list[bytes]:
    return [media.webm_opus(2), media.mp4_aac(2), media.webm_vp8_opus(1), media.mp4_h264_aac(1)]


def mutations(rng: random.Random) -> list[Callable[[bytes], bytes]]:
    def truncate(clip: bytes) -> bytes:
        return clip[: rng.randrange(len(clip))]

    def flip(clip: bytes) -> bytes:
        damaged = bytearray(clip)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        return bytes(damaged)

    def splice(clip: bytes) -> bytes:
        start = rng.randrange(len(clip))
        return clip[:start] + clip[start + rng.randint(1, 4000) :]

    def repeat(clip: bytes) -> bytes:
        start = rng.randrange(len(clip))
        return clip[:start] + clip[start : start + rng.randint(1, 4000)] * 2 + clip[start:]

    def prefix(clip: bytes) -> bytes:
        return rng.choice(PREFIXES) + clip

    def suffix(clip: bytes) -> bytes:
        return clip + rng.choice(PREFIXES) * rng.randint(1, 50)

    def swap_header(clip: bytes) -> bytes:
        other = media.mp4_aac(1) if clip[:4] == b"\x1a\x45\xdf\xa3" else media.webm_opus(1)
        return other[:64] + clip[64:]

    return [truncate, flip, splice, repeat, prefix, suffix, swap_header]


def plays_to_the_end(path: Path) -> bool:
    """Every audio packet of the kept clip decodes, as a player would need."""
    with av.open(str(path)) as clip:
        frames = sum(len(packet.decode()) for packet in clip.demux(audio=0))
    return frames > 0


def stored_files(storage: LocalStorage) -> set[Path]:
    return {
        path for path in storage.root.rglob("*") if path.is_file() and ".incoming" not in path.parts
    }


async def test_mangled_uploads_get_a_4xx_or_a_whole_clip(
    make_client: ClientFactory, rep: Membership, drill: Drill, storage: LocalStorage
) -> None:
    rng = random.Random(SEED)
    clips, changes = base_clips(), mutations(rng)
    client = await make_client(rep)
    outcomes: dict[int, int] = {}
    for number in range(COUNT):
        body = rng.choice(changes)(rng.choice(clips))
        label = rng.choice(LABELS)
        before_takes, before_files = await Take.all().count(), stored_files(storage)
        response = await upload(client, drill, body, label)
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
        context = f"seed {SEED}, case {number}: {response.status_code} {response.text[:200]}"
        assert response.status_code < 500, context
        assert spooled_files(storage) == [], context
        if response.status_code == 201:
            take = await Take.get(id=response.json()["take_id"])
            path = storage.path_for(take.storage_key)
            assert stored_files(storage) == before_files | {path}, context
            assert sniff_container(path.read_bytes()[:12]) is not None, context
            assert plays_to_the_end(path), f"kept a clip that does not play: {context}"
        else:
            assert 400 <= response.status_code < 500, context
            assert response.json()["error"], context
            assert await Take.all().count() == before_takes, context
            assert stored_files(storage) == before_files, context
    print(f"upload fuzzing (seed {SEED}): {COUNT} clips -> {dict(sorted(outcomes.items()))}")


async def test_an_oversized_polyglot_is_refused_and_leaves_nothing(
    make_client: ClientFactory, rep: Membership, drill: Drill, storage: LocalStorage
) -> None:
    client = await make_client(rep)
    body = media.PNG_BYTES + media.padded_mp4(2)
    response = await upload(client, drill, body, "audio/mp4")
    assert response.status_code in (413, 415)
    assert response.json()["error"]
    assert await Take.all().count() == 0
    assert stored_files(storage) == set() and spooled_files(storage) == []
