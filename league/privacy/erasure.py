"""Erase a member: their clips and entries go, the reviews they wrote stay but anonymous.

The membership row is kept as a nameless "former member" so reviews they wrote keep
counting for the reps they reviewed; everything that identified them (name, email,
password, sessions, push subscriptions, notifications, sales metrics, focus skills and
1:1 notes) is deleted. Entries they made go with the reviews others wrote of them, so
every season of their team is scored again from the reviews that remain: the standings
equal a full recompute.
"""

from __future__ import annotations

import logging
import secrets

from tortoise.transactions import in_transaction

from league.accounts.models import Membership, Role, Session, User
from league.accounts.service import ensure_another_admin
from league.clips.models import Entry, Take
from league.clips.storage import Storage
from league.coaching.models import ExtraPractice, FocusSkill, OneOnOne, SalesMetrics
from league.live.models import KudosSharing
from league.push.models import Notification, PushPreference, PushSubscription
from league.reactions import Reactions
from league.reviews.round_scores import score_round
from league.seasons.models import Round, RoundState, Season
from league.settings import Settings
from league.standings.models import Award, RoundPoints, SeasonStanding
from league.standings.points import PointsWeights
from league.standings.service import rebuild_season
from league.web.errors import LeagueError

logger = logging.getLogger(__name__)

FORMER_MEMBER_NAME = "Former member"
SCORED_STATES = (RoundState.REVIEWING, RoundState.REVIEWS_CLOSED, RoundState.RESULTS)


async def erase_member(
    storage: Storage,
    admin: Membership,
    member: Membership,
    settings: Settings,
    reactions: Reactions,
) -> None:
    if member.id == admin.id:
        raise LeagueError("You can't delete yourself. Ask another admin.")
    if member.role == Role.ADMIN:
        await ensure_another_admin(member)
    storage_keys = await forget_member(member)
    # After the commit: a clip whose row is gone is never served, even if a delete fails.
    for key in storage_keys:
        await storage.delete(key)
    for season in await Season.filter(team_id=member.team_id):  # type: ignore[attr-defined]
        await rescore_season(season.id, settings, reactions)
    logger.info("member %s erased by admin %s", member.id, admin.id)


async def forget_member(member: Membership) -> list[str]:
    """Delete what identifies the member in one transaction; returns their clips' keys."""
    async with in_transaction():
        keys = list(await Take.filter(member_id=member.id).values_list("storage_key", flat=True))
        # Entries first: an entry's take may not be deleted while the entry points at it.
        await Entry.filter(member_id=member.id).delete()
        await Take.filter(member_id=member.id).delete()
        owned_models = (
            RoundPoints,
            SeasonStanding,
            Award,
            PushSubscription,
            PushPreference,
            Notification,
            KudosSharing,
            SalesMetrics,
            FocusSkill,
            OneOnOne,
            ExtraPractice,
        )
        for model in owned_models:
            await model.filter(member_id=member.id).delete()
        await Session.filter(membership_id=member.id).delete()
        await anonymise(member)
    return [str(key) for key in keys]


async def anonymise(member: Membership) -> None:
    user_id = member.user_id  # type: ignore[attr-defined]
    former = await User.create(
        email=f"former-member-{secrets.token_hex(8)}@erased.invalid",
        name=FORMER_MEMBER_NAME,
        password_hash="!",  # matches no password
    )
    await Membership.filter(id=member.id).update(user_id=former.id, is_active=False, role=Role.REP)
    if not await Membership.filter(user_id=user_id).exists():
        await User.filter(id=user_id).delete()


async def rescore_season(season_id: int, settings: Settings, reactions: Reactions) -> None:
    """Entry scores of every scored round, oldest first, then the season table from them."""
    rounds = await Round.filter(season_id=season_id, state__in=SCORED_STATES).order_by("number")
    for round_ in rounds:
        await score_round(round_.id)
    await rebuild_season(season_id, PointsWeights.from_settings(settings), reactions)
