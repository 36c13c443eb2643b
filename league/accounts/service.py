"""Sign-up, sign-in, sessions, invitations and member management. No Request in here."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from tortoise.functions import Count, Lower
from tortoise.transactions import in_transaction

from league.accounts import throttle
from league.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Role,
    Session,
    Team,
    User,
)
from league.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from league.web.errors import Forbidden, LeagueError, NotFound

SESSION_DAYS = 30
INVITATION_DAYS = 7
MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 1024
WRONG_DETAILS = "That email and password don't match. Please try again."
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ValidationError(LeagueError):
    status = 422


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(email):
        raise ValidationError("Please enter a valid email address, like name@company.com.")
    return email


def clean_name(name: str, what: str = "Your name") -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(f"{what} can't be empty.")
    if len(name) > 120:
        raise ValidationError(f"{what} is too long (120 characters at most).")
    return name


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.")


def clean_time_zone(time_zone: str) -> str:
    if time_zone not in available_timezones():
        raise ValidationError(f"{time_zone!r} is not a time zone we know, e.g. Europe/London.")
    return time_zone


async def ensure_email_free(email: str) -> None:
    if await User.exists(email=email):
        raise ValidationError("An account with this email already exists. Try signing in.")


# --- Sign-up and sign-in ----------------------------------------------------------


async def sign_up(
    organisation_name: str,
    team_name: str,
    name: str,
    email: str,
    password: str,
    time_zone: str = "UTC",
) -> Membership:
    """Create an organisation, its first team and its first admin."""
    organisation_name = clean_name(organisation_name, "The organisation's name")
    team_name = clean_name(team_name, "The team's name")
    name = clean_name(name)
    email = clean_email(email)
    time_zone = clean_time_zone(time_zone)
    check_password_strength(password)
    await ensure_email_free(email)
    async with in_transaction():
        organisation = await Organisation.create(name=organisation_name)
        team = await Team.create(organisation=organisation, name=team_name, time_zone=time_zone)
        user = await User.create(email=email, name=name, password_hash=hash_password(password))
        return await Membership.create(
            user=user, organisation=organisation, team=team, role=Role.ADMIN
        )


async def authenticate(
    email: str, password: str, now: datetime, address: str = "", slowdown_seconds: float = 1.0
) -> Membership:
    """Check a sign-in from client `address`. Raises LeagueError (wrong details) or
    TooManyRequests (locked; see `throttle` for the rules)."""
    key = email.strip().lower()
    if len(key) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        raise LeagueError(WRONG_DETAILS, status=400)
    attempt = throttle.Attempt.of(key, address)
    account_failures = await throttle.begin_attempt(attempt, now)
    user = await User.get_or_none(email=key)
    # An unknown address costs one hash too, so timing doesn't reveal who has an account.
    stored_hash = user.password_hash if user else unknown_user_hash()
    # Hashing is CPU work on purpose: keep it off the event loop.
    if not await asyncio.to_thread(verify_password, stored_hash, password) or user is None:
        await asyncio.sleep(throttle.slowdown_steps(account_failures) * slowdown_seconds)
        raise LeagueError(WRONG_DETAILS, status=400)
    await throttle.succeeded(attempt)
    membership = await active_membership_for(user)
    if membership is None:
        raise LeagueError(
            "This account has been deactivated. Ask your manager if you need it back.", status=403
        )
    return membership


@lru_cache(maxsize=1)
def unknown_user_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


async def active_membership_for(user: User) -> Membership | None:
    return (
        await Membership.filter(user=user, is_active=True)
        .select_related("user", "team", "organisation")
        .order_by("id")
        .first()
    )


# --- Sessions ------------------------------------------------------------------------


async def start_session(membership: Membership, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    await Session.create(
        token_hash=token_hash(token),
        membership=membership,
        expires_at=now + timedelta(days=SESSION_DAYS),
    )
    return token


async def load_session(token: str, now: datetime) -> Session | None:
    """The live session of `token` (its member active), with the member loaded; else None."""
    session = await Session.get_or_none(token_hash=token_hash(token)).select_related(
        "membership__user", "membership__team", "membership__organisation"
    )
    if session is None or session.expires_at <= now or not session.membership.is_active:
        return None
    return session


async def end_session(token: str) -> None:
    await Session.filter(token_hash=token_hash(token)).delete()


# --- Passwords -----------------------------------------------------------------------


async def change_password(
    user: User, current: str, new: str, confirm: str, keep_session: str | None = None
) -> None:
    """Set a new password and sign the person out everywhere but `keep_session`'s browser."""
    if not verify_password(user.password_hash, current):
        raise ValidationError("Your current password isn't right. Please try again.")
    if new != confirm:
        raise ValidationError("The new passwords don't match.")
    check_password_strength(new)
    user.password_hash = hash_password(new)
    await user.save(update_fields=["password_hash"])
    others = Session.filter(membership__user_id=user.id)
    if keep_session:
        others = others.exclude(token_hash=token_hash(keep_session))
    await others.delete()


# --- Invitations ---------------------------------------------------------------------


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str


