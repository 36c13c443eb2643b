"""The server's start-up heap, kept out of full garbage collections while it serves.

A full collection (CPython's oldest generation) scans every tracked object, so its pause
grows with everything the server holds from start-up: modules, routes, templates, the ORM's
model metadata. Publishing a round's results at 500 reps allocates enough rows to set one
off, and that one pause stalled the event loop for 30-40 ms (`make bench-scoring`). What
exists once start-up is done lives as long as the server, so it is moved to the permanent
generation collections skip, and moved back when the app stops (tests start many apps in
one process; what they leave behind must stay collectable).
"""

from __future__ import annotations

import gc


def freeze_start_up_heap() -> None:
    gc.collect()
    gc.freeze()


def release_start_up_heap() -> None:
    gc.unfreeze()
