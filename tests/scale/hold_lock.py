"""Hold a round's rescoring lock in a process of its own and say when it was held.

python -m tests.scale.hold_lock DATABASE_URL ROUND_ID START_AT HOLD_SECONDS [in-process]

Opens the database, waits until the wall clock reaches START_AT (so several of these
start together), holds league.reviews.round_scores.ROUND_SCORING for ROUND_ID for
HOLD_SECONDS, and prints {"acquired": t, "released": t}. With `in-process` it holds only
the in-process part of the lock, as the embedded default would.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from league.db import open_database
from league.reviews.round_scores import ROUND_SCORING


async def hold(url: str, round_id: int, start_at: float, seconds: float, whole: bool) -> None:
    async with open_database(url, "none"):
        await asyncio.sleep(max(0.0, start_at - time.time()))
        lock = ROUND_SCORING.hold if whole else ROUND_SCORING.hold_in_process
        async with lock(round_id):
            acquired = time.time()
            await asyncio.sleep(seconds)
            released = time.time()
    print(json.dumps({"acquired": acquired, "released": released}))


def main(argv: list[str]) -> None:
    url, round_id, start_at, seconds = argv[0], int(argv[1]), float(argv[2]), float(argv[3])
    asyncio.run(hold(url, round_id, start_at, seconds, whole=argv[4:] != ["in-process"]))


if __name__ == "__main__":
    main(sys.argv[1:])
