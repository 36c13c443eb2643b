"""Who may see or act on what: the one rule every loader goes through.

Admins act on every team of their organisation, managers and reps on their own team, and
reps act only on their own things (takes, entries, reviews, devices). Something outside
what a member may see does not exist for them: another organisation's object, or another
team's for a manager, is a 404, never a 403. A rep asking for a manager's action gets a
403, because the page exists and they may well be on it by mistake.

Loaders build their queries from `team_scope` (and `own_scope`), so a new loader inherits
the rule instead of restating it.
"""

from __future__ import annotations

from typing import Any

from tortoise.queryset import QuerySet

from league.accounts.models import Invitation, Membership, Role, Team
from league.web.errors import Forbidden, LeagueError, found_or_404

MANAGERS_ONLY = "This page is for managers and admins."


def team_scope(member: Membership, via: str = "team") -> dict[str, Any]:
    """Query filters for the rows of the teams `member` may see.

    `via` names the model's team relation ("team", or e.g. "round__team"); an empty `via`
    filters Team rows themselves.
    """
    if member.is_admin:
        key = f"{via}__organisation_id" if via else "organisation_id"
        return {key: member.organisation_id}  # type: ignore[attr-defined]
    return {f"{via}_id" if via else "id": member.team_id}  # type: ignore[attr-defined]


def visible_teams(member: Membership) -> QuerySet[Team]:
    return Team.filter(**team_scope(member, via=""))


def own_scope(member: Membership, via: str = "member") -> dict[str, Any]:
    """Query filters for a member's own rows (their takes, entries, devices)."""
    return {f"{via}_id": member.id}


def ensure_coach(member: Membership) -> None:
    """Managers and admins only: a rep on a manager action gets 403."""
    if not member.is_coach:
        raise Forbidden(MANAGERS_ONLY)


async def can_coach_team(member: Membership, team_id: int) -> bool:
    """Whether `member` runs team `team_id`: their own as a manager, any of theirs as admin."""
    if not member.is_coach:
        return False
    return await visible_teams(member).filter(id=team_id).exists()


async def get_team_for_coach(coach: Membership, team_id: int) -> Team:
    ensure_coach(coach)
    return await found_or_404(visible_teams(coach).get_or_none(id=team_id))


async def list_teams_for_coach(coach: Membership) -> list[Team]:
    ensure_coach(coach)
    return await visible_teams(coach)


async def get_membership_for_coach(coach: Membership, membership_id: int) -> Membership:
    ensure_coach(coach)
    other = Membership.get_or_none(id=membership_id, **team_scope(coach))
    return await found_or_404(other.select_related("user", "team"))


async def get_membership_for_member(member: Membership, membership_id: int) -> Membership:
    """A member of the viewer's team (any team of the organisation for admins)."""
    other = Membership.get_or_none(id=membership_id, **team_scope(member))
    return await found_or_404(other.select_related("user", "team"))


async def get_invitation_for_coach(coach: Membership, invitation_id: int) -> Invitation:
    ensure_coach(coach)
    return await found_or_404(Invitation.get_or_none(id=invitation_id, **team_scope(coach)))


async def get_member_for_reset(coach: Membership, membership_id: int) -> Membership:
    """Whom `coach` may make a password reset link for: anyone else they coach (an admin,
    their organisation; a manager, their own team), but only an admin resets an admin.
    Someone they do not coach is not found."""
    other = await get_membership_for_coach(coach, membership_id)
    if other.id == coach.id:
        raise Forbidden("To change your own password, use Change password on the Me tab.")
    if other.role == Role.ADMIN and not coach.is_admin:
        raise Forbidden("Only an admin can make a reset link for an admin.")
    if not other.is_active:
        raise LeagueError("Reactivate this member before making them a reset link.")
    return other
