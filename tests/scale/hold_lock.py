"""Hold a round's rescoring lock in a process of its own and say when it was held.

python -m tests.scale.hold_lock DATABASE_URL ROUND_ID HOLD_SECONDS [in-process]

Opens the database, prints "ready" and waits for a line on stdin (so several of these
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


async def hold(url: str, round_id: int, seconds: float, whole: bool) -> None:
    async with open_database(url, "none"):
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        lock = ROUND_SCORING.hold if whole else ROUND_SCORING.hold_in_process
        async with lock(round_id):
            acquired = time.time()
            await asyncio.sleep(seconds)
            released = time.time()
    print(json.dumps({"acquired": acquired, "released": released}), flush=True)


def main(argv: list[str]) -> None:
    url, round_id, seconds = argv[0], int(argv[1]), float(argv[2])
    asyncio.run(hold(url, round_id, seconds, whole=argv[3:] != ["in-process"]))


if __name__ == "__main__":
    main(sys.argv[1:])
