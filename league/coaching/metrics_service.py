"""Saving imported sales metrics (a period at a time) and reading them back for comparisons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from league.accounts.models import Membership, Role
from league.coaching.importing import COUNT_FIELDS, MetricsRow, Rep
from league.coaching.metrics import Comparison, Numbers, compare
from league.coaching.models import SalesMetrics

NUMBER_FIELDS = ("member_id", *COUNT_FIELDS, "average_deal_size")


async def list_reps(team_id: int) -> list[Rep]:
    """Everyone on the team a metrics line may name (leavers too: their history stays)."""
    rows = await Membership.filter(team_id=team_id, role=Role.REP).values_list(
        "id", "user__email", "user__name"
    )
    return [Rep(int(id_), str(email), str(name)) for id_, email, name in rows]


async def replace_period(
    team_id: int, period: str, rows: Sequence[MetricsRow], now: datetime
) -> int:
    """Save a period's rows, replacing whatever that period held before, in one transaction."""
    async with in_transaction():
        await SalesMetrics.filter(team_id=team_id, period=period).delete()
        await SalesMetrics.bulk_create(
            [
                SalesMetrics(
                    team_id=team_id,
                    member_id=row.member_id,
                    period=period,
                    average_deal_size=row.average_deal_size,
                    imported_at=now,
                    **row.values,
                )
                for row in rows
            ]
        )
    return len(rows)


@dataclass(frozen=True)
class PeriodSummary:
    period: str
    reps: int


async def list_periods(team_id: int) -> list[PeriodSummary]:
    """The team's imported periods, newest first, with how many reps each holds."""
    periods = await SalesMetrics.filter(team_id=team_id).values_list("period", flat=True)
    counts = Counter(str(period) for period in periods)
    return [PeriodSummary(period, counts[period]) for period in sorted(counts, reverse=True)]


async def load_numbers(team_id: int, period: str) -> list[Numbers]:
    rows = await SalesMetrics.filter(team_id=team_id, period=period).values_list(*NUMBER_FIELDS)
    return [
        Numbers(int(row[0]), dict(zip(COUNT_FIELDS, map(int, row[1:6]), strict=True)), row[6])
        for row in rows
    ]


async def compare_member(team_id: int, member_id: int) -> Comparison | None:
    """The member's latest period with numbers, against the team and their period before."""
    periods = sorted(
        {
            str(period)
            for period in await SalesMetrics.filter(
                member_id=member_id, team_id=team_id
            ).values_list("period", flat=True)
        },
        reverse=True,
    )
    if not periods:
        return None
    previous = periods[1] if len(periods) > 1 else None
    return compare(
        member_id,
        periods[0],
        await load_numbers(team_id, periods[0]),
        previous,
        await load_numbers(team_id, previous) if previous else [],
    )