async def create_invitation(
    inviter: Membership, team: Team, role: Role, email: str, now: datetime
) -> NewInvitation:
    if role == Role.ADMIN and not inviter.is_admin:
        raise Forbidden("Only an admin can invite another admin.")
    email = clean_email(email) if email.strip() else ""
    token = secrets.token_urlsafe(24)
    invitation = await Invitation.create(
        organisation_id=inviter.organisation_id,  # type: ignore[attr-defined]
        team=team,
        role=role,
        email=email,
        token_hash=token_hash(token),
        invited_by=inviter,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    return NewInvitation(invitation, token)


async def find_invitation(token: str, now: datetime) -> Invitation:
    invitation = await Invitation.get_or_none(token_hash=token_hash(token)).select_related(
        "team", "organisation"
    )
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound("This invitation link isn't valid. Ask your manager for a new one.")
    if invitation.accepted_at is not None:
        raise LeagueError(
            "This invitation has already been used. Sign in, or ask for a new link.", status=410
        )
    if invitation.expires_at <= now:
        raise LeagueError(
            "This invitation has expired (links last 7 days). Ask your manager for a new one.",
            status=410,
        )
    return invitation


async def accept_invitation(
    token: str, name: str, email: str, password: str, now: datetime
) -> Membership:
    name = clean_name(name)
    email = clean_email(email)
    check_password_strength(password)
    async with in_transaction():
        invitation = await find_invitation(token, now)
        if invitation.email and invitation.email != email:
            raise ValidationError(
                f"This invitation is for {invitation.email}. Use that address, "
                "or ask your manager for a new link."
            )
        # Claim the invitation atomically: a second tab using the same link gets nothing.
        claimed = await Invitation.filter(id=invitation.id, accepted_at__isnull=True).update(
            accepted_at=now
        )
        if claimed != 1:
            raise LeagueError("This invitation has already been used.", status=410)
        await ensure_email_free(email)
        user = await User.create(email=email, name=name, password_hash=hash_password(password))
        return await Membership.create(
            user=user,
            organisation=invitation.organisation,
            team=invitation.team,
            role=invitation.role,
        )


async def list_open_invitations(scope: dict[str, Any], now: datetime) -> list[Invitation]:
    """Open invitations within `scope` (filters from `permissions.team_scope`)."""
    return (
        await Invitation.filter(
            **scope,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("team")
        .order_by("-created_at")
    )


async def revoke_invitation(invitation: Invitation, now: datetime) -> None:
    invitation.revoked_at = now
    await invitation.save(update_fields=["revoked_at"])


# --- Members -------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    """One line of the member list, read as values."""

    id: int
    name: str
    role: Role
    is_active: bool
    team_name: str


@dataclass(frozen=True)
class MemberPage:
    members: list[MemberRow]
    total: int
    active: int


MEMBER_ROW_FIELDS = ("id", "user__name", "role", "is_active", "team__name")


async def list_members(scope: dict[str, Any], start: int, count: int) -> MemberPage:
    """A page of the members within `scope` (filters from `permissions.team_scope`), active
    ones first, by name: the database sorts and pages, so a view reads one page of rows."""
    counts = await (
        Membership.filter(**scope)
        .annotate(members=Count("id"))
        .group_by("is_active")
        .values_list("is_active", "members")
    )
    page = await (
        Membership.filter(**scope)
        .annotate(sort_name=Lower("user__name"))
        .order_by("-is_active", "sort_name", "id")
        .offset(start)
        .limit(count)
        .values_list(*MEMBER_ROW_FIELDS)
    )
    return MemberPage(
        members=[member_row(values) for values in page],
        total=sum(int(members) for _, members in counts),
        active=sum(int(members) for is_active, members in counts if is_active),
    )


async def find_member_row(member_id: int) -> MemberRow:
    values = await Membership.get(id=member_id).values_list(*MEMBER_ROW_FIELDS)
    return member_row(values)


def member_row(values: Sequence[Any]) -> MemberRow:
    member_id, name, role, is_active, team_name = values
    return MemberRow(int(member_id), str(name), Role(role), bool(is_active), str(team_name))


async def change_role(actor: Membership, member: Membership, role: Role) -> None:
    if Role.ADMIN in (role, member.role) and not actor.is_admin:
        raise Forbidden("Only an admin can give or take away the admin role.")
    if member.role == Role.ADMIN and role != Role.ADMIN:
        await ensure_another_admin(member)
    member.role = role
    await member.save(update_fields=["role"])


async def set_active(actor: Membership, member: Membership, active: bool) -> None:
    if member.id == actor.id and not active:
        raise LeagueError("You can't deactivate yourself. Ask another admin.")
    if member.role == Role.ADMIN and not actor.is_admin:
        raise Forbidden("Only an admin can deactivate an admin.")
    if not active and member.role == Role.ADMIN:
        await ensure_another_admin(member)
    member.is_active = active
    await member.save(update_fields=["is_active"])
    if not active:
        await Session.filter(membership=member).delete()


async def ensure_another_admin(member: Membership) -> None:
    others = await Membership.filter(
        organisation_id=member.organisation_id,  # type: ignore[attr-defined]
        role=Role.ADMIN,
        is_active=True,
    ).exclude(id=member.id)
    if not others:
        raise LeagueError("Every organisation needs at least one active admin.")
