"""A member downloads everything the league holds about them as one zip."""

from __future__ import annotations

import io
import json
import zipfile

from league.accounts.models import Membership
from league.clips.models import Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from league.delivery.models import AnalysisStatus, TakeAnalysis
from league.privacy.export import stream_member_archive
from tests.conftest import ClientFactory
from tests.privacy.conftest import clip_bytes, store_clip
from tests.reviews.conftest import League


async def download(make_client: ClientFactory, member: Membership) -> zipfile.ZipFile:
    client = await make_client(member)
    response = await client.get("/me/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


async def test_it_holds_clips_reviews_and_points(
    played: League, make_client: ClientFactory
) -> None:
    rep = played.reps[0]
    archive = await download(make_client, rep)
    profile = json.loads(archive.read("profile.json"))
    assert profile["email"] == rep.user.email
    take = await Take.get(member_id=rep.id)
    assert archive.read(f"clips/take-{take.id}.webm") == clip_bytes(take.id)
    written = json.loads(archive.read("reviews_written.json"))
    received = json.loads(archive.read("reviews_received.json"))
    assert written and all(review["kudos"] for review in written)
    assert len(received) >= 1 and all("reviewer" not in review for review in received)
    points = json.loads(archive.read("points.json"))
    assert points["rounds"][0]["total"] > 0
    assert points["seasons"][0]["rank"] >= 1
    assert json.loads(archive.read("sales_metrics.json")) == []


async def test_it_holds_nobody_elses_clips(played: League, make_client: ClientFactory) -> None:
    rep, teammate = played.reps[0], played.reps[1]
    archive = await download(make_client, rep)
    other = await Take.get(member_id=teammate.id)
    assert f"clips/take-{other.id}.webm" not in archive.namelist()
    assert teammate.user.email.encode() not in b"".join(
        archive.read(name) for name in archive.namelist() if name.endswith(".json")
    )


async def test_it_streams_big_clips_in_small_chunks(played: League, storage: LocalStorage) -> None:
    rep = played.reps[0]
    take = await Take.get(member_id=rep.id)
    big = bytes(range(256)) * (12 * 1024)  # 3 MiB
    await store_clip(storage, take.storage_key, big)
    chunks = [chunk async for chunk in stream_member_archive(storage, rep)]
    assert max(len(chunk) for chunk in chunks) <= 256 * 1024
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.read(f"clips/take-{take.id}.webm") == big
    assert archive.testzip() is None


async def test_it_asks_to_sign_in(client: object, played: League) -> None:
    response = await client.get("/me/export")  # type: ignore[attr-defined]
    assert response.status_code in (303, 401)
    assert response.headers.get("content-type") != "application/zip"


async def analyse(take: Take, heard: list[bool], clock: FrozenClock) -> None:
    """A finished delivery analysis of `take`, as the analysis pool saves one."""
    texts = ["flat price per team", "onboarding included", "no consultants"]
    await TakeAnalysis.create(
        take=take,
        team_id=take.team_id,  # type: ignore[attr-defined]
        member_id=take.member_id,  # type: ignore[attr-defined]
        status=AnalysisStatus.DONE,
        words=24,
        speaking_seconds=9.0,
        words_per_minute=160.0,
        pauses=[[3.2, 1.5]],
        key_points=[
            {"text": t, "heard": h, "score": 0.5} for t, h in zip(texts, heard, strict=True)
        ],
        transcript="you pay one flat price per team",
        created_at=clock.now(),
        finished_at=clock.now(),
    )


async def test_it_holds_their_delivery_feedback_and_marked_misses(
    played: League, make_client: ClientFactory, clock: FrozenClock
) -> None:
    rep, teammate = played.reps[0], played.reps[1]
    take = await Take.get(member_id=rep.id)
    await analyse(take, [True, False, False], clock)
    await analyse(await Take.get(member_id=teammate.id), [False, False, False], clock)
    client = await make_client(rep)
    marked = await client.post(f"/takes/{take.id}/feedback/2/wrong")
    assert marked.status_code == 200

    feedback = json.loads((await download(make_client, rep)).read("delivery_feedback.json"))

    assert len(feedback) == 1  # the teammate's feedback is theirs alone
    [mine] = feedback
    assert mine["take_id"] == take.id
    assert mine["words_per_minute"] == 160.0
    assert mine["long_pauses"] == [{"start_seconds": 3.2, "length_seconds": 1.5}]
    assert [(p["text"], p["result"]) for p in mine["key_points"]] == [
        ("flat price per team", "heard"),
        ("onboarding included", "not sure"),
        ("no consultants", "not sure"),
    ]
    marked_at = [p["marked_as_said_at"] for p in mine["key_points"]]
    assert marked_at[:2] == [None, None] and marked_at[2] is not None
    assert mine["heard_words"] == "you pay one flat price per team"
