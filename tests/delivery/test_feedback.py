"""A rep uploads a real speech take and gets pace, pauses and key points back."""

from __future__ import annotations

import re

from league.accounts.models import Membership
from league.delivery.models import AnalysisStatus, TakeAnalysis
from league.playbook.models import Drill
from league.seasons.models import Round
from tests.conftest import ClientFactory
from tests.delivery.conftest import SAID, UNSAID, speech_take, upload_speech, wait_for_analysis

WPM_TOLERANCE = 0.25  # the accuracy report (make bench-speech) has the full picture
PAUSE_TOLERANCE_SECONDS = 0.3


async def test_it_measures_pace_pauses_and_key_points_of_a_real_take(
    make_client: ClientFactory, rep: Membership, drill: Drill, open_round: Round
) -> None:
    client = await make_client(rep)
    take_id = await upload_speech(client, drill)

    analysis = await wait_for_analysis(take_id)

    truth = speech_take()
    assert analysis.status == AnalysisStatus.DONE
    assert analysis.words_per_minute is not None
    assert abs(analysis.words_per_minute / truth.words_per_minute - 1) <= WPM_TOLERANCE
    [(true_start, true_length)] = truth.pauses
    [[start, length]] = analysis.pauses
    assert abs(start - true_start) <= PAUSE_TOLERANCE_SECONDS
    assert abs(length - true_length) <= PAUSE_TOLERANCE_SECONDS
    heard = {str(point["text"]) for point in analysis.key_points if point["heard"]}
    assert heard <= set(SAID), "a key point that was never said must not be heard"
    assert len(heard) >= 2


async def test_the_take_screen_says_listening_then_shows_the_result(
    make_client: ClientFactory, rep: Membership, drill: Drill, open_round: Round
) -> None:
    client = await make_client(rep)
    take_id = await upload_speech(client, drill, codec="opus")
    first = await client.get(f"/takes/{take_id}/feedback", headers={"HX-Request": "true"})
    assert "Listening…" in first.text
    # The result comes over the live socket; this slow poll is the fallback when it is down.
    assert 'hx-trigger="every 10s, feedback-check"' in first.text

    await wait_for_analysis(take_id)
    done = await client.get(f"/takes/{take_id}/feedback", headers={"HX-Request": "true"})

    assert "Listening…" not in done.text
    assert "hx-trigger" not in done.text, "polling stops once the result is in"
    assert re.search(r"data-pace>\d+ <small>words/min", done.text)
    assert "data-pauses>1<" in done.text
    assert re.search(r'id="pace-trend"[^>]*hx-swap-oob="true"', done.text), "the trend moves too"
    for point in UNSAID:
        assert f'Not sure</span>\n      <span class="delivery-text">{point}' in done.text
    assert "Missing" not in done.text and "missing" not in done.text
    panel = await client.get(f"/drills/{drill.id}/takes", headers={"HX-Request": "true"})
    assert f'id="feedback-{take_id}"' in panel.text


async def test_it_analyses_each_take_once_when_the_upload_is_retried(
    make_client: ClientFactory, rep: Membership, drill: Drill, open_round: Round
) -> None:
    client = await make_client(rep)
    take = speech_take()
    headers = {"Content-Type": take.content_type, "X-Upload-Key": "retry-key-0001"}
    for _ in range(2):
        await client.post(f"/drills/{drill.id}/takes", content=take.clip, headers=headers)

    assert await TakeAnalysis.all().count() == 1
