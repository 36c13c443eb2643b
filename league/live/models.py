"""Office screens (TVs paired to a team) and who lets their kudos be quoted."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Membership, Organisation, Team

DEFAULT_SLIDE_SECONDS = 20
MIN_SLIDE_SECONDS = 10
MAX_SLIDE_SECONDS = 60


class OfficeScreen(Model):
    """A TV showing a team's live standings. Read-only: it has a token, not an account.

    Only a hash of the TV's token is kept. Revoking clears it, so the TV falls back to
    showing a pairing code.
    """

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="office_screens", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="office_screens", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=80)
    token_hash = fields.CharField(max_length=64, unique=True, null=True)
    slide_seconds = fields.IntField(default=DEFAULT_SLIDE_SECONDS)
    paired_by: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="paired_screens", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "office_screen"
        ordering = ["name", "id"]
        indexes = (("team_id", "revoked_at"),)


class ScreenPairing(Model):
    """A short code a TV shows until a manager enters it, binding the TV to their team.

    `device_token_hash` is the hash of the long-lived token already in the TV's cookie;
    pairing copies it to the new OfficeScreen, so the TV needs nothing more from anyone.
    """

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=8, unique=True)
    device_token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "screen_pairing"
        indexes = (("expires_at",),)


class KudosSharing(Model):
    """A member's consent to have the kudos they write quoted in feeds and on screens.

    No row means no: kudos are then mentioned, never quoted.
    """

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Membership] = fields.OneToOneField(
        "models.Membership", related_name="kudos_sharing", on_delete=fields.CASCADE
    )
    allow_quotes = fields.BooleanField(default=False)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "kudos_sharing"
