"""Live fan-out benchmark: N websocket clients, one change, time until every client has it.

Run `make bench-live` (or `python bench/live.py --clients 1000`). In one run, interleaved
event by event (league, raw, league, raw...) so a busy machine weighs on both alike:

1. Practice League: one server process (uvicorn, as `league serve` runs it) with the demo
   league; N clients open /live as a signed-in rep and get their snapshot; then a rep makes
   a change through an ordinary authenticated POST. The clock starts just before the POST
   and stops for each client when its update arrives, so it covers the request, the
   database write, the publish, the render and the fan-out.
2. Baseline: a minimal raw `websockets` server holding the same N clients, told over a
   control socket to send the league's message of the same event to all of them (gather,
   per-send timeout).

In the demo league the change flips a rep's kudos-sharing setting. With --reps N the
server holds a team of N reps x 10 rounds built with the app's services
(bench/league_data.py) and each change is a review sent by a rep of the round in review,
so the message carries what a review changes on a real-size board; `message_bytes` is the
size of the largest measured update. Each side gets one warm-up event, then --events
measured events. The last line printed is one JSON object with both sets of figures and
their ratio.

With --processes N (N > 1), side 1 runs N server processes that share the database and a
real Redis (Debian's redis-server, started on a loopback port for the run) as the broker;
the clients are spread evenly over the processes and the change is posted to the first,
so most updates cross Redis. The baseline stays one raw server holding every client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvloop
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, serve

ROOT = Path(__file__).resolve().parents[1]
DEMO_EMAIL = "rep1@demo.test"
DEMO_PASSWORD = "practice"
CONNECT_BATCH = 100
SEND_TIMEOUT_SECONDS = 2.0
UPDATE_TIMEOUT_SECONDS = 30.0


@dataclass
class Figures:
    expected: int  # clients x measured events
    received: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    payload_bytes: int

    def line(self, name: str) -> str:
        return (
            f"{name:<16} updates={self.received}/{self.expected}  "
            f"p50={self.p50_ms:.1f} ms  p99={self.p99_ms:.1f} ms  max={self.max_ms:.1f} ms  "
            f"payload={self.payload_bytes} B"
        )


def raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def summarise(latencies: list[float], clients: int, payload: str) -> Figures:
    if not latencies:
        return Figures(clients, 0, float("nan"), float("nan"), float("nan"), len(payload))
    return Figures(
        expected=clients,
        received=len(latencies),
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        max_ms=max(latencies) * 1000,
        payload_bytes=len(payload.encode()),
    )


# --- the two servers (each runs in its own process) --------------------------------------


def serve_app(port: int) -> None:
    """Practice League as `league serve` runs it, quieter (no log line per connection)."""
    import uvicorn

    from league.app import create_app
    from league.settings import Settings

    uvicorn.run(create_app(Settings.from_env()), host="127.0.0.1", port=port, log_level="warning")


async def serve_raw(port: int, payload_file: str) -> None:
    """The baseline: hold every client; on "go" from the control socket, send to all."""
    payload = Path(payload_file).read_text()
    clients: set[ServerConnection] = set()

    async def send(client: ServerConnection) -> None:
        try:
            async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                await client.send(payload)
        except (TimeoutError, OSError):
            await client.close(1013)

    async def handle(client: ServerConnection) -> None:
        nonlocal payload
        if client.request is not None and client.request.path == "/control":
            # Each message is the payload to send: the app's message of the same event.
            async for message in client:
                payload = str(message)
                await asyncio.gather(*(send(other) for other in list(clients)))
            return
        clients.add(client)
        try:
            await client.send(payload)  # the "snapshot"
            await client.wait_closed()
        finally:
            clients.discard(client)

    async with serve(handle, "127.0.0.1", port, max_queue=None):
        await asyncio.Future()


# --- the clients (this process) ------------------------------------------------------------


class Crowd:
    """N websocket clients; each records when its next message arrives.

    `url` may name several servers (a list): clients are spread over them in turn.
    """

    def __init__(self, url: str | list[str], headers: dict[str, str], count: int) -> None:
        self.urls = [url] if isinstance(url, str) else url
        self.headers, self.count = headers, count
        self.sockets: list[ClientConnection] = []

    async def connect(self) -> str:
        snapshot = ""
        for start in range(0, self.count, CONNECT_BATCH):
            batch = min(CONNECT_BATCH, self.count - start)
            opened = await asyncio.gather(*(self.open_one(start + n) for n in range(batch)))
            for client, first in opened:
                self.sockets.append(client)
                snapshot = first
        return snapshot

    async def open_one(self, number: int = 0) -> tuple[ClientConnection, str]:
        url = self.urls[number % len(self.urls)]
        origin = url.replace("ws://", "http://").split("/live")[0]
        headers = {**self.headers, "Origin": origin} if "Origin" in self.headers else self.headers
        client = await connect(url, additional_headers=headers, max_size=None, open_timeout=60)
        first = await asyncio.wait_for(client.recv(), UPDATE_TIMEOUT_SECONDS)
        return client, str(first)

    async def measure(self, trigger: Callable[[], Awaitable[None]]) -> tuple[list[float], str]:
        """Latency of each client's next message after `trigger` starts, and the payload."""
        received: list[float] = []
        payload = ""

        async def wait(client: ClientConnection) -> None:
            nonlocal payload
            message = await client.recv()
            received.append(time.perf_counter() - started)
            payload = str(message)

        waiting = [asyncio.create_task(wait(client)) for client in self.sockets]
        await asyncio.sleep(0)  # every waiter is parked in recv() before the clock starts
        started = time.perf_counter()
        await trigger()
        done, pending = await asyncio.wait(waiting, timeout=UPDATE_TIMEOUT_SECONDS)
        for task in pending:
            task.cancel()
        return received, payload

    async def close(self) -> None:
        await asyncio.gather(*(client.close() for client in self.sockets), return_exceptions=True)


def wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start in 60 s")


def start(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, __file__, *args], env=env, cwd=ROOT)
    wait_until_listening(port, process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


async def sign_in(base_url: str, email: str, password: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=base_url, timeout=30)
    await http.get("/signin")
    csrf = http.cookies["league_csrf"]
    response = await http.post(
        "/signin", data={"email": email, "password": password, "csrf_token": csrf}
    )
    if response.status_code != 303:
        raise RuntimeError(f"sign-in failed with {response.status_code}")
    # Signing in hands out a new CSRF token.
    http.headers["X-CSRF-Token"] = response.cookies.get("league_csrf") or csrf
    return http


async def load_league(reps: int, data_dir: Path, env: dict[str, str], events: int) -> list[Change]:
    """The demo league (reps 0), else a team of `reps` built as bench/league_data.py does.
    Returns who makes each change (a warm-up, then `events`) and how."""
    if not reps:
        demo = [sys.executable, "-m", "league.cli", "demo"]
        subprocess.run(demo, env=env, check=True, cwd=ROOT, capture_output=True)
        return [Change(DEMO_EMAIL, DEMO_PASSWORD, None)] * (events + 1)
    sys.path.insert(0, str(ROOT))
    from bench.league_data import PASSWORD, open_league
    from league.reviews.models import Review, ReviewStatus
    from league.seasons.models import Round
    from league.settings import Settings

    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data_dir, database_setup="none")
    async with open_league(reps, 10, settings) as league:
        # The built league's weeks lie in the past: keep its last round open for reviews
        # now, as the server's clock sees it.
        now = datetime.now(UTC)
        await Round.filter(id=league.round_ids[-1]).update(
            review_closes_at=now + timedelta(days=1), results_at=now + timedelta(days=2)
        )
        reviews = (
            await Review.filter(round_id=league.round_ids[-1], status=ReviewStatus.ASSIGNED)
            .order_by("id")
            .limit(events + 1)
            .select_related("reviewer__user", "entry__drill")
        )
    return [
        Change(
            review.reviewer.user.email,
            PASSWORD,
            (review.id, [str(c["key"]) for c in review.entry.drill.rubric]),
        )
        for review in reviews
    ]


@dataclass(frozen=True)
class Change:
    """Who makes one change: a review sent (review id, rubric keys) or, in the demo
    league, a kudos-sharing setting flipped (`review` None)."""

    email: str
    password: str
    review: tuple[int, list[str]] | None


def trigger_for(
    http: httpx.AsyncClient, change: Change, flip: str, request_ms: list[float]
) -> Callable[[], Awaitable[None]]:
    async def trigger() -> None:
        started = time.perf_counter()
        if change.review is None:
            response = await http.post("/live/kudos-sharing", data={"allow_quotes": flip})
        else:
            review_id, keys = change.review
            form = {f"score_{key}": "4" for key in keys}
            form.update(kudos="Clear opener and a good close.", next_rep="Pause after it.")
            response = await http.post(f"/reviews/{review_id}/submit", data=form)
        if response.status_code != 303:
            raise RuntimeError(f"change failed with {response.status_code}")
        request_ms.append((time.perf_counter() - started) * 1000)

    return trigger


