"""Password reset without email: an admin or manager makes a one-time link for a member
who forgot their password and hands it over (chat, in person). The link works once,
for RESET_LINK_HOURS, and setting the new password signs the member out everywhere else.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from league.accounts.models import Membership, PasswordReset, Session
from league.accounts.passwords import hash_password
from league.accounts.service import ValidationError, check_password_strength, token_hash
from league.web.errors import LeagueError, NotFound

RESET_LINK_HOURS = 24


async def create_reset_link(actor: Membership, member: Membership, now: datetime) -> str:
    """A new one-time token for `member` (permission already checked); earlier unused links
    for them stop working, so only the newest one handed over is live."""
    token = secrets.token_urlsafe(32)
    async with in_transaction():
        await PasswordReset.filter(membership_id=member.id, used_at__isnull=True).delete()
        await PasswordReset.create(
            membership=member,
            token_hash=token_hash(token),
            created_by=actor,
            expires_at=now + timedelta(hours=RESET_LINK_HOURS),
        )
    return token


async def find_reset(token: str, now: datetime) -> PasswordReset:
    reset = await PasswordReset.get_or_none(token_hash=token_hash(token)).select_related(
        "membership__user"
    )
    if reset is None:
        raise NotFound("This reset link isn't valid. Ask your manager for a new one.")
    if reset.used_at is not None:
        raise LeagueError("This reset link has already been used. Ask for a new one.", status=410)
    if reset.expires_at <= now:
        raise LeagueError(
            f"This reset link has expired (links last {RESET_LINK_HOURS} hours). "
            "Ask your manager for a new one.",
            status=410,
        )
    if not reset.membership.is_active:
        raise LeagueError("This account is deactivated. Ask your manager.", status=403)
    return reset


async def use_reset(token: str, new: str, confirm: str, now: datetime) -> Membership:
    """Set the new password and use the link up; returns the member to sign in."""
    if new != confirm:
        raise ValidationError("The new passwords don't match.")
    check_password_strength(new)
    async with in_transaction():
        reset = await find_reset(token, now)
        # Claim the link atomically: a second tab with the same link gets nothing.
        claimed = await PasswordReset.filter(id=reset.id, used_at__isnull=True).update(used_at=now)
        if not claimed:
            raise LeagueError("This reset link has already been used.", status=410)
        user = reset.membership.user
        user.password_hash = hash_password(new)
        await user.save(update_fields=["password_hash"])
        await Session.filter(membership__user_id=user.id).delete()
    return reset.membership
