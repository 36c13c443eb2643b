"""Page benchmark: the phone pages and the TV board at 8, 60 and 500 reps x 10 rounds.

Run `make bench-pages` (or `python bench/pages.py --sizes 8,60 --seconds 2`). For each team
size, a league is built with the app's own services (bench/league_data.py, cached under the
temp dir per code version), then:

1. In-process: each page is requested once through the ASGI app, counting the SQL
   statements it runs and timing it (best of three), then once more after the team's
   cached board is forgotten, as the first view after results is (cold_ms, cold_queries),
   and once after a review, which reads again only the round in play
   (after_review_ms, after_review_queries).
2. Over loopback: one server process (uvicorn, as `league serve` runs it, worker off) and a
   bare Starlette + Jinja2 server that renders the same HTML from a template, gzip on both.
   20 concurrent clients request one page for --seconds, app then bare then app then bare
   (interleaved, so a busy machine hurts both alike). Reported: req/s, p99 and the ratio
   app/bare.

`--database postgres` runs the same on a throwaway PostgreSQL (Debian's package, started on
a loopback port with a temporary data dir by tests/scale/services.py and stopped by pid):
the league is built there with the committed migrations and both measurements use it.

The last line printed is one JSON object: {"bench": "pages", "min_ratio": ..., "pages": ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from itsdangerous import Signer  # noqa: E402

from bench.league_data import open_league  # noqa: E402
from bench.scoring import QueryCounter, percentile  # noqa: E402
from league.accounts.access import SESSION_COOKIE  # noqa: E402
from league.accounts.models import Membership  # noqa: E402
from league.accounts.service import start_session  # noqa: E402
from league.live.access import SCREEN_COOKIE  # noqa: E402
from league.live.board_parts import parts_changed_by  # noqa: E402
from league.live.models import OfficeScreen  # noqa: E402
from league.live.screens import token_hash  # noqa: E402
from league.settings import Settings  # noqa: E402

SECRET_KEY = "bench-secret-key-not-for-production-0123456789"
SCREEN_TOKEN = "bench-screen-token"
CLIENTS = 20
TIMEOUT_SECONDS = 30.0
# Page name -> (path, who asks). The TV board is the office screen's page.
PAGES = {
    "today": ("/", "rep"),
    "standings": ("/standings", "rep"),
    "reviews": ("/reviews", "rep"),
    "judging": ("/judging", "manager"),
    "team": ("/team", "manager"),
    "me": ("/me", "rep"),
    "tv": ("/tv", "screen"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def signed(value: str, salt: str) -> str:
    return Signer(SECRET_KEY, salt=salt).sign(value).decode()


async def prepare(reps: int, data_dir: Path, settings: Settings) -> dict[str, dict[str, str]]:
    """Open the built league in `data_dir`; sign in a rep and the manager, pair a screen.
    Returns the cookies of each kind of visitor."""
    async with open_league(reps, 10, settings) as league:
        rep = await Membership.get(id=league.rep_ids[len(league.rep_ids) // 2])
        manager = await Membership.get(id=league.manager_id)
        now = settings_now()
        await OfficeScreen.create(
            organisation_id=manager.organisation_id,  # type: ignore[attr-defined]
            team_id=league.team_id,
            name="Sales floor",
            token_hash=token_hash(SCREEN_TOKEN),
        )
        return {
            "rep": {SESSION_COOKIE: signed(await start_session(rep, now), "league.session")},
            "manager": {
                SESSION_COOKIE: signed(await start_session(manager, now), "league.session")
            },
            "screen": {SCREEN_COOKIE: signed(SCREEN_TOKEN, "league.screen")},
        }


def settings_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def app_settings(data_dir: Path, database_url: str = "") -> Settings:
    sqlite_url = f"sqlite://{data_dir / 'league.db'}?busy_timeout=7000&synchronous=NORMAL"
    return Settings(
        data_dir=data_dir,
        secret_key=SECRET_KEY,
        database_setup="none",
        run_worker=False,
        database_url=database_url or sqlite_url,
    )


async def measure_in_process(
    settings: Settings, cookies: dict[str, dict[str, str]]
) -> dict[str, dict[str, Any]]:
    """SQL statements and in-process time per page, and each page's HTML."""
    from league.app import create_app

    counter = QueryCounter()
    counter.install()
    app = create_app(settings)
    results: dict[str, dict[str, Any]] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        for name, (path, who) in PAGES.items():
            async with httpx.AsyncClient(
                transport=transport,
                base_url="http://testserver",
                cookies=cookies[who],
                follow_redirects=True,
            ) as client:
                path = (await client.get(path)).url.path  # e.g. /judging -> its round
                timings, counts = [], []
                for _ in range(3):
                    with counter.measure() as used:
                        started = time.perf_counter()
                        response = await client.get(path)
                        timings.append((time.perf_counter() - started) * 1000)
                    counts.append(used[0])
                    assert response.status_code == 200, (name, response.status_code)
                # The first view after a change: the team's board is loaded again, in full
                # (as after results), then only what a review can move.
                boards = app.state.hub.renderer.boards
                boards.forget_all()
                cold_ms, cold = await timed_view(client, path, counter)
                boards.mark_all(parts_changed_by("points"))
                review_ms, after_review = await timed_view(client, path, counter)
                results[name] = {
                    "path": path,
                    # Fewest: a view slower than the session cache's few seconds reloads it.
                    "queries": min(counts),
                    "in_process_ms": round(min(timings), 1),
                    "cold_queries": cold,
                    "cold_ms": round(cold_ms, 1),
                    "after_review_queries": after_review,
                    "after_review_ms": round(review_ms, 1),
                    "html": response.text,
                }
    return results


