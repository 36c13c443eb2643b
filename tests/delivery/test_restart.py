"""Queued and interrupted analyses survive a restart: the next start finishes them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from itsdangerous import Signer

from league.accounts import service as accounts
from league.accounts.access import SESSION_COOKIE
from league.accounts.models import Role
from league.app import create_app
from league.clock import FrozenClock
from league.delivery.models import AnalysisStatus, TakeAnalysis
from league.settings import Settings
from league.web.csrf import CSRF_COOKIE
from tests import factories
from tests.clips.conftest import make_round
from tests.conftest import CSRF_TOKEN, SECRET_KEY
from tests.delivery.conftest import SAID, upload_speech, wait_for_analysis


@pytest.fixture
def file_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        secret_key=SECRET_KEY,
        database_setup="migrate",  # a real SQLite file, kept between the two starts
        run_worker=False,
        signin_slowdown_seconds=0,
        delivery_feedback=False,
        delivery_workers=1,
    )


async def test_a_restart_resumes_queued_and_interrupted_analyses(
    file_settings: Settings, clock: FrozenClock
) -> None:
    # First run: analysis off, so the takes stay queued, as if the server stopped first.
    first = create_app(file_settings, clock)
    async with first.router.lifespan_context(first):
        team = await factories.make_team(await factories.make_organisation(), "Mid-Market")
        rep = await factories.make_member(team, Role.REP)
        item = await factories.make_item(team, key_points=SAID)
        drill = await factories.make_drill(team, items=[item], time_limit_seconds=60)
        await make_round(team, [drill], clock)
        token = await accounts.start_session(rep, clock.now())
        session = Signer(SECRET_KEY, salt="league.session").sign(token).decode()
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=first),
            base_url="http://testserver",
            headers={"X-CSRF-Token": CSRF_TOKEN},
            cookies={SESSION_COOKIE: session, CSRF_COOKIE: CSRF_TOKEN},
        )
        queued_take = await upload_speech(client, drill)
        interrupted_take = await upload_speech(client, drill, codec="opus")
        await client.aclose()
        for take_id, status, claim in (
            (queued_take, AnalysisStatus.QUEUED, None),
            # A process died mid-analysis: its claim ran out.
            (interrupted_take, AnalysisStatus.RUNNING, clock.now() - timedelta(minutes=1)),
        ):
            await TakeAnalysis.create(
                take_id=take_id,
                team=team,
                member=rep,
                status=status,
                claimed_until=claim,
                created_at=clock.now(),
            )

    second = create_app(replace(file_settings, delivery_feedback=True), clock)
    async with second.router.lifespan_context(second):
        for take_id in (queued_take, interrupted_take):
            analysis = await wait_for_analysis(take_id)
            assert analysis.status == AnalysisStatus.DONE
            assert analysis.words_per_minute
            assert len(analysis.pauses) == 1
