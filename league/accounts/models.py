"""Organisations, teams, people and how they sign in."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Roles that may run a team: build drills, run seasons, judge, invite.
COACHING_ROLES = (Role.MANAGER, Role.ADMIN)


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    created_at = fields.DatetimeField(auto_now_add=True)

    teams: fields.ReverseRelation[Team]

    class Meta:
        table = "organisation"


class Team(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="teams", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=120)
    time_zone = fields.CharField(max_length=64, default="UTC")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "team"
        ordering = ["name"]


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=120)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user"


class Membership(Model):
    """A member: one person in one organisation's team, with a role.

    Deactivating keeps the row (and everything the member made) but stops sign-in.
    """

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="memberships", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="memberships", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(Role, max_length=16, default=Role.REP)
    is_active = fields.BooleanField(default=True)
    joined_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        unique_together = (("user", "organisation"),)

    @property
    def is_coach(self) -> bool:
        return self.role in COACHING_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Invitation(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="invitations", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="invitations", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(Role, max_length=16, default=Role.REP)
    email = fields.CharField(max_length=254, default="")
    # Only a hash is stored: the link itself is shown once to the person inviting.
    token_hash = fields.CharField(max_length=64, unique=True)
    invited_by: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="invitations_sent", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "invitation"


class PasswordReset(Model):
    """A one-time link to set a new password, made by an admin or manager for a member who
    forgot theirs: no email needed. Only the token's hash is stored; the link is shown once."""

    id = fields.IntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="password_resets", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_by: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="resets_made", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "password_reset"


class Session(Model):
    """A signed-in browser. Deleting the row signs that browser out everywhere it matters."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "session"


class SignInThrottle(Model):
    """Failed sign-ins per email address, so guessing passwords gets slow, then refused."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=254, unique=True)
    failures = fields.IntField(default=0)
    window_started_at = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "signin_throttle"
