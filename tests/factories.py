"""Test data with sensible defaults. Personas: manager, rep, teammate, outsider."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from league.accounts.models import Membership, Organisation, Role, Team, User
from league.accounts.passwords import hash_password
from league.clips.models import Entry, Take
from league.playbook.models import Drill, ItemKind, PlaybookItem
from league.seasons.models import Round, RoundState, Season

PASSWORD = "practice-password"
_sequence = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    # Hashing with argon2 is slow on purpose; every test user shares one hash.
    return hash_password(PASSWORD)


async def make_organisation(name: str = "Acme") -> Organisation:
    return await Organisation.create(name=name)


async def make_team(
    organisation: Organisation | None = None, name: str = "Sales", time_zone: str = "Europe/London"
) -> Team:
    organisation = organisation or await make_organisation()
    return await Team.create(organisation=organisation, name=name, time_zone=time_zone)


async def make_member(
    team: Team | None = None,
    role: Role = Role.REP,
    name: str | None = None,
    email: str | None = None,
    is_active: bool = True,
) -> Membership:
    team = team or await make_team()
    number = next(_sequence)
    user = await User.create(
        email=email or f"person{number}@example.com",
        name=name or f"Person {number}",
        password_hash=password_hash(),
    )
    membership = await Membership.create(
        user=user,
        organisation_id=team.organisation_id,  # type: ignore[attr-defined]
        team=team,
        role=role,
        is_active=is_active,
    )
    return await Membership.get(id=membership.id).select_related("user", "team", "organisation")


# The conftest clock reads Monday 2 March 2026, 09:00 UTC (09:00 in London, on GMT).
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# The default week, from a round's opening: submissions close Wednesday 18:00, reviews
# Friday 18:00, results the next Monday 08:30.
SUBMIT_WINDOW = timedelta(days=2, hours=9)
REVIEW_WINDOW = timedelta(days=4, hours=9)
RESULTS_AFTER = timedelta(days=6, hours=23, minutes=30)


async def make_item(team: Team, **fields: Any) -> PlaybookItem:
    values: dict[str, Any] = {
        "kind": ItemKind.OBJECTION,
        "title": "We already use a competitor",
        "body": "Acknowledge, then ask what they would change.",
        "key_points": ["Acknowledge first", "Ask what they'd change"],
    }
    values.update(fields)
    return await PlaybookItem.create(team=team, **values)


async def make_drill(
    team: Team,
    title: str = "Competitor objection",
    items: Sequence[PlaybookItem] = (),
    **fields: Any,
) -> Drill:
    values: dict[str, Any] = {"prompt": f"{title}. Say it out loud."}
    values.update(fields)
    drill = await Drill.create(team=team, title=title, **values)
    if items:
        await drill.items.add(*items)
    return drill


async def make_season(team: Team, **fields: Any) -> Season:
    """A season row alone; its rounds come from make_round (seasons.service makes both)."""
    values: dict[str, Any] = {
        "name": "Spring league",
        "starts_on": date(2026, 3, 2),
        "round_count": 4,
        "time_zone": team.time_zone,
    }
    values.update(fields)
    return await Season.create(team=team, **values)


async def make_round(
    season: Season, drills: Sequence[Drill] = (), opens_at: datetime = MONDAY, **fields: Any
) -> Round:
    values: dict[str, Any] = {
        "number": 1,
        "state": RoundState.PLANNED,
        "submit_closes_at": opens_at + SUBMIT_WINDOW,
        "review_closes_at": opens_at + REVIEW_WINDOW,
        "results_at": opens_at + RESULTS_AFTER,
    }
    values.update(fields)
    round_ = await Round.create(
        season=season,
        team_id=season.team_id,  # type: ignore[attr-defined]
        opens_at=opens_at,
        **values,
    )
    if drills:
        await round_.drills.add(*drills)
    return round_


async def make_entry(
    round_: Round,
    member: Membership,
    submitted_at: datetime,
    drill: Drill | None = None,
    **take_fields: Any,
) -> Entry:
    """The member's entry (a take row, no stored clip) for `drill`, else the round's first."""
    drill = drill or await round_.drills.all().order_by("id").first()
    assert drill is not None, "the round has no drills"
    values: dict[str, Any] = {
        "storage_key": f"test/{next(_sequence)}.webm",
        "content_type": "audio/webm",
        "codecs": "opus",
        "duration_seconds": 20.0,
        "size_bytes": 20_000,
    }
    values.update(take_fields)
    take = await Take.create(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        member=member,
        drill=drill,
        round=round_,
        **values,
    )
    return await Entry.create(
        team_id=round_.team_id,  # type: ignore[attr-defined]
        round=round_,
        drill=drill,
        member=member,
        take=take,
        submitted_at=submitted_at,
    )
