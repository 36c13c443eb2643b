"""Fixtures for delivery feedback: analysis switched on, a drill whose key points are known,
and real speech takes made with espeak-ng and compressed like a phone would."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import cache

import httpx
import pytest

from bench.speech_corpus import Recording, Sentence, record
from league.accounts.models import Team
from league.clock import FrozenClock
from league.delivery.models import AnalysisStatus, TakeAnalysis
from league.playbook.models import Drill
from league.seasons.models import Round
from league.settings import Settings
from tests import factories
from tests.clips.conftest import make_round

SAID = ["flat price per team", "onboarding included", "no consultants"]
UNSAID = ["time back for coaching", "catch quiet deals early"]
SCRIPT = [
    Sentence("You pay one flat price per team."),
    Sentence("Onboarding included, from ten to one hundred fifty sellers.", pause_after=1.5),
    Sentence("And there are no consultants."),
]
ANALYSIS_TIMEOUT_SECONDS = 240  # seconds of CPU, stretched when the machine is busy


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, delivery_feedback=True, delivery_workers=1)


@cache
def speech_take(codec: str = "aac") -> Recording:
    """About nine seconds of speech with one 1.5 s pause, the same every run."""
    return record(SCRIPT, "en-us+m4", 185, codec)


@pytest.fixture
async def drill(team: Team) -> Drill:
    item = await factories.make_item(team, prompt="Too expensive?", key_points=SAID + UNSAID)
    return await factories.make_drill(team, items=[item], time_limit_seconds=60)


@pytest.fixture
async def open_round(team: Team, drill: Drill, clock: FrozenClock) -> Round:
    return await make_round(team, [drill], clock)


async def upload_speech(client: httpx.AsyncClient, drill: Drill, codec: str = "aac") -> int:
    take = speech_take(codec)
    response = await client.post(
        f"/drills/{drill.id}/takes",
        content=take.clip,
        headers={"Content-Type": take.content_type},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["take_id"])


async def wait_for_analysis(take_id: int) -> TakeAnalysis:
    async with asyncio.timeout(ANALYSIS_TIMEOUT_SECONDS):
        while True:
            analysis = await TakeAnalysis.get(take_id=take_id)
            if analysis.status in (AnalysisStatus.DONE, AnalysisStatus.FAILED):
                return analysis
            await asyncio.sleep(0.2)
