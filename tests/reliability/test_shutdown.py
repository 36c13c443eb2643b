"""SIGTERM: the server stops taking new connections, lets an upload in flight finish,
closes live sockets with 1012 (service restart, which the page's socket reconnects on)
and exits 0. A real `league serve` process on a loopback port."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.clips import media
from tests.reliability.harness import ServerProcess, demo_server, open_drill_ids, sign_in

REP = "rep1@demo.test"
CHUNK_BYTES = 4 * 1024
CHUNK_PAUSE_SECONDS = 0.1
EXIT_WITHIN_SECONDS = 20


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    running = demo_server(tmp_path / "live")
    yield running
    if running.process is not None and running.process.poll() is None:
        running.process.kill()


def slow_body(clip: bytes, started: threading.Event) -> Iterator[bytes]:
    for offset in range(0, len(clip), CHUNK_BYTES):
        yield clip[offset : offset + CHUNK_BYTES]
        started.set()
        time.sleep(CHUNK_PAUSE_SECONDS)


def open_live_socket(server: ServerProcess, client: httpx.Client) -> ClientConnection:
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    socket_url = server.url.replace("http://", "ws://") + "/live"
    return connect(socket_url, additional_headers={"Cookie": cookies}, open_timeout=10)


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def close_code(live: ClientConnection) -> int | None:
    try:
        while True:
            live.recv(timeout=EXIT_WITHIN_SECONDS)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


def test_sigterm_finishes_the_upload_closes_sockets_to_reconnect_and_exits_0(
    server: ServerProcess,
) -> None:
    clip = media.webm_opus(8)
    assert len(clip) > 5 * CHUNK_BYTES  # the upload lasts several pauses
    key = uuid.uuid4().hex
    client = httpx.Client(base_url=server.url, timeout=60)
    sign_in(client, REP)
    with open_live_socket(server, client) as live:
        live.recv(timeout=10)  # the snapshot every (re)connecting page gets first
        code, exit_code, answer = terminate_during_upload(server, client, live, clip, key)
    client.close()

    assert code == 1012
    assert answer["response"].status_code == 201
    assert exit_code == 0
    server.start()
    rows = server.query("SELECT size_bytes FROM take WHERE upload_key = ?", key)
    assert len(rows) == 1 and rows[0][0] > 0


def terminate_during_upload(
    server: ServerProcess, client: httpx.Client, live: ClientConnection, clip: bytes, key: str
) -> tuple[int | None, int, dict[str, httpx.Response]]:
    drill = open_drill_ids(server)[0]
    started, answer = threading.Event(), {}

    def upload() -> None:
        answer["response"] = client.post(
            f"/drills/{drill}/takes",
            content=slow_body(clip, started),
            headers={"Content-Type": "audio/webm", "X-Upload-Key": key},
        )

    uploader = threading.Thread(target=upload)
    uploader.start()
    assert started.wait(10)
    assert server.process is not None
    server.process.terminate()  # SIGTERM
    time.sleep(0.3)
    refused_new = not accepts_connections(server.port)
    code = close_code(live)
    uploader.join(timeout=EXIT_WITHIN_SECONDS)
    exit_code = server.process.wait(timeout=EXIT_WITHIN_SECONDS)
    assert refused_new, "the server still took new connections after SIGTERM"
    return code, exit_code, answer


def test_an_upload_that_outlasts_the_grace_period_is_cut_off(tmp_path: Path) -> None:
    server = demo_server(tmp_path / "live", LEAGUE_SHUTDOWN_GRACE_SECONDS="1")
    client = httpx.Client(base_url=server.url, timeout=60)
    sign_in(client, REP)
    drill = open_drill_ids(server)[0]
    started = threading.Event()
    clip = media.webm_opus(20)

    def upload() -> None:
        try:
            client.post(
                f"/drills/{drill}/takes",
                content=slow_body(clip, started),
                headers={"Content-Type": "audio/webm"},
            )
        except httpx.HTTPError:
            pass  # cut off: what the test expects

    uploader = threading.Thread(target=upload)
    uploader.start()
    assert started.wait(10)
    assert server.process is not None
    began = time.monotonic()
    server.process.terminate()
    try:
        exit_code = server.process.wait(timeout=EXIT_WITHIN_SECONDS)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise
    uploader.join(timeout=30)
    client.close()
    assert time.monotonic() - began < 10
    assert exit_code == 0
    server.start()
    assert server.query("SELECT COUNT(*) FROM take") == [(0,)]  # no half clip kept
    server.stop()
