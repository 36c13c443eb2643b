"""Delivery feedback: saving what the analysis heard, and reading it back.

A take's feedback is private to its rep. Coaches see only team-level figures, and only
from takes that were submitted as entries (`team_delivery`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from league.clips.models import Entry
from league.delivery.analysis import Delivery
from league.delivery.models import AnalysisStatus, MissDispute, TakeAnalysis
from league.web.errors import LeagueError

TREND_TAKES = 10


async def save_delivery(analysis: TakeAnalysis, delivery: Delivery, now: datetime) -> None:
    await TakeAnalysis.filter(id=analysis.id).update(
        status=AnalysisStatus.DONE,
        claimed_until=None,
        words=delivery.words,
        speaking_seconds=delivery.speaking_seconds,
        words_per_minute=delivery.words_per_minute,
        pauses=[[p.start_seconds, p.length_seconds] for p in delivery.pauses],
        key_points=[
            {"text": p.text, "heard": p.heard, "score": p.score} for p in delivery.key_points
        ],
        transcript=delivery.transcript,
        cpu_seconds=delivery.cpu_seconds,
        error="",
        finished_at=now,
    )


# The rep's own feedback


@dataclass(frozen=True)
class KeyPointFeedback:
    index: int
    text: str
    heard: bool
    disputed: bool


@dataclass(frozen=True)
class TakeFeedback:
    take_id: int
    status: AnalysisStatus
    words_per_minute: float | None
    pauses: list[list[float]]
    key_points: list[KeyPointFeedback]

    @property
    def is_pending(self) -> bool:
        return self.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)

    @property
    def heard_count(self) -> int:
        return sum(point.heard for point in self.key_points)


async def feedback_for_takes(take_ids: list[int]) -> dict[int, TakeFeedback]:
    """Feedback by take id; takes without an analysis are left out."""
    analyses = await TakeAnalysis.filter(take_id__in=take_ids).prefetch_related("disputes")
    return {a.take_id: to_feedback(a) for a in analyses}  # type: ignore[attr-defined]


async def feedback_for_take(take_id: int) -> TakeFeedback | None:
    found = await feedback_for_takes([take_id])
    return found.get(take_id)


async def own_feedback_with_trend(
    member_id: int, take_id: int
) -> tuple[TakeFeedback, list[PacePoint]] | None:
    """A finished result on the member's own kept take, with their pace trend, to push to
    their take screen; None while it is pending, or if the take is not theirs or gone."""
    analysis = await TakeAnalysis.get_or_none(
        take_id=take_id,
        member_id=member_id,
        take__deleted_at__isnull=True,
        status__in=(AnalysisStatus.DONE, AnalysisStatus.FAILED),
    ).prefetch_related("disputes")
    if analysis is None:
        return None
    return to_feedback(analysis), await member_pace_trend(member_id)


def to_feedback(analysis: TakeAnalysis) -> TakeFeedback:
    disputed = {dispute.key_point for dispute in analysis.disputes}
    points = [
        KeyPointFeedback(index, str(p["text"]), bool(p["heard"]), str(p["text"]) in disputed)
        for index, p in enumerate(analysis.key_points)
    ]
    return TakeFeedback(
        take_id=analysis.take_id,  # type: ignore[attr-defined]
        status=AnalysisStatus(analysis.status),
        words_per_minute=analysis.words_per_minute,
        pauses=analysis.pauses,
        key_points=points,
    )


async def dispute_miss(take_id: int, index: int, now: datetime) -> None:
    """The rep says they did make key point `index`; kept to improve matching."""
    analysis = await TakeAnalysis.get_or_none(take_id=take_id, status=AnalysisStatus.DONE)
    if analysis is None or not 0 <= index < len(analysis.key_points):
        raise LeagueError("There is no such key point in this take's feedback.", status=404)
    point = analysis.key_points[index]
    if point["heard"]:
        raise LeagueError("That key point was already heard.")
    try:
        await MissDispute.create(analysis=analysis, key_point=str(point["text"]), created_at=now)
    except IntegrityError:
        return  # marked already (a double tap): once is enough


async def export_member_delivery(member_id: int) -> list[dict[str, Any]]:
    """Every delivery result held about the member, oldest first, for their data export:
    pace, pauses, each key point as heard or not sure, the misses they marked, and the
    words the recogniser heard (kept with a marked miss to improve matching)."""
    analyses = (
        await TakeAnalysis.filter(member_id=member_id)
        .select_related("take__drill")
        .prefetch_related("disputes")
        .order_by("created_at", "id")
    )
    return [describe_analysis(analysis) for analysis in analyses]


def describe_analysis(analysis: TakeAnalysis) -> dict[str, Any]:
    marked = {dispute.key_point: dispute.created_at for dispute in analysis.disputes}
    return {
        "take_id": analysis.take.id,
        "drill": analysis.take.drill.title,
        "status": AnalysisStatus(analysis.status).value,
        "analysed_at": analysis.finished_at,
        "words": analysis.words,
        "speaking_seconds": analysis.speaking_seconds,
        "words_per_minute": analysis.words_per_minute,
        "long_pauses": [
            {"start_seconds": start, "length_seconds": length} for start, length in analysis.pauses
        ],
        "key_points": [
            {
                "text": point["text"],
                "result": "heard" if point["heard"] else "not sure",
                "marked_as_said_at": marked.get(str(point["text"])),
            }
            for point in analysis.key_points
        ],
        "heard_words": analysis.transcript,
    }


@dataclass(frozen=True)
class PacePoint:
    label: str
    words_per_minute: float
    takes: int


async def member_pace_trend(member_id: int) -> list[PacePoint]:
    """The member's pace over their last analysed takes, oldest first."""
    rows = (
        await TakeAnalysis.filter(
            member_id=member_id,
            status=AnalysisStatus.DONE,
            words_per_minute__isnull=False,
            take__deleted_at__isnull=True,
        )
        .order_by("-created_at", "-id")
        .limit(TREND_TAKES)
        .values_list("created_at", "words_per_minute")
    )
    return [
        PacePoint(created.strftime("%-d %b"), round(float(wpm)), 1)  # type: ignore[arg-type]
        for created, wpm in reversed(rows)
    ]


