"""Extra practice: a drill a manager sets one rep, privately, for one of their focus skills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from league.accounts.models import Membership
from league.clips.models import Take
from league.coaching.models import ExtraPractice
from league.playbook.models import Drill
from league.web.errors import LeagueError

EXTRA_PRACTICE_POINTS = 5  # per drill done; private, never in the standings
MAX_OPEN_EXTRA_PRACTICE = 3


@dataclass(frozen=True)
class PracticeItem:
    assignment: ExtraPractice
    done: bool


@dataclass(frozen=True)
class PracticeList:
    items: list[PracticeItem]

    @property
    def points(self) -> int:
        return EXTRA_PRACTICE_POINTS * sum(1 for item in self.items if item.done)

    @property
    def open_items(self) -> list[PracticeItem]:
        return [item for item in self.items if not item.done]


async def list_extra_practice(member_id: int) -> PracticeList:
    """The rep's extra practice, newest first, each done once a take of it was kept after."""
    assignments = (
        await ExtraPractice.filter(member_id=member_id)
        .select_related("drill")
        .order_by("-assigned_at", "-id")
    )
    takes: list[Any] = await Take.filter(
        member_id=member_id,
        deleted_at=None,
        drill_id__in=[a.drill.id for a in assignments],
    ).values_list("drill_id", "created_at")
    return PracticeList(
        [
            PracticeItem(a, any(d == a.drill.id and made >= a.assigned_at for d, made in takes))
            for a in assignments
        ]
    )


async def assign_extra_practice(
    rep: Membership, drill_id: int, skill: str, now: datetime
) -> ExtraPractice:
    team_id: int = rep.team_id  # type: ignore[attr-defined]
    drill = await Drill.get_or_none(id=drill_id, team_id=team_id, archived_at=None)
    if drill is None:
        raise LeagueError("Pick one of the team's drills.")
    if len((await list_extra_practice(rep.id)).open_items) >= MAX_OPEN_EXTRA_PRACTICE:
        raise LeagueError(
            f"{rep.user.name} already has {MAX_OPEN_EXTRA_PRACTICE} drills to practise: "
            "let them finish one first."
        )
    return await ExtraPractice.create(
        team_id=team_id, member=rep, drill=drill, skill=skill.strip()[:200], assigned_at=now
    )
