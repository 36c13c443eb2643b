"""create_app(settings) -> Starlette. The lifespan opens the database and starts the worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute, Mount
from tortoise.contrib.starlette import RegisterTortoise

from league.accounts import routes as accounts
from league.accounts.session_cache import SessionCache
from league.clips import routes as clips
from league.clips.storage import open_storage
from league.clock import Clock, SystemClock
from league.coaching import routes as coaching
from league.db import apply_migrations, tortoise_config
from league.delivery import routes as delivery
from league.delivery.runner import DeliveryAnalyser
from league.jobs.cpu_pool import CpuPool
from league.jobs.service import JobContext, release_interrupted_jobs
from league.jobs.worker import Worker
from league.live import routes as live
from league.live.broker import create_broker
from league.live.service import (
    publish_points_change,
    publish_round_change,
    start_live,
    stop_live,
)
from league.playbook import routes as playbook
from league.privacy import routes as privacy
from league.privacy.retention import RETENTION_JOB, run_retention, schedule_retention
from league.push import jobs as push_jobs
from league.push import routes as push
from league.push.vapid import load_push_config
from league.pwa import routes as pwa
from league.pwa.middleware import NoStorePagesMiddleware
from league.reactions import Reactions
from league.reviews import routes as reviews
from league.reviews.repair import rescore_rounds_behind
from league.reviews.round_hooks import react_to_round_state
from league.seasons import jobs as season_jobs
from league.seasons import routes as seasons
from league.settings import Settings
from league.standings import routes as standings
from league.web import error_handlers
from league.web import routes as site
from league.web.csp_reports import CSP_REPORT_PATH, ReportThrottle
from league.web.csrf import CsrfMiddleware
from league.web.errors import LeagueError
from league.web.heap import freeze_start_up_heap, release_start_up_heap
from league.web.limits import BodyLimitMiddleware
from league.web.routing import namespaced
from league.web.security import SecurityHeadersMiddleware
from league.web.static import VersionedStaticFiles
from league.web.templating import STATIC_DIR

GZIP_MINIMUM_BYTES = 1024  # smaller bodies gain less than the compression costs


def build_routes() -> list[BaseRoute]:
    return [
        *site.routes,
        Mount("/static", app=VersionedStaticFiles(directory=STATIC_DIR), name="static"),
        *namespaced("accounts", accounts.routes),
        *namespaced("seasons", seasons.routes),
        *namespaced("playbook", playbook.routes),
        *namespaced("standings", standings.routes),
        *namespaced("clips", clips.routes),
        *namespaced("reviews", reviews.routes),
        *namespaced("live", live.routes),
        *namespaced("push", push.routes),
        *namespaced("pwa", pwa.routes),
        *namespaced("coaching", coaching.routes),
        *namespaced("privacy", privacy.routes),
        *namespaced("delivery", delivery.routes),
    ]


def build_reactions() -> Reactions:
    """What runs besides requests, new for each app: the worker's job kinds, the hooks of
    a round state change in the order they run, and who hears that a round's points
    changed. The live broker joins them while the app runs (start_live)."""
    return Reactions(
        job_kinds={**season_jobs.JOB_KINDS, **push_jobs.JOB_KINDS, RETENTION_JOB: run_retention},
        round_hooks=[
            react_to_round_state,  # assign reviewers, score, finalise points and awards
            push_jobs.schedule_round_reminders,
            # Last: it announces the round to live views once the others have written.
            publish_round_change,
        ],
        points_listeners=[publish_points_change],
    )


def create_app(settings: Settings, clock: Clock | None = None) -> Starlette:
    clock = clock or SystemClock()
    storage = open_storage(settings)
    services: dict[str, Any] = {"settings": settings, "clock": clock, "storage": storage}
    broker = create_broker(settings.broker_url)
    services["broker"] = broker
    sessions = SessionCache()
    broker.subscribe(sessions.on_event)  # other processes' sign-outs forget cached sessions
    reactions = build_reactions()
    services["reactions"] = reactions
    # Called with each newly stored take, in order (clips.routes.after_take_stored).
    services["after_take_stored"] = []
    cpu_pool = CpuPool()  # a whole round's scoring maths, off the event loop
    services["cpu_pool"] = cpu_pool
    analyser = None
    if settings.delivery_feedback:
        analyser = DeliveryAnalyser(storage, clock, settings.delivery_workers, reactions)
        services["after_take_stored"].append(analyser.queue_take)

    def make_job_context() -> JobContext:
        return JobContext(now=clock.now(), services=services)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        services["push"] = load_push_config(
            settings.data_dir,
            settings.push_contact,
            allow_loopback=settings.push_allow_loopback,
        )
        services["url_path_for"] = app.url_path_for
        if settings.database_setup == "migrate":
            await apply_migrations(settings.database_url)
        async with RegisterTortoise(
            app,
            config=tortoise_config(settings.database_url),
            generate_schemas=settings.database_setup == "generate",
        ):
            await start_live(app, broker, reactions)
            await schedule_retention(clock.now())
            if settings.run_worker and settings.database_url.startswith("sqlite"):
                await release_interrupted_jobs()  # one process per SQLite file
            if settings.run_worker:
                await rescore_rounds_behind(settings, reactions)
            cpu_pool.start()
            worker = Worker(make_job_context, settings.worker_interval_seconds)
            app.state.worker = worker
            services["worker"] = worker
            if settings.run_worker:
                worker.start()
            if analyser is not None:
                analyser.start()
            freeze_start_up_heap()
            try:
                yield
            finally:
                release_start_up_heap()
                if analyser is not None:
                    await analyser.stop()
                await worker.stop()
                await cpu_pool.stop()
                await stop_live(broker, reactions)

    app = Starlette(
        debug=False,
        routes=build_routes(),
        middleware=[
            # Outermost, so it compresses what every other layer produced. It leaves
            # ranged (206) and audio/video responses alone, and never sees the websocket.
            Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES),
            Middleware(SecurityHeadersMiddleware),
            Middleware(NoStorePagesMiddleware),
            Middleware(
                BodyLimitMiddleware,
                clip_max_bytes=settings.max_clip_bytes,
                refuse=error_handlers.refuse_too_large,
            ),
            Middleware(
                CsrfMiddleware,
                refuse=error_handlers.refuse_csrf,
                exempt=frozenset({CSP_REPORT_PATH}),
            ),
        ],
        exception_handlers={
            LeagueError: error_handlers.handle_league_error,
            HTTPException: error_handlers.handle_http_exception,
            Exception: error_handlers.handle_server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.storage = storage
    app.state.broker = broker
    app.state.sessions = sessions
    app.state.reactions = reactions
    app.state.csp_report_throttle = ReportThrottle()
    app.state.services = services
    app.state.make_job_context = make_job_context
    return app
