"""User-facing errors. Raise LeagueError (or a subclass); one handler renders them all."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

Found = TypeVar("Found")


class LeagueError(Exception):
    """Something the person can fix or should know about. `message` is shown to them."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class SignInRequired(LeagueError):
    status = 401

    def __init__(self, message: str = "Please sign in to continue.") -> None:
        super().__init__(message)


class Forbidden(LeagueError):
    status = 403

    def __init__(self, message: str = "This page is for managers and admins.") -> None:
        super().__init__(message)


class NotFound(LeagueError):
    status = 404

    def __init__(self, message: str = "We couldn't find that. It may have been removed.") -> None:
        super().__init__(message)


class TooManyRequests(LeagueError):
    status = 429

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


async def found_or_404(lookup: Awaitable[Found | None], message: str | None = None) -> Found:
    """Await a lookup already scoped to what the member may see; nothing found is a 404."""
    found = await lookup
    if found is None:
        raise NotFound(message) if message else NotFound()
    return found
