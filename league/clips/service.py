"""Takes and entries: receive an upload, submit, withdraw, delete, list."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

from tortoise.exceptions import IntegrityError

from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.clips.probe import (
    ClipInfo,
    ClipRejected,
    ClipTooLong,
    probe_clip,
    require_container,
)
from league.clips.remux import add_seek_index
from league.clips.storage import Storage
from league.live.events import publish_team_change
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons.models import Round, RoundState
from league.web.errors import LeagueError
from league.web.templating import local_time

logger = logging.getLogger(__name__)

# Recording stops itself at the limit; the grace covers the encoder's last packet and a
# slow tap on Stop.
DURATION_GRACE_SECONDS = 3
SNIFF_BYTES = 12
SPOOL_WRITE_BYTES = 256 * 1024  # per write from the spooling thread
UPLOAD_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class TooBig(LeagueError):
    status = 413


class NotNow(LeagueError):
    """The action is fine in itself but not at this point of the round."""

    status = 409


# Receiving an upload


async def receive_take(
    *,
    storage: Storage,
    member: Membership,
    drill: Drill,
    chunks: AsyncIterator[bytes],
    max_bytes: int,
    now: datetime,
    declared_bytes: int | None = None,
    upload_key: str | None = None,
) -> tuple[Take, bool]:
    """Store an uploaded clip as a new take. Returns (take, created).

    The body is written to disk as it arrives and checked before it is kept (a WebM gets
    the duration and seek index MediaRecorder leaves out). A retried upload with the same
    key returns the take made the first time (created=False).
    """
    if upload_key is not None:
        check_upload_key(upload_key)
        earlier = await Take.get_or_none(member_id=member.id, upload_key=upload_key)
        if earlier is not None:
            return earlier, False
    if declared_bytes is not None and declared_bytes > max_bytes:
        raise too_big(max_bytes)
    spooled = await spool_upload(chunks, storage.spool_dir(), max_bytes)
    kept = spooled
    try:
        info = await inspect_clip(spooled, drill)
        kept = await asyncio.to_thread(add_seek_index, spooled, info.container)
        key = make_storage_key(member, info)
        await storage.save(key, kept)
    finally:
        spooled.unlink(missing_ok=True)
        kept.unlink(missing_ok=True)
    return await record_take(storage, member, drill, info, key, upload_key, now)


def check_upload_key(upload_key: str) -> None:
    if not UPLOAD_KEY_PATTERN.match(upload_key):
        raise LeagueError("The upload key must be 8-64 letters, digits, - or _.")


def too_big(max_bytes: int) -> TooBig:
    megabytes = max_bytes // (1024 * 1024)
    return TooBig(
        f"That clip is bigger than the {megabytes} MB limit. "
        "Record a shorter take, or switch video off."
    )


async def spool_upload(chunks: AsyncIterator[bytes], spool_dir: Path, max_bytes: int) -> Path:
    """Write the body to a new file in `spool_dir`, refusing it as soon as it passes the cap.

    Pieces are gathered to SPOOL_WRITE_BYTES and written from a thread: a file write lets go
    of the interpreter lock, so with many uploads in flight the copying into the file runs
    beside the event loop, which is left to parse the requests. Memory per upload in flight
    stays at most one batch."""
    path = spool_dir / f"{uuid.uuid4().hex}.part"
    received = 0
    batch: list[bytes] = []
    try:
        with path.open("wb") as spool:
            async for chunk in chunks:
                received += len(chunk)
                if received > max_bytes:
                    raise too_big(max_bytes)
                batch.append(chunk)
                if sum(map(len, batch)) >= SPOOL_WRITE_BYTES:
                    await asyncio.to_thread(spool.writelines, batch)
                    batch = []
            await asyncio.to_thread(spool.writelines, batch)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


async def inspect_clip(path: Path, drill: Drill) -> ClipInfo:
    with path.open("rb") as spooled:
        head = spooled.read(SNIFF_BYTES)
    limit = drill.time_limit_seconds + DURATION_GRACE_SECONDS
    try:
        return await asyncio.to_thread(probe_clip, path, require_container(head), limit)
    except ClipTooLong as too_long:
        length = f"{format_seconds(too_long.seconds)} long" if too_long.seconds else "too long"
        raise ClipRejected(
            f"This take is {length}; the drill's limit is "
            f"{format_seconds(drill.time_limit_seconds)}. Record a shorter take."
        ) from None


def format_seconds(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def make_storage_key(member: Membership, info: ClipInfo) -> str:
    return f"takes/{member.team_id}/{member.id}/{uuid.uuid4().hex}.{info.container}"  # type: ignore[attr-defined]


async def record_take(
    storage: Storage,
    member: Membership,
    drill: Drill,
    info: ClipInfo,
    key: str,
    upload_key: str | None,
    now: datetime,
) -> tuple[Take, bool]:
    round_ = await find_open_round(drill)
    try:
        take = await Take.create(
            team_id=member.team_id,  # type: ignore[attr-defined]
            member=member,
            drill=drill,
            round=round_,
            storage_key=key,
            content_type=info.content_type,
            codecs=",".join(info.codecs)[:64],
            duration_seconds=info.duration_seconds,
            size_bytes=await storage.size(key),
            has_video=info.has_video,
            upload_key=upload_key,
            created_at=now,
        )
    except IntegrityError:
        # The same upload arrived twice at once; the other request made the take.
        await storage.delete(key)
        return await Take.get(member_id=member.id, upload_key=upload_key), False
    return take, True


# Submitting, withdrawing, deleting


async def find_open_round(drill: Drill) -> Round | None:
    """The open round of the drill's team that has this drill, if any."""
    return (
        await Round.filter(team_id=drill.team_id, state=RoundState.OPEN, drills=drill.id)  # type: ignore[attr-defined]
        .order_by("-opens_at")
        .select_related("season")
        .first()
    )


