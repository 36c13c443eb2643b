"""Clips in S3-compatible storage: a real SeaweedFS, through the store and through the app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from uuid import uuid4

import pytest
from boto3.exceptions import S3UploadFailedError
from starlette.applications import Starlette

from league.accounts.models import Membership
from league.clips.models import Take
from league.clips.s3_storage import MULTIPART_THRESHOLD_BYTES, S3Storage, open_s3_storage
from league.clips.storage import ObjectMissing, StorageError
from league.settings import Settings
from tests.clips import media
from tests.clips.conftest import drill, open_round, upload  # noqa: F401 - shared fixtures
from tests.conftest import ClientFactory
from tests.scale.services import SeaweedServer


@pytest.fixture
def bucket(s3_bucket: str) -> str:
    return s3_bucket


@pytest.fixture
def settings(settings: Settings, seaweed_server: SeaweedServer, bucket: str) -> Settings:
    prefix = f"test-{uuid4().hex[:12]}"
    return replace(
        settings,
        media_url=f"s3://{bucket}/{prefix}?endpoint={seaweed_server.endpoint}&region=us-east-1",
        s3_access_key=seaweed_server.access_key,
        s3_secret_key=seaweed_server.secret_key,
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[S3Storage]:
    yield open_s3_storage(settings)


def spooled(store: S3Storage, data: bytes) -> Path:
    path = store.spool_dir() / f"{uuid4().hex}.part"
    path.write_bytes(data)
    return path


async def read_all(store: S3Storage, key: str, start: int, end: int) -> bytes:
    return b"".join([chunk async for chunk in store.open_range(key, start, end)])


async def test_it_stores_reads_ranges_and_deletes(store: S3Storage) -> None:
    data = bytes(range(256)) * 1000
    source = spooled(store, data)

    await store.save("takes/1/2/clip.webm", source)

    assert not source.exists()
    assert await store.size("takes/1/2/clip.webm") == len(data)
    assert await read_all(store, "takes/1/2/clip.webm", 70_000, 200_000) == data[70_000:200_001]
    await store.delete("takes/1/2/clip.webm")
    await store.delete("takes/1/2/clip.webm")
    assert not await store.exists("takes/1/2/clip.webm")
    with pytest.raises(ObjectMissing):
        await store.size("takes/1/2/clip.webm")


async def test_a_large_clip_goes_up_in_parts(store: S3Storage) -> None:
    data = os.urandom(2 * MULTIPART_THRESHOLD_BYTES + 12_345)
    await store.save("takes/big.mp4", spooled(store, data))

    head = store.client.head_object(Bucket=store.bucket, Key=store.object_key("takes/big.mp4"))
    assert head["ETag"].strip('"').endswith("-3")  # S3 marks a multipart object "-<parts>"
    assert await read_all(store, "takes/big.mp4", 0, len(data) - 1) == data


async def test_it_keeps_keys_under_the_url_prefix(
    settings: Settings, seaweed_server: SeaweedServer, bucket: str
) -> None:
    url = f"s3://{bucket}/league/media?endpoint={seaweed_server.endpoint}"
    store = open_s3_storage(replace(settings, media_url=url))
    await store.save("a/b.webm", spooled(store, b"clip"))
    listed = store.client.list_objects_v2(Bucket=bucket, Prefix="league/")["Contents"]
    assert [item["Key"] for item in listed] == ["league/media/a/b.webm"]


@pytest.mark.parametrize("key", ["../escape.webm", "/etc/passwd", ".incoming/x", ""])
def test_it_refuses_unusable_keys(store: S3Storage, key: str) -> None:
    with pytest.raises(StorageError):
        store.object_key(key)


async def test_wrong_keys_are_refused_by_the_store(settings: Settings) -> None:
    store = open_s3_storage(replace(settings, s3_secret_key="not-the-secret"))
    with pytest.raises(S3UploadFailedError, match="SignatureDoesNotMatch"):
        await store.save("a/b.webm", spooled(store, b"clip"))


async def test_an_upload_is_validated_stored_in_s3_and_played_back(
    app: Starlette,
    make_client: ClientFactory,
    rep: Membership,
    drill: object,  # noqa: F811 - the shared fixture
    open_round: object,  # noqa: F811 - the shared fixture
) -> None:
    client = await make_client(rep)
    clip = media.webm_opus()

    response = await upload(client, drill, clip)  # type: ignore[arg-type]
    assert response.status_code == 201, response.text
    take = await Take.get(id=response.json()["take_id"])
    store = app.state.storage
    assert isinstance(store, S3Storage)
    assert await store.size(take.storage_key) == take.size_bytes
    assert list(store.spool_dir().iterdir()) == []

    whole = await client.get(f"/clips/{take.id}/media")
    assert whole.status_code == 200
    assert whole.content == (await read_all(store, take.storage_key, 0, take.size_bytes - 1))
    part = await client.get(f"/clips/{take.id}/media", headers={"Range": "bytes=4-99"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 4-99/{take.size_bytes}"
    assert part.content == whole.content[4:100]


async def test_a_bad_upload_is_refused_and_nothing_reaches_the_store(
    app: Starlette,
    make_client: ClientFactory,
    rep: Membership,
    drill: object,  # noqa: F811 - the shared fixture
    open_round: object,  # noqa: F811 - the shared fixture
) -> None:
    client = await make_client(rep)
    response = await upload(client, drill, b"this is not a recording")  # type: ignore[arg-type]
    assert response.status_code == 415  # not a recording: the same check as local storage
    store = app.state.storage
    listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=store.prefix)
    assert listed.get("KeyCount", 0) == 0
