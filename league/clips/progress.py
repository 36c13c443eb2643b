"""A member's progress on each drill, for the Drills tab: in this round's entry, practised
(private takes only), or not tried yet. Read only, one query per table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from league.clips.models import Entry, Take
from league.seasons.models import Round, RoundState


class DrillProgress(StrEnum):
    DONE = "done"  # a standing entry in the open round
    PRACTISED = "practised"
    NOT_TRIED = "not_tried"

    @property
    def label(self) -> str:
        return {
            DrillProgress.DONE: "Done this round",
            DrillProgress.PRACTISED: "Practised",
            DrillProgress.NOT_TRIED: "Not tried yet",
        }[self]


@dataclass(frozen=True)
class DrillsProgress:
    takes: Counter[int]  # drill id -> the member's takes
    entered: set[int]  # drill ids with a standing entry in the open round
    in_round: set[int]  # drill ids of the open round

    def of(self, drill_id: int) -> DrillProgress:
        if drill_id in self.entered:
            return DrillProgress.DONE
        return DrillProgress.PRACTISED if self.takes[drill_id] else DrillProgress.NOT_TRIED

    def summary(self, drill_ids: list[int]) -> list[tuple[DrillProgress, int]]:
        """How many of these drills are done this round, practised, not tried."""
        return [
            (progress, sum(1 for drill_id in drill_ids if self.of(drill_id) is progress))
            for progress in DrillProgress
        ]


async def load_drills_progress(member_id: int, team_id: int) -> DrillsProgress:
    drill_ids: list[Any] = await Take.filter(member_id=member_id, deleted_at=None).values_list(
        "drill_id", flat=True
    )
    open_round = await Round.filter(team_id=team_id, state=RoundState.OPEN).first()
    entered: list[Any] = []
    in_round: list[Any] = []
    if open_round is not None:
        entered = await Entry.filter(
            round_id=open_round.id, member_id=member_id, withdrawn_at=None
        ).values_list("drill_id", flat=True)
        in_round = await open_round.drills.all().values_list("id", flat=True)
    return DrillsProgress(
        takes=Counter(int(drill_id) for drill_id in drill_ids),
        entered={int(drill_id) for drill_id in entered},
        in_round={int(drill_id) for drill_id in in_round},
    )