async def timed_view(
    client: httpx.AsyncClient, path: str, counter: QueryCounter
) -> tuple[float, int]:
    """One view's in-process time (ms) and SQL statements."""
    with counter.measure() as used:
        started = time.perf_counter()
        await client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, used[0]


def start_server(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, __file__, *args], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start in 60 s")


def stop_servers(servers: list[subprocess.Popen[bytes]]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()  # a graceful stop that hangs must not outlive the benchmark
            server.wait()


def serve_app(data_dir: str, port: int, database_url: str) -> None:
    import uvicorn

    from league.app import create_app

    settings = app_settings(Path(data_dir), database_url)
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def serve_bare(pages_dir: str, port: int) -> None:
    """The baseline: Starlette + Jinja2 rendering a saved page from a template, gzipped."""
    import uvicorn
    from jinja2 import Environment
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    template = Environment(autoescape=True).from_string("{{ body|safe }}")
    bodies = {path.stem: path.read_text() for path in Path(pages_dir).glob("*.html")}

    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(template.render(body=bodies[request.path_params["name"]]))

    app = Starlette(
        routes=[Route("/{name}", page)],
        middleware=[Middleware(GZipMiddleware, minimum_size=1024)],
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


async def hammer(url: str, cookies: dict[str, str], seconds: float) -> tuple[float, float]:
    """CLIENTS concurrent clients asking for `url` for `seconds`: (req/s, p99 ms). A request
    that times out counts as taking the whole timeout and serves nothing."""
    latencies: list[float] = []
    timeouts: list[float] = []
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(cookies=cookies, limits=limits, timeout=TIMEOUT_SECONDS) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.TimeoutException:
                    timeouts.append(time.perf_counter() - started)
                    continue
                assert response.status_code == 200, (url, response.status_code)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies + timeouts, 0.99) * 1000


async def measure_size(
    reps: int, seconds: float, rounds_each: int, database_url: str = ""
) -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="league-pages-") as tmp:
        data_dir = Path(tmp)
        settings = app_settings(data_dir, database_url)
        cookies = await prepare(reps, data_dir, settings)
        pages = await measure_in_process(settings, cookies)
        pages_dir = data_dir / "pages"
        pages_dir.mkdir()
        for name, figures in pages.items():
            (pages_dir / f"{name}.html").write_text(figures.pop("html"))
        app_port, bare_port = free_port(), free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        servers = [
            start_server(
                ["--serve-app", str(data_dir), str(app_port), database_url], env, app_port
            ),
            start_server(["--serve-bare", str(pages_dir), str(bare_port)], env, bare_port),
        ]
        try:
            for name, (_, who) in PAGES.items():
                path = pages[name].pop("path")
                app_runs, bare_runs = [], []
                for _ in range(rounds_each):
                    app_url = f"http://127.0.0.1:{app_port}{path}"
                    app_runs.append(await hammer(app_url, cookies[who], seconds))
                    bare_url = f"http://127.0.0.1:{bare_port}/{name}"
                    bare_runs.append(await hammer(bare_url, {}, seconds))
                app_rps = statistics.mean(rps for rps, _ in app_runs)
                bare_rps = statistics.mean(rps for rps, _ in bare_runs)
                pages[name].update(
                    reps=reps,
                    bytes=(pages_dir / f"{name}.html").stat().st_size,
                    rps=round(app_rps, 1),
                    p99_ms=round(max(p99 for _, p99 in app_runs), 1),
                    bare_rps=round(bare_rps, 1),
                    bare_p99_ms=round(max(p99 for _, p99 in bare_runs), 1),
                    ratio=round(app_rps / bare_rps, 3),
                )
                print(json.dumps({"page": name, **pages[name]}), flush=True)
        finally:
            stop_servers(servers)
        return pages


async def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, dict[str, Any]] = {}
    with database_server(args.database) as create_database:
        for reps in args.sizes:
            url = create_database(f"pages_{reps}")
            sized = await measure_size(reps, args.seconds, args.repeats, url)
            for name, figures in sized.items():
                results[f"{name}@{reps}"] = figures
    queries = {
        name: sorted(
            {figures["queries"] for key, figures in results.items() if key.startswith(f"{name}@")}
        )
        for name in PAGES
    }
    return {
        "bench": "pages",
        "database": args.database,
        "min_ratio": min(figures["ratio"] for figures in results.values()),
        "queries_constant": all(len(counts) == 1 for counts in queries.values()),
        "pages": results,
    }


@contextmanager
def database_server(kind: str) -> Iterator[Callable[[str], str]]:
    """Yields a function giving the database URL for a new league ("" means SQLite files)."""
    if kind == "sqlite":
        yield lambda name: ""
        return
    from tests.scale import services

    with services.postgres() as server:
        yield server.create_database


def main() -> None:
    if sys.argv[1:2] == ["--serve-app"]:
        serve_app(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    if sys.argv[1:2] == ["--serve-bare"]:
        serve_bare(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=lambda raw: [int(n) for n in raw.split(",")], default=[8, 60, 500]
    )
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--repeats", type=int, default=2, help="app/bare pairs per page")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