async def run(
    clients: int, events: int, work_dir: Path, processes: int, broker_url: str, reps: int
) -> tuple[Figures, Figures, float, Figures]:
    """Both sides at once, their events interleaved (app, raw, app, raw...), so a busy
    machine weighs on both alike; the raw server sends the app's message of each event."""
    data_dir = work_dir / "data"
    ports = [free_port() for _ in range(processes)]
    env = {
        **os.environ,
        "LEAGUE_DATA_DIR": str(data_dir),
        "LEAGUE_DATABASE_SETUP": os.environ.get(
            "LEAGUE_DATABASE_SETUP", "none" if reps else "generate"
        ),
        "LEAGUE_RUN_WORKER": "false",
    }
    if broker_url:
        env["LEAGUE_BROKER_URL"] = broker_url
    changes = await load_league(reps, data_dir, env, events)
    if len(changes) < events + 1:
        raise RuntimeError(f"the league has {len(changes)} reviews to send, not {events + 1}")
    raw_port = free_port()
    payload_file = work_dir / "payload.html"
    payload_file.write_text("")
    with ExitStack() as servers:
        for port in ports:
            servers.callback(stop, start(["--serve-app", str(port)], env, port))
        servers.callback(
            stop,
            start(["--serve-raw", str(raw_port), str(payload_file)], dict(os.environ), raw_port),
        )
        base_url = f"http://127.0.0.1:{ports[0]}"
        watcher = await sign_in(base_url, changes[0].email, changes[0].password)
        cookie = "; ".join(f"{name}={value}" for name, value in watcher.cookies.items())
        urls = [f"ws://127.0.0.1:{port}/live?views=standings,activity" for port in ports]
        app_crowd = Crowd(urls, {"Cookie": cookie, "Origin": base_url}, clients)
        await app_crowd.connect()
        raw_crowd = Crowd(f"ws://127.0.0.1:{raw_port}/", {}, clients)
        await raw_crowd.connect()
        writers = [await sign_in(base_url, c.email, c.password) for c in changes]
        app_latencies: list[float] = []
        raw_latencies: list[float] = []
        payloads: list[str] = []
        request_ms: list[float] = []  # the change's own request (write, scoring, publish)
        after_request: list[float] = []
        async with connect(f"ws://127.0.0.1:{raw_port}/control", max_size=None) as control:
            for event, (change, http) in enumerate(zip(changes, writers, strict=True)):
                # Past the coalescing window, so every event is rendered and sent at once.
                await asyncio.sleep(0.5)
                trigger = trigger_for(http, change, "yes" if event % 2 == 0 else "", request_ms)
                received, payload = await app_crowd.measure(trigger)
                await asyncio.sleep(0.5)

                async def send_raw(payload: str = payload) -> None:
                    await control.send(payload)

                raw_received, _ = await raw_crowd.measure(send_raw)
                if event > 0:  # the first is a warm-up
                    app_latencies.extend(received)
                    # From the change's response on: the publish, render and fan-out left.
                    after_request.extend(max(0.0, t - request_ms[-1] / 1000) for t in received)
                    raw_latencies.extend(raw_received)
                    payloads.append(payload)
        await app_crowd.close()
        await raw_crowd.close()
        for http in [watcher, *writers]:
            await http.aclose()
    # The message size is the largest of the measured events' messages.
    payload = max(payloads, key=len, default="")
    return (
        summarise(app_latencies, clients * events, payload),
        summarise(raw_latencies, clients * events, payload),
        max(request_ms[1:], default=float("nan")),
        summarise(after_request, clients * events, payload),
    )


async def main(clients: int, events: int, processes: int = 1, reps: int = 0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="league-bench-") as temporary, ExitStack() as stack:
        work_dir = Path(temporary)
        broker_url = ""
        if processes > 1:
            sys.path.insert(0, str(ROOT))
            from tests.scale.services import redis

            broker_url = stack.enter_context(redis()).url
        app, raw, request_ms, after = await run(
            clients, events, work_dir, processes, broker_url, reps
        )
    print(app.line("Practice League"))
    print(after.line("  after request"))
    print(raw.line("raw websockets"))
    ratio = app.p99_ms / raw.p99_ms if raw.p99_ms else float("nan")
    print(f"p99 ratio (league / raw): {ratio:.2f}; the change's own request {request_ms:.0f} ms")
    return {
        "clients": clients,
        "events": events,
        "processes": processes,
        "broker": "redis" if processes > 1 else "memory",
        "reps": reps or "demo",
        "message_bytes": app.payload_bytes,
        # The slowest measured change request (until its response): part of every latency.
        "change_request_ms": round(request_ms, 1),
        # Each update's latency less its change's request: the publish, render and fan-out.
        "after_request": {"p50_ms": round(after.p50_ms, 1), "p99_ms": round(after.p99_ms, 1)},
        "league": app.__dict__,
        "raw": raw.__dict__,
        "p99_ratio": round(ratio, 3),
        "p50_ratio": round(app.p50_ms / raw.p50_ms, 3) if raw.p50_ms else None,
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="websocket clients (1000)")
    parser.add_argument("--events", type=int, default=3, help="measured events per side (3)")
    parser.add_argument(
        "--reps", type=int, default=0, help="a team of N reps x 10 rounds instead of the demo"
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="league server processes, over Redis if > 1"
    )
    parser.add_argument("--serve-app", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--serve-raw", nargs=2, metavar=("PORT", "PAYLOAD"), help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    raise_open_files_limit()
    if arguments.serve_app:
        serve_app(arguments.serve_app)
    elif arguments.serve_raw:
        uvloop.run(serve_raw(int(arguments.serve_raw[0]), arguments.serve_raw[1]))
    else:
        figures = uvloop.run(
            main(arguments.clients, arguments.events, arguments.processes, arguments.reps)
        )
        print(json.dumps(figures))
