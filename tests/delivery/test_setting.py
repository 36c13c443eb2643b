"""LEAGUE_DELIVERY_FEEDBACK=false: takes work exactly as before, with nothing analysed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from league.accounts.models import Membership
from league.delivery.models import TakeAnalysis
from league.playbook.models import Drill
from league.seasons.models import Round
from league.settings import Settings, SettingsError
from tests.conftest import ClientFactory
from tests.delivery.conftest import upload_speech


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, delivery_feedback=False)


async def test_with_feedback_off_takes_upload_and_list_without_analysis(
    make_client: ClientFactory, rep: Membership, drill: Drill, open_round: Round
) -> None:
    client = await make_client(rep)
    take_id = await upload_speech(client, drill)

    panel = await client.get(f"/drills/{drill.id}/takes", headers={"HX-Request": "true"})
    page = await client.get(f"/drills/{drill.id}/record")

    assert f'id="take-{take_id}"' in panel.text
    assert "Listening" not in panel.text and "feedback-" not in panel.text
    assert "Your pace" not in page.text
    assert await TakeAnalysis.all().count() == 0
    assert (await client.get(f"/takes/{take_id}/feedback")).status_code == 404
    assert (await client.post(f"/takes/{take_id}/submit")).status_code in (200, 303)


def test_the_setting_reads_from_the_environment() -> None:
    assert Settings.from_env({"LEAGUE_DELIVERY_FEEDBACK": "false"}).delivery_feedback is False
    assert Settings.from_env({}).delivery_feedback is True
    assert Settings.from_env({"LEAGUE_DELIVERY_WORKERS": "3"}).delivery_workers == 3
    with pytest.raises(SettingsError, match="LEAGUE_DELIVERY_FEEDBACK"):
        Settings.from_env({"LEAGUE_DELIVERY_FEEDBACK": "maybe"})
