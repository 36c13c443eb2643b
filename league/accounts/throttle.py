"""Sign-in throttling that guessing cannot outrun and cannot turn against the account's owner.

Three counters of failed sign-ins, each over a 15-minute window:
- email and client address together: 5 failures lock that pair for 15 minutes. Someone
  guessing from their own address locks only themselves; the owner signing in from their
  phone or office is another pair.
- client address alone: 30 failures lock the address, whichever accounts it tries.
- email alone: never locks, but after a typo or two each wrong answer waits a little
  longer (capped), so guesses spread over many addresses stay slow.

Every attempt is counted before its password is checked, in one transaction (serialised on
SQLite, row-locked on PostgreSQL), so concurrent guesses each see the ones before them; a
success gives its count back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from league.accounts.models import SignInThrottle
from league.web.errors import TooManyRequests

WINDOW_MINUTES = 15
LOCK_MINUTES = 15
PAIR_FAILURES_BEFORE_LOCK = 5
ADDRESS_FAILURES_BEFORE_LOCK = 30
FAILURES_BEFORE_SLOWDOWN = 3
MAX_SLOWDOWN_STEPS = 10


@dataclass(frozen=True)
class Attempt:
    """The throttle keys of one sign-in attempt (hashed: emails may be long, and private)."""

    pair: str
    address: str
    account: str

    @classmethod
    def of(cls, email: str, address: str) -> Attempt:
        return cls(
            pair=hashed(f"pair\n{email}\n{address}"),
            address=hashed(f"address\n{address}"),
            account=hashed(f"account\n{email}"),
        )


LOCK_AFTER = {"pair": PAIR_FAILURES_BEFORE_LOCK, "address": ADDRESS_FAILURES_BEFORE_LOCK}


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def slowdown_steps(failures: int) -> int:
    """How many slowdown units to wait before answering, after this many failures."""
    return min(MAX_SLOWDOWN_STEPS, max(0, failures - FAILURES_BEFORE_SLOWDOWN + 1))


async def begin_attempt(attempt: Attempt, now: datetime) -> int:
    """Count the attempt as a failure; raise TooManyRequests while the pair or address is
    locked. Returns the account's failures in the window, this one included."""
    await create_missing_rows([attempt.pair, attempt.address, attempt.account], now)
    async with in_transaction():
        rows = {
            "pair": await current_row(attempt.pair, now),
            "address": await current_row(attempt.address, now),
            "account": await current_row(attempt.account, now),
        }
        for name in LOCK_AFTER:
            locked_until = rows[name].locked_until
            if locked_until is not None and locked_until > now:
                raise locked_error(locked_until, now)
        for name, row in rows.items():
            row.failures += 1
            if row.failures >= LOCK_AFTER.get(name, row.failures + 1):
                row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            await row.save()
        return rows["account"].failures


async def take_allowance(key: str, limit: int, now: datetime, what: str) -> None:
    """Count one use of `key` (e.g. an address starting a TV pairing); TooManyRequests once
    it has been used `limit` times in the window."""
    await create_missing_rows([hashed(key)], now)
    async with in_transaction():
        row = await current_row(hashed(key), now)
        if row.failures >= limit:
            retry_at = row.window_started_at + timedelta(minutes=WINDOW_MINUTES)
            raise TooManyRequests(
                f"Too many {what} from here. Try again in a few minutes.",
                retry_after_seconds=max(1, int((retry_at - now).total_seconds())),
            )
        row.failures += 1
        await row.save()


async def succeeded(attempt: Attempt) -> None:
    """The password was right: forget the account's and the pair's failures, and give the
    address back the attempt counted for this sign-in."""
    await SignInThrottle.filter(key__in=[attempt.pair, attempt.account]).delete()
    await SignInThrottle.filter(key=attempt.address, failures__gt=0).update(
        failures=F("failures") - 1
    )


async def create_missing_rows(keys: list[str], now: datetime) -> None:
    """Make sure each counter has a row before the counting transaction locks it.

    On PostgreSQL FOR UPDATE locks only rows that exist: two first attempts at once would
    both find nothing and both insert the same key, and one would fail.
    """
    await SignInThrottle.bulk_create(
        [SignInThrottle(key=key, failures=0, window_started_at=now) for key in keys],
        ignore_conflicts=True,
    )


async def current_row(key: str, now: datetime) -> SignInThrottle:
    row = await SignInThrottle.filter(key=key).select_for_update().first()
    if row is None:
        return SignInThrottle(key=key, failures=0, window_started_at=now)
    window_over = row.window_started_at + timedelta(minutes=WINDOW_MINUTES) < now
    lock_over = row.locked_until is None or row.locked_until <= now
    if window_over and lock_over:
        row.failures = 0
        row.window_started_at = now
        row.locked_until = None
    return row


def locked_error(locked_until: datetime, now: datetime) -> TooManyRequests:
    seconds = max(1, int((locked_until - now).total_seconds()))
    minutes = max(1, round(seconds / 60))
    return TooManyRequests(
        f"Too many sign-in attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after_seconds=seconds,
    )
