"""Everything the league holds about one member, as one zip they can download.

The archive holds their clips, the delivery feedback on their takes, the reviews they
wrote and received, their points and the sales metrics their manager imported.
Reviews they received carry no reviewer names: those belong to the reviewers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import PurePosixPath
from typing import Any

from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.clips.storage import ObjectMissing, Storage
from league.coaching.models import SalesMetrics
from league.delivery.service import export_member_delivery
from league.privacy.archive import StreamingZip
from league.reviews.models import Review, ReviewStatus
from league.standings.models import RoundPoints, SeasonStanding

REVIEW_FIELDS = ("scores", "key_points_heard", "kudos", "next_rep", "is_judgement", "helpful")
POINTS_FIELDS = (
    "showing_up",
    "quality",
    "improvement",
    "reviewing",
    "helpful",
    "streak",
    "total",
    "round_score",
    "is_provisional",
)


def archive_name(member: Membership) -> str:
    return f"practice-league-member-{member.id}.zip"


async def stream_member_archive(storage: Storage, member: Membership) -> AsyncIterator[bytes]:
    """The member's archive, chunk by chunk; clips are copied from storage as they stream."""
    archive = StreamingZip()
    takes = await list_takes(member)
    yield archive.add_json("profile.json", await describe_member(member))
    yield archive.add_json("clips.json", [describe_take(take) for take in takes])
    yield archive.add_json("delivery_feedback.json", await export_member_delivery(member.id))
    yield archive.add_json("reviews_written.json", await list_reviews_written(member))
    yield archive.add_json("reviews_received.json", await list_reviews_received(member))
    yield archive.add_json("points.json", await list_points(member))
    yield archive.add_json("sales_metrics.json", await list_sales_metrics(member))
    for take in takes:
        async for chunk in archive.add_stream(clip_name(take), read_clip(storage, take)):
            if chunk:
                yield chunk
    yield archive.close()


async def read_clip(storage: Storage, take: Take) -> AsyncIterator[bytes]:
    try:
        size = await storage.size(take.storage_key)
    except ObjectMissing:
        return  # a clip whose file went missing is listed in clips.json, with no bytes
    async for chunk in storage.open_range(take.storage_key, 0, size - 1):
        yield chunk


def clip_name(take: Take) -> str:
    return f"clips/take-{take.id}{PurePosixPath(take.storage_key).suffix}"


async def describe_member(member: Membership) -> dict[str, Any]:
    await member.fetch_related("user", "team", "organisation")
    return {
        "name": member.user.name,
        "email": member.user.email,
        "role": member.role.value,
        "team": member.team.name,
        "organisation": member.organisation.name,
        "joined_at": member.joined_at,
    }


async def list_takes(member: Membership) -> list[Take]:
    return (
        await Take.filter(member_id=member.id, deleted_at=None)
        .select_related("drill")
        .order_by("created_at", "id")
    )


def describe_take(take: Take) -> dict[str, Any]:
    return {
        "file": clip_name(take),
        "drill": take.drill.title,
        "recorded_at": take.created_at,
        "content_type": take.content_type,
        "duration_seconds": take.duration_seconds,
        "size_bytes": take.size_bytes,
    }


async def list_reviews_written(member: Membership) -> list[dict[str, Any]]:
    reviews = (
        await Review.filter(reviewer_id=member.id)
        .exclude(status=ReviewStatus.ASSIGNED)
        .select_related("round__season", "entry__drill")
        .order_by("assigned_at", "id")
    )
    return [describe_review(review) for review in reviews]


async def list_reviews_received(member: Membership) -> list[dict[str, Any]]:
    entry_ids = await Entry.filter(member_id=member.id).values_list("id", flat=True)
    reviews = (
        await Review.filter(entry_id__in=list(entry_ids), status=ReviewStatus.SUBMITTED)
        .select_related("round__season", "entry__drill")
        .order_by("submitted_at", "id")
    )
    return [describe_review(review) for review in reviews]


def describe_review(review: Review) -> dict[str, Any]:
    described: dict[str, Any] = {
        "season": review.round.season.name,
        "round": review.round.number,
        "drill": review.entry.drill.title,
        "status": review.status.value,
        "submitted_at": review.submitted_at,
    }
    described.update({name: getattr(review, name) for name in REVIEW_FIELDS})
    return described


async def list_points(member: Membership) -> dict[str, Any]:
    rounds = (
        await RoundPoints.filter(member_id=member.id)
        .select_related("round__season")
        .order_by("season_id", "round__number")
    )
    seasons = await SeasonStanding.filter(member_id=member.id).select_related("season")
    return {
        "rounds": [
            {
                "season": row.round.season.name,
                "round": row.round.number,
                **{name: getattr(row, name) for name in POINTS_FIELDS},
            }
            for row in rounds
        ],
        "seasons": [
            {"season": row.season.name, "points": row.points, "rank": row.rank} for row in seasons
        ],
    }


async def list_sales_metrics(member: Membership) -> list[dict[str, Any]]:
    return list(
        await SalesMetrics.filter(member_id=member.id)
        .order_by("period")
        .values(
            "period",
            "activities",
            "meetings",
            "opportunities",
            "proposals",
            "wins",
            "average_deal_size",
        )
    )
