"""Sessions this process loaded in the last few seconds, by token.

Every request asks who is signed in; loading the session with its member, user, team and
organisation is a three-join query. A phone's page and its htmx requests arrive in bursts,
so each session is kept for TTL_SECONDS. Whatever ends a session or changes what its member
may do (sign-out, password change or reset, role change, deactivation, erasure) forgets
every cached session: in this process directly, in the others through the live broker's
sign-out events, so at worst another process honours an ended session for TTL_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from league.accounts.models import Session

TTL_SECONDS = 5.0
MAX_SESSIONS = 10_000
# Live events after which a cached session may no longer be what the database says.
FORGETTING_EVENTS = frozenset({"session_ended", "member_signed_out"})


class SessionCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.sessions: dict[str, tuple[float, Session]] = {}

    def get(self, key: str) -> Session | None:
        cached = self.sessions.get(key)
        if cached is None:
            return None
        loaded_at, session = cached
        if self.clock() - loaded_at > TTL_SECONDS:
            del self.sessions[key]
            return None
        return session

    def put(self, key: str, session: Session) -> None:
        if len(self.sessions) >= MAX_SESSIONS:
            self.sessions.clear()
        self.sessions[key] = (self.clock(), session)

    def forget_all(self) -> None:
        self.sessions.clear()

    async def on_event(self, event: Mapping[str, Any]) -> None:
        """Broker listener: another process ended a session or changed a member."""
        if event["kind"] in FORGETTING_EVENTS:
            self.forget_all()
