"""What a submission or a review just earned, for the moment right after it is sent.

Read only: the points themselves are worked out by `service` from the same rules
(`points.py`); these say which of those rules the member has just met, and what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from league.clips.models import Entry
from league.playbook.models import Drill
from league.reviews.flags import is_short_text
from league.reviews.models import Review, ReviewStatus
from league.seasons.models import Round
from league.standings.points import PointsWeights
from league.standings.race import load_race


@dataclass(frozen=True)
class NextDrill:
    id: int
    title: str


@dataclass(frozen=True)
class SubmitMoment:
    round_number: int
    entries: int  # the member's entries in the round, this one included
    drills: int
    first_of_round: bool  # this entry earned the round's showing-up points
    showing_up_points: int
    streak: int  # rounds in a row with an entry, this one included
    entered: int  # team members in the round so far
    total: int
    next_drill: NextDrill | None


@dataclass(frozen=True)
class ReviewMoment:
    done: int  # peer reviews sent this round, this one included
    assigned: int
    points: int  # what this review adds (0 when the kudos is too short to count)

    @property
    def waiting(self) -> int:
        return self.assigned - self.done


async def load_submit_moment(
    round_: Round, member_id: int, weights: PointsWeights
) -> SubmitMoment | None:
    race = await load_race(round_)
    row = race.row_for(member_id) if race else None
    if race is None or row is None:
        return None
    return SubmitMoment(
        round_number=round_.number,
        entries=row.entries,
        drills=row.drills,
        first_of_round=row.entries == 1,
        showing_up_points=weights.showing_up,
        streak=row.streak,
        entered=race.entered,
        total=race.total,
        next_drill=await find_next_drill(round_.id, member_id),
    )


async def find_next_drill(round_id: int, member_id: int) -> NextDrill | None:
    """The round's first drill the member has no standing entry for yet."""
    entered: list[Any] = await Entry.filter(
        round_id=round_id, member_id=member_id, withdrawn_at=None
    ).values_list("drill_id", flat=True)
    drill = await Drill.filter(rounds__id=round_id).exclude(id__in=entered).order_by("id").first()
    return NextDrill(drill.id, drill.title) if drill else None


async def load_review_moment(review: Review, weights: PointsWeights) -> ReviewMoment:
    """Peer reviews only: a manager's judgement never counts toward "2 of 3"."""
    statuses: list[Any] = await Review.filter(
        reviewer_id=review.reviewer_id,  # type: ignore[attr-defined]
        round_id=review.round_id,  # type: ignore[attr-defined]
        is_judgement=False,
        entry__withdrawn_at=None,
    ).values_list("status", flat=True)
    done = sum(1 for status in statuses if status == ReviewStatus.SUBMITTED)
    counts = not is_short_text(review.kudos)
    return ReviewMoment(done, len(statuses), weights.per_review if counts else 0)