async def find_last_round(drill: Drill) -> Round | None:
    """The most recent round with this drill that has opened (open, reviewing or results)."""
    return (
        await Round.filter(team_id=drill.team_id, drills=drill.id)  # type: ignore[attr-defined]
        .exclude(state=RoundState.PLANNED)
        .order_by("-opens_at")
        .select_related("season")
        .first()
    )


async def submit_take(take: Take, now: datetime, reactions: Reactions) -> Entry:
    """Make the take the member's entry for its drill in the open round (replacing any other)."""
    entry = await store_entry(take, now)
    await publish_team_change(reactions, entry.team_id, "submission")  # type: ignore[attr-defined]
    return entry


async def store_entry(take: Take, now: datetime) -> Entry:
    drill = await Drill.get(id=take.drill_id)  # type: ignore[attr-defined]
    round_ = await find_round_taking_entries(drill, now)
    if take.round_id is None:  # type: ignore[attr-defined]
        take.round = round_
        await take.save(update_fields=["round_id"])
    member_id: int = take.member_id  # type: ignore[attr-defined]
    entry = await find_entry(member_id, round_.id, drill.id)
    if entry is None:
        try:
            return await Entry.create(
                team_id=take.team_id,  # type: ignore[attr-defined]
                round=round_,
                drill=drill,
                member_id=member_id,
                take=take,
                submitted_at=now,
            )
        except IntegrityError:
            # A double tap: the other request created it; this one replaces its take.
            entry = await Entry.get(round_id=round_.id, drill_id=drill.id, member_id=member_id)
    entry.take = take
    entry.submitted_at = now
    entry.withdrawn_at = None
    await entry.save(update_fields=["take_id", "submitted_at", "withdrawn_at"])
    return entry


async def find_round_taking_entries(drill: Drill, now: datetime) -> Round:
    round_ = await find_open_round(drill)
    if round_ is not None and now <= round_.submit_closes_at:
        return round_
    last = round_ or await find_last_round(drill)
    if last is None:
        raise NotNow(
            "This drill isn't in an open round, so there is nothing to submit to yet. "
            "Your takes stay here for practice."
        )
    raise NotNow(
        f"Submissions for round {last.number} closed at "
        f"{format_deadline(last.submit_closes_at, last.season.time_zone)}. "
        "Your takes stay here for practice."
    )


def format_deadline(moment: datetime, time_zone: str) -> str:
    """E.g. 'Wed 4 Mar 18:00 (Europe/London)' in the team's time zone."""
    return f"{local_time(moment, time_zone, '%a %-d %b %H:%M')} ({time_zone})"


async def withdraw_entry(entry: Entry, now: datetime, reactions: Reactions) -> Entry:
    """Take an entry out of the round. The row stays so the manager sees it was withdrawn."""
    round_ = await Round.get(id=entry.round_id)  # type: ignore[attr-defined]
    if round_.state == RoundState.RESULTS:
        raise NotNow(f"Results are out for round {round_.number}, so this entry stays.")
    if entry.withdrawn_at is None:
        entry.withdrawn_at = now
        await entry.save(update_fields=["withdrawn_at"])
        await publish_team_change(reactions, entry.team_id, "withdrawal")  # type: ignore[attr-defined]
    return entry


async def delete_take(storage: Storage, take: Take, now: datetime) -> None:
    """Hide the take and remove its clip. A standing entry's take must be withdrawn first."""
    entry = await Entry.filter(take_id=take.id, withdrawn_at=None).select_related("round").first()
    if entry is not None:
        raise NotNow(
            f"This take is your entry for round {entry.round.number}. "
            "Withdraw the entry first if you really want to delete it."
        )
    take.deleted_at = now
    await take.save(update_fields=["deleted_at"])
    await storage.delete(take.storage_key)


# Reading


async def list_takes(member: Membership, drill: Drill) -> list[Take]:
    """The member's own takes of a drill, newest first."""
    return (
        await Take.filter(member_id=member.id, drill_id=drill.id, deleted_at=None)
        .order_by("-created_at", "-id")
        .all()
    )


async def find_entry(member_id: int, round_id: int, drill_id: int) -> Entry | None:
    return await Entry.get_or_none(member_id=member_id, round_id=round_id, drill_id=drill_id)


async def entries_by_drill(member_id: int, round_id: int) -> dict[int, Entry]:
    """The member's entries in a round (withdrawn ones included), keyed by drill id."""
    entries = await Entry.filter(member_id=member_id, round_id=round_id).all()
    return {entry.drill_id: entry for entry in entries}  # type: ignore[attr-defined]


async def list_round_entries(round_id: int) -> list[Entry]:
    """Every entry of a round with member, drill and take loaded, for the manager's view.

    The caller has already checked the round belongs to the viewer's team.
    """
    return (
        await Entry.filter(round_id=round_id)
        .select_related("member__user", "drill", "take")
        # "id" last: entries submitted in the same instant still list in a stable order
        # (PostgreSQL, unlike SQLite, returns ties in any order).
        .order_by("drill__title", "drill_id", "submitted_at", "id")
        .all()
    )
