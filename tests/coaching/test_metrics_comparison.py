"""A rep's numbers and funnel against the team and their own previous month, by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from league.accounts.models import Membership
from league.coaching.importing import MetricsRow
from league.coaching.metrics_service import compare_member, replace_period

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
KEYS = ("activities", "meetings", "opportunities", "proposals", "wins")


def row(member: Membership, counts: tuple[int, ...], deal: float | None) -> MetricsRow:
    return MetricsRow(2, member.id, member.user.name, dict(zip(KEYS, counts, strict=True)), deal)


@pytest.fixture
async def two_months(reps: list[Membership]) -> None:
    priya, jonas, amara = reps
    await replace_period(
        priya.team_id,  # type: ignore[attr-defined]
        "2026-01",
        [row(priya, (100, 20, 10, 4, 2), 12000), row(jonas, (60, 15, 5, 2, 1), 10000)],
        NOW,
    )
    await replace_period(
        priya.team_id,  # type: ignore[attr-defined]
        "2026-02",
        [
            row(priya, (120, 30, 12, 6, 3), 15000),
            row(jonas, (80, 20, 10, 4, 1), 9000),
            row(amara, (100, 10, 5, 2, 0), None),
        ],
        NOW,
    )


async def test_it_compares_each_metric_with_the_team_and_last_month(
    reps: list[Membership], two_months: None
) -> None:
    priya = reps[0]
    comparison = await compare_member(priya.team_id, priya.id)  # type: ignore[attr-defined]
    assert comparison is not None
    assert (comparison.period, comparison.previous_period) == ("2026-02", "2026-01")
    lines = {line.key: line for line in comparison.metrics}
    # Activities: team mean (120 + 80 + 100) / 3 = 100; Priya 120 is 1.2x; up 20 on January.
    assert lines["activities"].team == 100
    assert lines["activities"].versus_team == pytest.approx(1.2)
    assert lines["activities"].change == 20
    # Meetings: team mean (30 + 20 + 10) / 3 = 20.
    assert lines["meetings"].team == 20
    # Deal size is pooled over won deals: (3 x 15000 + 1 x 9000) / 4 = 13500.
    assert lines["average_deal_size"].team == 13500
    assert lines["average_deal_size"].change == 3000


async def test_it_compares_each_funnel_step(reps: list[Membership], two_months: None) -> None:
    priya = reps[0]
    comparison = await compare_member(priya.team_id, priya.id)  # type: ignore[attr-defined]
    assert comparison is not None
    steps = {(step.source, step.target): step for step in comparison.steps}
    # Activities -> meetings: Priya 30/120 = 0.25; team 60/300 = 0.20; January 20/100 = 0.20.
    first = steps["activities", "meetings"]
    assert (first.rate, first.team, first.previous) == pytest.approx((0.25, 0.2, 0.2))
    # Meetings -> opportunities: Priya 12/30 = 0.40; team 27/60 = 0.45: 5 points behind.
    assert steps["meetings", "opportunities"].gap == pytest.approx(-0.05)
    # Opportunities -> proposals: 6/12 = 0.5 against 12/27; proposals -> wins: 3/6 against 4/12.
    assert steps["opportunities", "proposals"].team == pytest.approx(12 / 27)
    assert steps["proposals", "wins"].gap == pytest.approx(0.5 - 4 / 12)
    widest = comparison.widest_gap
    assert widest is not None and widest.label == "Meetings to opportunities"


async def test_it_finds_where_another_rep_loses_deals(
    reps: list[Membership], two_months: None
) -> None:
    jonas = reps[1]
    comparison = await compare_member(jonas.team_id, jonas.id)  # type: ignore[attr-defined]
    assert comparison is not None
    # Jonas: opportunities -> proposals 4/10 = 0.40 (team 0.444), proposals -> wins 1/4 = 0.25
    # (team 0.333): he falls furthest behind at the last step.
    widest = comparison.widest_gap
    assert widest is not None and (widest.source, widest.target) == ("proposals", "wins")
    assert widest.gap == pytest.approx(0.25 - 4 / 12)


async def test_a_rep_without_history_has_no_trend(reps: list[Membership], two_months: None) -> None:
    amara = reps[2]
    comparison = await compare_member(amara.team_id, amara.id)  # type: ignore[attr-defined]
    assert comparison is not None
    assert comparison.previous_period is None
    assert all(line.change is None for line in comparison.metrics)
    deal = next(line for line in comparison.metrics if line.key == "average_deal_size")
    assert deal.value is None and deal.versus_team is None
    steps = {(step.source, step.target): step for step in comparison.steps}
    assert steps["proposals", "wins"].rate == 0


async def test_a_rep_without_numbers_has_no_comparison(
    reps: list[Membership], teammate: Membership
) -> None:
    assert await compare_member(teammate.team_id, teammate.id) is None  # type: ignore[attr-defined]
