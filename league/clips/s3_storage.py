"""Clips in S3-compatible object storage (LEAGUE_MEDIA_URL=s3://bucket/prefix?endpoint=…).

The client is boto3, the reference S3 client: its transfer manager uploads large clips in
parts (multipart above MULTIPART_THRESHOLD_BYTES) and retries failed parts. It is
synchronous, so every call runs in a worker thread and the event loop never waits on S3;
aiobotocore would add aiohttp and pin exact botocore versions for no gain at clip sizes.

Uploads are still spooled and probed on the local disk first (the same validation as local
storage); only a finished, valid clip is sent, and an S3 object appears whole or not at
all, so a reader never sees half a clip. Playback reads byte ranges through the app, so
permission checks stay in one place and the store need not be reachable from phones.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from league.clips.storage import READ_CHUNK_BYTES, ObjectMissing, check_key
from league.settings import Settings, SettingsError

MULTIPART_THRESHOLD_BYTES = 8 * 1024 * 1024
MAX_CONNECTIONS = 50
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    def __init__(self, client: Any, bucket: str, prefix: str, spool: Path) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.spool = spool
        self.transfer = TransferConfig(
            multipart_threshold=MULTIPART_THRESHOLD_BYTES,
            multipart_chunksize=MULTIPART_THRESHOLD_BYTES,
        )

    def spool_dir(self) -> Path:
        self.spool.mkdir(parents=True, exist_ok=True)
        return self.spool

    def object_key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}{key}"

    async def save(self, key: str, source: Path) -> None:
        object_key = self.object_key(key)
        await asyncio.to_thread(
            self.client.upload_file, str(source), self.bucket, object_key, Config=self.transfer
        )
        await asyncio.to_thread(source.unlink)

    async def open_range(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        response = await asyncio.to_thread(
            self.client.get_object,
            Bucket=self.bucket,
            Key=self.object_key(key),
            Range=f"bytes={start}-{end}",
        )
        body = response["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, READ_CHUNK_BYTES):
                yield chunk
        finally:
            body.close()

    async def size(self, key: str) -> int:
        try:
            head = await asyncio.to_thread(
                self.client.head_object, Bucket=self.bucket, Key=self.object_key(key)
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING_CODES:
                raise ObjectMissing(key) from None
            raise
        return int(head["ContentLength"])

    async def exists(self, key: str) -> bool:
        try:
            await self.size(key)
        except ObjectMissing:
            return False
        return True

    async def delete(self, key: str) -> None:
        # S3 answers a delete of a missing key with success, as the Storage contract wants.
        await asyncio.to_thread(
            self.client.delete_object, Bucket=self.bucket, Key=self.object_key(key)
        )


def open_s3_storage(settings: Settings) -> S3Storage:
    """s3://bucket[/prefix]?endpoint=https://host[&region=…]; keys from settings."""
    url = urlsplit(settings.media_url)
    query = {name: values[-1] for name, values in parse_qs(url.query).items()}
    if not url.hostname:
        raise SettingsError("LEAGUE_MEDIA_URL must name a bucket: s3://bucket?endpoint=…")
    prefix = unquote(url.path).strip("/")
    client = boto3.client(
        "s3",
        endpoint_url=query.get("endpoint") or None,
        region_name=query.get("region", "us-east-1"),
        # Empty means boto3's own lookup (environment, instance role).
        aws_access_key_id=settings.s3_access_key or None,
        aws_secret_access_key=settings.s3_secret_key or None,
        config=Config(
            max_pool_connections=MAX_CONNECTIONS,
            s3={"addressing_style": "path"},
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    )
    return S3Storage(client, url.hostname, f"{prefix}/" if prefix else "", spool_dir(settings))


def spool_dir(settings: Settings) -> Path:
    return settings.data_dir.resolve() / "spool"
