"""Office screens: pairing a TV with a short code or a secret link, finding it by its
token, revoking it.

The TV keeps one long-lived random token in a cookie from its first visit. Until a manager
pairs it, the TV shows a short code that maps to that token; pairing copies the token's
hash onto a new OfficeScreen. Nothing secret is ever shown on the TV itself. A secret
link carries a screen's token instead: opening it stores the token in that browser.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from league.accounts.models import Membership
from league.live import events
from league.live.models import MAX_SLIDE_SECONDS, MIN_SLIDE_SECONDS, OfficeScreen, ScreenPairing
from league.reactions import Reactions
from league.web.errors import LeagueError

PAIRING_MINUTES = 10
# Pairings nobody used are deleted this long after they expire.
PAIRING_CLEANUP_AFTER = timedelta(days=1)
CODE_LENGTH = 6
# No 0/O, 1/I/L: codes are read off a TV across a room and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TOKEN_BYTES = 32
MAX_NAME_LENGTH = 80


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ABC234 -> ABC-234, easier to read aloud."""
    return f"{code[:3]}-{code[3:]}"


def clean_code(raw: str) -> str:
    code = re.sub(r"[^A-Za-z0-9]", "", raw).upper()
    if len(code) != CODE_LENGTH:
        raise LeagueError(
            f"Enter the {CODE_LENGTH}-character code shown on the TV, like ABC-234.", status=422
        )
    return code


def clean_screen_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        return "Office screen"
    if len(name) > MAX_NAME_LENGTH:
        raise LeagueError(f"Keep the name under {MAX_NAME_LENGTH} characters.", status=422)
    return name


def clean_slide_seconds(raw: str) -> int:
    try:
        seconds = int(raw)
    except ValueError:
        seconds = 0
    if not MIN_SLIDE_SECONDS <= seconds <= MAX_SLIDE_SECONDS:
        raise LeagueError(
            f"Slides change every {MIN_SLIDE_SECONDS} to {MAX_SLIDE_SECONDS} seconds.", status=422
        )
    return seconds


async def find_screen(token: str | None) -> OfficeScreen | None:
    """The paired, unrevoked screen holding `token`, or None."""
    if not token:
        return None
    return await OfficeScreen.get_or_none(token_hash=token_hash(token), revoked_at=None)


async def start_pairing(token: str | None, now: datetime) -> tuple[str, ScreenPairing]:
    """The code this TV shows, and its token (a new one if it had none or its code expired).

    A fresh token per code means a revoked screen's old token never comes back to life.
    """
    if token:
        current = await ScreenPairing.get_or_none(device_token_hash=token_hash(token))
        if current is not None and current.expires_at > now:
            return token, current
    await ScreenPairing.filter(expires_at__lt=now - PAIRING_CLEANUP_AFTER).delete()
    if token:
        await ScreenPairing.filter(device_token_hash=token_hash(token)).delete()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = now + timedelta(minutes=PAIRING_MINUTES)
    while True:
        try:
            pairing = await ScreenPairing.create(
                code=new_code(), device_token_hash=token_hash(token), expires_at=expires_at
            )
            return token, pairing
        except IntegrityError:
            continue  # that code is showing on another TV right now; draw again


async def is_pairing_pending(token: str | None, now: datetime) -> bool:
    if not token:
        return False
    return await ScreenPairing.exists(device_token_hash=token_hash(token), expires_at__gt=now)


async def number_screen_name(team_id: int, name: str) -> str:
    """Two screens of a team never share a name: a second "Sales floor" becomes
    "Sales floor 2", so the list and the unpair buttons say which TV is which."""
    names: list[Any] = await OfficeScreen.filter(team_id=team_id, revoked_at=None).values_list(
        "name", flat=True
    )
    taken = {str(name) for name in names}
    if name not in taken:
        return name
    number = 2
    while f"{name} {number}" in taken:
        number += 1
    return f"{name} {number}"


async def pair_screen(
    coach: Membership, raw_code: str, raw_name: str, now: datetime
) -> OfficeScreen:
    """Bind the TV showing `raw_code` to the coach's team."""
    code = clean_code(raw_code)
    name = clean_screen_name(raw_name)
    async with in_transaction():
        name = await number_screen_name(coach.team_id, name)  # type: ignore[attr-defined]
        pairing = await ScreenPairing.get_or_none(code=code, expires_at__gt=now)
        if pairing is None:
            raise LeagueError(
                "That code doesn't match a TV waiting to pair. Codes change every "
                f"{PAIRING_MINUTES} minutes: check the TV and try the code it shows now.",
                status=422,
            )
        screen = await OfficeScreen.create(
            organisation_id=coach.organisation_id,  # type: ignore[attr-defined]
            team_id=coach.team_id,  # type: ignore[attr-defined]
            name=name,
            token_hash=pairing.device_token_hash,
            paired_by=coach,
            last_seen_at=now,
        )
        await pairing.delete()
    return screen


async def create_linked_screen(coach: Membership, raw_name: str) -> tuple[OfficeScreen, str]:
    """A screen of the coach's team and the token of its secret link (shown only once).

    For a TV nobody can read a code from, or a signage player that opens a fixed address
    at every start: the link itself pairs the browser that opens it.
    """
    name = await number_screen_name(coach.team_id, clean_screen_name(raw_name))  # type: ignore[attr-defined]
    token = secrets.token_urlsafe(TOKEN_BYTES)
    screen = await OfficeScreen.create(
        organisation_id=coach.organisation_id,  # type: ignore[attr-defined]
        team_id=coach.team_id,  # type: ignore[attr-defined]
        name=name,
        token_hash=token_hash(token),
        paired_by=coach,
    )
    return screen, token


async def list_screens(team_id: int) -> list[OfficeScreen]:
    return await OfficeScreen.filter(team_id=team_id, revoked_at=None).order_by("name", "id")


async def revoke_screen(screen: OfficeScreen, now: datetime, reactions: Reactions) -> None:
    screen.revoked_at = now
    screen.token_hash = None
    await screen.save(update_fields=["revoked_at", "token_hash"])
    await events.publish_screen_revoked(reactions, screen.team_id, screen.id)  # type: ignore[attr-defined]


async def set_slide_seconds(screen: OfficeScreen, raw: str, reactions: Reactions) -> OfficeScreen:
    screen.slide_seconds = clean_slide_seconds(raw)
    await screen.save(update_fields=["slide_seconds"])
    await events.publish_screen_settings(reactions, screen.team_id, screen.id)  # type: ignore[attr-defined]
    return screen


async def mark_seen(screen: OfficeScreen, now: datetime) -> None:
    await OfficeScreen.filter(id=screen.id).update(last_seen_at=now)
