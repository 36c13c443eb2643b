"""Suggested focus skills on a constructed data set: weakest against the team, biggest drop."""

from __future__ import annotations

from league.coaching.skills import (
    CRITERION,
    ScoredEntry,
    SkillData,
    TrendPoint,
    load_skill_data,
    suggest_focus,
    trend,
)
from league.seasons.models import Season

PRIYA, JONAS = 1, 2
NAMES = {"clarity": "Clarity", "concision": "Concision", "key_points": "Key points"}


def entry(member: int, number: int, clarity: float, concision: float, key: float) -> ScoredEntry:
    scores = {"clarity": clarity, "concision": concision, "key_points": key}
    return ScoredEntry(member, number, 10, None, scores)


def data() -> SkillData:
    return SkillData(
        [
            entry(PRIYA, 1, 4, 2, 4),
            entry(PRIYA, 2, 4, 2, 4),
            entry(PRIYA, 3, 4, 2, 2),
            entry(JONAS, 1, 3, 4, 3),
            entry(JONAS, 2, 3, 4, 3),
            entry(JONAS, 3, 3, 4, 3),
        ],
        dict(NAMES),
    )


def test_it_suggests_the_weakest_against_the_team_then_the_biggest_drop() -> None:
    suggestions = suggest_focus(data(), PRIYA)
    # Concision: Priya 2.0 against the team's 3.0. Key points: 2.0 in round 3 after 4.0, 4.0.
    # Key points is above the team over the season (3.33 against 3.17): only the drop finds it.
    assert [(s.label, s.reason) for s in suggestions] == [
        ("Concision", "1.0 below the team average (2.0 against 3.0)"),
        ("Key points", "down 2.0 in round 3 on the rounds before"),
    ]


def test_a_steady_rep_gets_only_gaps_weakest_first() -> None:
    suggestions = suggest_focus(data(), JONAS)
    # Clarity 3.0 against 3.5, key points 3.0 against 3.17; concision is above the team.
    assert [s.key for s in suggestions] == ["clarity", "key_points"]
    assert all(s.kind == CRITERION for s in suggestions)


def test_it_stops_at_three_and_never_repeats_a_skill() -> None:
    both = SkillData(
        [entry(PRIYA, 1, 4, 4, 4), entry(PRIYA, 2, 2, 2, 2), entry(JONAS, 1, 5, 5, 5)],
        dict(NAMES),
    )
    suggestions = suggest_focus(both, PRIYA)
    assert len(suggestions) == 3
    assert len({s.key for s in suggestions}) == 3


def test_the_trend_is_the_rep_against_the_team_per_round() -> None:
    assert trend(data(), CRITERION, "key_points", PRIYA) == [
        TrendPoint(1, 4.0, 3.5),
        TrendPoint(2, 4.0, 3.5),
        TrendPoint(3, 2.0, 2.5),
    ]


async def test_it_reads_the_scores_of_finished_rounds(scored_season: Season) -> None:
    loaded = await load_skill_data(scored_season.id)
    assert len(loaded.entries) == 6  # round 4 is open: nothing from it
    assert loaded.criterion_names["concision"] == "Concision"
    priya = next(e.member_id for e in loaded.entries if e.score == 3.6)
    assert [s.key for s in suggest_focus(loaded, priya)] == ["concision", "key_points"]