# The team, for coaches


@dataclass(frozen=True)
class KeyPointCoverage:
    text: str
    heard: int
    analysed: int

    @property
    def share(self) -> float:
        return self.heard / self.analysed if self.analysed else 0.0


@dataclass(frozen=True)
class TeamDelivery:
    pace_by_round: list[PacePoint]  # label "Round N", average over that round's entries
    coverage: list[KeyPointCoverage]  # most often missed first
    entries_analysed: int


async def team_delivery(team_id: int) -> TeamDelivery:
    """Pace trend by round and key-point coverage over the team's submitted entries.

    Unsubmitted takes stay private to their reps and are never counted here; nor are
    withdrawn entries. The caller checks the viewer may coach the team.
    """
    entries = await Entry.filter(team_id=team_id, withdrawn_at=None).values_list(
        "take_id", "round__number"
    )
    round_of_take = {int(take_id): int(number) for take_id, number in entries}  # type: ignore[call-overload]
    analyses = await TakeAnalysis.filter(
        take_id__in=list(round_of_take), status=AnalysisStatus.DONE
    ).values_list("take_id", "words_per_minute", "key_points")
    return TeamDelivery(
        pace_by_round=pace_by_round(analyses, round_of_take),
        coverage=coverage(analyses),
        entries_analysed=len(analyses),
    )


def pace_by_round(analyses: list[tuple], round_of_take: dict[int, int]) -> list[PacePoint]:  # type: ignore[type-arg]
    paces: dict[int, list[float]] = {}
    for take_id, wpm, _ in analyses:
        if wpm is not None:
            paces.setdefault(round_of_take[take_id], []).append(float(wpm))
    return [
        PacePoint(f"Round {number}", round(sum(values) / len(values)), len(values))
        for number, values in sorted(paces.items())
    ]


def coverage(analyses: list[tuple]) -> list[KeyPointCoverage]:  # type: ignore[type-arg]
    counts: dict[str, list[int]] = {}
    for _, _, points in analyses:
        for point in points:
            tally = counts.setdefault(str(point["text"]), [0, 0])
            tally[0] += bool(point["heard"])
            tally[1] += 1
    found = [KeyPointCoverage(text, heard, seen) for text, (heard, seen) in counts.items()]
    return sorted(found, key=lambda c: (c.share, c.text))
