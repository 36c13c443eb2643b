"""The delivery analysis pool leaves with its server, even one killed outright."""

from __future__ import annotations

from tests.processes import assert_pool_process_exits_with_server

# A server with a delivery analyser that has started its pool process (the model loads in
# it), then stops answering until it is killed.
KILLED_SERVER = """
import os, time
from league.delivery.runner import DeliveryAnalyser

analyser = DeliveryAnalyser(storage=None, clock=None, workers=1, reactions=None)
print(analyser.pool().submit(os.getpid).result(), flush=True)
time.sleep(60)
"""


async def test_the_analysis_process_exits_when_the_server_is_killed() -> None:
    await assert_pool_process_exits_with_server(KILLED_SERVER)
