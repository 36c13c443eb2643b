"""How much a big upload raises the server's memory. Run with `make bench-upload`.

Starts `league serve` on loopback with the demo league in a temporary data directory,
signs in as a demo rep and uploads a valid MP4 padded to about 20 MB (a trailing `free`
box, which players skip) in 64 KB chunks. The server's resident memory (VmRSS) is read
from /proc before and after, next to a baseline: the same measurement around a tiny
upload. The peak (VmHWM) is reset just before the big upload so it shows the upload's own
high-water mark. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHUNK_BYTES = 64 * 1024
SETTLE_SECONDS = 0.5
DEMO_REP = ("rep1@demo.test", "practice")


def read_status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/{pid}/status")


def reset_peak(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def small_clip() -> bytes:
    """A 2 s MP4/AAC tone made with PyAV (the server accepts it as a real take)."""
    import io
    import math

    import av

    rate = 48_000
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as output:
        stream = output.add_stream("aac", rate=rate)
        stream.layout = "mono"  # type: ignore[union-attr]
        for start in range(0, 2 * rate, 1024):
            samples = [
                int(8000 * math.sin(2 * math.pi * 440 * (start + i) / rate)) for i in range(1024)
            ]
            frame = av.AudioFrame(format="s16", layout="mono", samples=1024)
            frame.planes[0].update(struct.pack(f"<{len(samples)}h", *samples))
            frame.sample_rate, frame.pts = rate, start
            output.mux(stream.encode(frame))  # type: ignore[union-attr,arg-type]
        output.mux(stream.encode(None))  # type: ignore[union-attr]
    return buffer.getvalue()


def padded_body(clip: bytes, total_bytes: int) -> tuple[Iterator[bytes], int]:
    """The clip followed by a `free` box filling it up to total_bytes, sent in chunks."""
    padding = max(total_bytes - len(clip) - 8, 0)

    def chunks() -> Iterator[bytes]:
        yield clip + struct.pack(">I4s", 8 + padding, b"free")
        zeros = bytes(CHUNK_BYTES)
        left = padding
        while left > 0:
            yield zeros[: min(CHUNK_BYTES, left)]
            left -= CHUNK_BYTES

    return chunks(), len(clip) + 8 + padding


class Server:
    def __init__(self, data_dir: Path, max_clip_mb: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "LEAGUE_DATA_DIR": str(data_dir),
            "LEAGUE_DATABASE_SETUP": "generate",
            "LEAGUE_MAX_CLIP_MB": str(max_clip_mb),
            "PORT": str(self.port),
        }
        self.log = (data_dir / "server.log").open("wb")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        league = [sys.executable, "-m", "league.cli"]
        subprocess.run([*league, "demo"], env=self.env, check=True, capture_output=True, cwd=ROOT)
        self.process = subprocess.Popen(
            [*league, "serve"], env=self.env, stdout=self.log, stderr=self.log, cwd=ROOT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited during start-up; see server.log")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not become healthy in 30 s")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def sign_in(client: httpx.Client) -> str:
    """Sign in as the demo rep; returns the first drill's upload path."""
    client.get("/signin")
    token = client.cookies["league_csrf"]
    email, password = DEMO_REP
    client.post("/signin", data={"email": email, "password": password, "csrf_token": token})
    # Signing in gives the browser a new CSRF token.
    client.headers["X-CSRF-Token"] = client.cookies["league_csrf"]
    match = re.search(r"/drills/(\d+)/record", client.get("/").text)
    if match is None:
        raise RuntimeError("the demo rep's Today page links to no drill")
    return f"/drills/{match.group(1)}/takes"


def upload(client: httpx.Client, path: str, body: Iterator[bytes] | bytes, size: int) -> int:
    headers = {"Content-Type": "audio/mp4", "Content-Length": str(size)}
    response = client.post(path, content=body, headers=headers, timeout=120)
    return response.status_code


def measure(pid: int) -> int:
    time.sleep(SETTLE_SECONDS)
    return read_status_kb(pid, "VmRSS")


def run(megabytes: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="league-bench-") as tmp:
        server = Server(Path(tmp), max_clip_mb=megabytes + 5)
        server.start()
        try:
            with httpx.Client(base_url=server.url) as client:
                path = sign_in(client)
                clip = small_clip()
                for _ in range(3):  # warm up: PyAV, templates, database connections
                    upload(client, path, clip, len(clip))
                before_tiny = measure(server.pid)
                tiny_status = upload(client, path, clip, len(clip))
                after_tiny = measure(server.pid)
                body, size = padded_body(clip, megabytes * 1024 * 1024)
                reset_peak(server.pid)
                before = measure(server.pid)
                status = upload(client, path, body, size)
                after = measure(server.pid)
                peak = read_status_kb(server.pid, "VmHWM")
        finally:
            server.stop()
    baseline_delta = after_tiny - before_tiny
    delta = after - before
    return {
        "upload_bytes": size,
        "upload_status": status,
        "baseline_status": tiny_status,
        "rss_before_kb": before,
        "rss_after_kb": after,
        "rss_delta_kb": delta,
        "peak_delta_kb": peak - before,
        "baseline_delta_kb": baseline_delta,
        # Growth for the big upload over growth for a tiny one (a page of 4 KB at least).
        "ratio_to_baseline": round(delta / max(baseline_delta, 4), 2),
        "fraction_of_upload_held": round(max(delta, 0) * 1024 / size, 4),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--megabytes", type=int, default=20, help="size of the big upload")
    args = parser.parse_args()
    result = run(args.megabytes)
    print(f"upload:   {result['upload_bytes']} bytes -> HTTP {result['upload_status']}")
    print(f"RSS:      {result['rss_before_kb']} KB before, {result['rss_after_kb']} KB after")
    print(f"delta:    {result['rss_delta_kb']} KB (peak +{result['peak_delta_kb']} KB)")
    print(f"baseline: {result['baseline_delta_kb']} KB for a 2-second clip")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
