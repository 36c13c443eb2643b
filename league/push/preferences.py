"""Which reminders a member wants, and their quiet hours."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from league.accounts.models import Membership
from league.push.models import PushPreference, ReminderKind
from league.web.errors import LeagueError

DEFAULT_QUIET_START = "20:00"
DEFAULT_QUIET_END = "08:00"


def parse_clock(value: str, what: str) -> time:
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise LeagueError(f"{what} must be a time like 20:00.") from None


async def load_preference(member: Membership) -> PushPreference:
    """The member's settings, or unsaved defaults (every kind on, quiet 20:00-08:00)."""
    preference = await PushPreference.get_or_none(member_id=member.id)
    return preference or default_preference(member)


def default_preference(member: Membership) -> PushPreference:
    return PushPreference(
        member_id=member.id,
        muted_kinds=[],
        quiet_start=DEFAULT_QUIET_START,
        quiet_end=DEFAULT_QUIET_END,
    )


async def save_preference(
    member: Membership, enabled: Iterable[str], quiet_start: str, quiet_end: str
) -> PushPreference:
    start = parse_clock(quiet_start, "Quiet hours start")
    end = parse_clock(quiet_end, "Quiet hours end")
    enabled_kinds = set(enabled)
    muted = [kind.value for kind in ReminderKind if kind.value not in enabled_kinds]
    preference, _ = await PushPreference.get_or_create(member_id=member.id)
    preference.muted_kinds = muted
    preference.quiet_start = start.strftime("%H:%M")
    preference.quiet_end = end.strftime("%H:%M")
    await preference.save()
    return preference


def quiet_hours_end(now: datetime, time_zone: str, start: time, end: time) -> datetime | None:
    """When the quiet hours around `now` end (UTC), or None if `now` is not in them.

    Works for hours that wrap past midnight (20:00-08:00) and ones that don't (13:00-14:00).
    """
    if start == end:
        return None
    local = now.astimezone(ZoneInfo(time_zone))
    clock = local.time().replace(tzinfo=None)
    wraps = start > end
    inside = (clock >= start or clock < end) if wraps else (start <= clock < end)
    if not inside:
        return None
    release_day = local.date() + timedelta(days=1 if wraps and clock >= start else 0)
    release = datetime.combine(release_day, end, tzinfo=ZoneInfo(time_zone))
    return release.astimezone(now.tzinfo)


async def load_preferences(members: list[Membership]) -> dict[int, PushPreference]:
    saved = await PushPreference.filter(member_id__in=[member.id for member in members])
    by_member = {preference.member_id: preference for preference in saved}  # type: ignore[attr-defined]
    return {member.id: by_member.get(member.id) or default_preference(member) for member in members}
