"""The one way every feature announces a change that live views should show.

Call `await publish_team_change(reactions, team_id, "review")` right after the write has
committed (a submission, a review, a judgement, a coach's pick, results, a round opening).
`reactions` are the app's (`reactions_of(request)` in a handler, `context.reactions` in a
job). Live phones and office screens of that team re-render within a second.
"""

from __future__ import annotations

import logging

from league.accounts.models import Team
from league.live.broker import TAKE_FEEDBACK_KIND, Event
from league.reactions import Reactions

logger = logging.getLogger(__name__)


async def publish_team_change(reactions: Reactions, team_id: int, kind: str) -> None:
    """Tell every live view of the team that `kind` changed (call after the commit)."""
    await publish(reactions, team_id, kind)


async def publish_screen_revoked(reactions: Reactions, team_id: int, screen_id: int) -> None:
    """Disconnect a revoked office screen in every process."""
    await publish(reactions, team_id, "screen_revoked", screen_id)


async def publish_screen_settings(reactions: Reactions, team_id: int, screen_id: int) -> None:
    """Send a screen its new settings (slide interval) without a reload."""
    await publish(reactions, team_id, "screen_settings", screen_id)


async def publish_reveal(reactions: Reactions, team_id: int) -> None:
    """Start the results reveal on the team's office screens."""
    await publish(reactions, team_id, "reveal")


async def publish_session_ended(reactions: Reactions, team_id: int, session_id: int) -> None:
    """Close the live sockets one browser opened with a session that just ended."""
    await publish(reactions, team_id, "session_ended", session_id=session_id)


async def publish_member_signed_out(
    reactions: Reactions, team_id: int, member_id: int, keep_session_id: int | None = None
) -> None:
    """Close every live socket of a member (but those of `keep_session_id`'s browser).

    After a password change, deactivation or role change: the pages reload, and either
    sign in again or render what the member's new role may see.
    """
    await publish(
        reactions, team_id, "member_signed_out", member_id=member_id, session_id=keep_session_id
    )


async def publish_take_feedback(
    reactions: Reactions, team_id: int, member_id: int, take_id: int
) -> None:
    """Send a take's delivery feedback to its rep's open take screens, and nobody else's."""
    await publish(reactions, team_id, TAKE_FEEDBACK_KIND, member_id=member_id, take_id=take_id)


async def publish(
    reactions: Reactions,
    team_id: int,
    kind: str,
    screen_id: int | None = None,
    member_id: int | None = None,
    session_id: int | None = None,
    take_id: int | None = None,
) -> None:
    broker = reactions.broker
    if broker is None:
        logger.debug("no live broker running; %s for team %s not published", kind, team_id)
        return
    organisation_id = await Team.filter(id=team_id).values_list("organisation_id", flat=True)
    if not organisation_id:
        return
    event = Event(
        organisation_id=int(organisation_id[0]),  # type: ignore[call-overload]
        team_id=team_id,
        version=await broker.next_version(team_id),
        kind=kind,
        screen_id=screen_id,
        member_id=member_id,
        session_id=session_id,
        take_id=take_id,
    )
    await broker.publish(event)
