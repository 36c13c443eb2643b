"""The season page's actions panel: every move a manager can make on the season, in one
place, with the one the week needs next first."""

from __future__ import annotations

from dataclasses import dataclass

from league.reviews.judging import count_judged
from league.seasons.models import RoundState
from league.seasons.service import RoundRow

UNDER_WAY = (RoundState.OPEN, RoundState.REVIEWING, RoundState.REVIEWS_CLOSED)


@dataclass(frozen=True)
class SeasonPanel:
    current: RoundRow | None  # the round under way: open, reviewing or reviews closed
    upcoming: RoundRow | None  # the next planned round
    judged: int  # entries of the current round with the manager's judgement sent
    # Move names in the order the page offers them, the next move first: "nudge", "judge",
    # "reveal", an early move ("close_submissions", "publish_results"), "extend", "plan",
    # "standings".
    moves: list[str]

    @property
    def focus(self) -> RoundRow | None:
        """The one round the page keeps unfolded."""
        return self.current or self.upcoming


def find_current_and_upcoming(rows: list[RoundRow]) -> tuple[RoundRow | None, RoundRow | None]:
    current = next((row for row in rows if row.round.state in UNDER_WAY), None)
    upcoming = next((row for row in rows if row.round.state == RoundState.PLANNED), None)
    return current, upcoming


def list_moves(current: RoundRow | None, upcoming: RoundRow | None, judged: int) -> list[str]:
    """What the manager can do now, the next move first."""
    if current is None:
        if upcoming is None:
            return ["standings"]
        return ["plan", *(["extend"] if upcoming.extendable else [])]
    early = [name for name, _ in current.early_moves]
    extend = ["extend"] if current.extendable else []
    plan = ["plan"] if upcoming else []
    if current.round.state == RoundState.OPEN:
        return ["nudge", *early, *extend, *plan]
    if current.entry_count == 0:  # nobody entered: nothing to judge or reveal
        return [*early, *extend, *plan]
    judging = ["judge", "reveal"]
    if judged >= current.entry_count:  # every clip judged: publishing is what is left
        return [*early, *judging, *extend, *plan]
    return [*judging, *early, *extend, *plan]


async def load_panel(rows: list[RoundRow]) -> SeasonPanel:
    current, upcoming = find_current_and_upcoming(rows)
    judged = await count_judged(current.round.id) if current else 0
    return SeasonPanel(current, upcoming, judged, list_moves(current, upcoming, judged))
