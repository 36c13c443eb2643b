"""A finished analysis is pushed to its rep's open take screens over the live socket,
privately: a teammate's take screen and the rep's standings hear nothing of it."""

from __future__ import annotations

import re

from league.accounts.models import Membership
from league.playbook.models import Drill
from league.seasons.models import Round
from tests.conftest import ClientFactory
from tests.delivery.conftest import ANALYSIS_TIMEOUT_SECONDS, upload_speech
from tests.live.conftest import SocketFactory, open_socket

__all__ = ["open_socket"]  # the live socket fixture

TAKE_SCREEN = "/live?views=feedback"


async def test_the_result_is_sent_to_the_reps_take_screen_only(
    make_client: ClientFactory,
    rep: Membership,
    teammate: Membership,
    drill: Drill,
    open_round: Round,
    open_socket: SocketFactory,
) -> None:
    own_screen = await open_socket(rep, path=TAKE_SCREEN)
    teammates_screen = await open_socket(teammate, path=TAKE_SCREEN)
    own_standings = await open_socket(rep, path="/live?views=activity")
    await own_standings.receive_text()  # its snapshot

    take_id = await upload_speech(await make_client(rep), drill)

    # The first message on the take screen is the result: it had no snapshot to send.
    message = await own_screen.receive_text(timeout=ANALYSIS_TIMEOUT_SECONDS)
    assert re.search(rf'id="feedback-{take_id}"[^>]*hx-swap-oob="true"', message)
    assert re.search(r"data-pace>\d+ <small>words/min", message)
    assert "data-pauses>1<" in message
    assert "Listening…" not in message and "data-feedback-pending" not in message
    assert re.search(r'id="pace-trend"[^>]*hx-swap-oob="true"', message), "the trend moves too"
    await teammates_screen.expect_nothing()
    await own_standings.expect_nothing()
