"""Settings refuse nonsense at start-up, naming the variable to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from league.settings import Settings, SettingsError


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LEAGUE_MAX_CLIP_MB", "0", "LEAGUE_MAX_CLIP_MB must be more than 0"),
        ("LEAGUE_MAX_CLIP_MB", "-5", "LEAGUE_MAX_CLIP_MB must be more than 0"),
        ("LEAGUE_REVIEWERS_PER_ENTRY", "0", "LEAGUE_REVIEWERS_PER_ENTRY must be more than 0"),
        ("LEAGUE_POINTS_PER_REVIEW", "-3", "LEAGUE_POINTS_PER_REVIEW can't be negative"),
        ("LEAGUE_POINTS_STREAK_MAX", "-1", "LEAGUE_POINTS_STREAK_MAX can't be negative"),
        ("PORT", "70000", "PORT (or LEAGUE_PORT) must be a port"),
        ("LEAGUE_DATABASE_SETUP", "drop", "LEAGUE_DATABASE_SETUP must be migrate"),
        ("LEAGUE_MAX_CLIP_MB", "lots", "LEAGUE_MAX_CLIP_MB must be a whole number"),
    ],
)
def test_it_refuses_nonsense_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    environ = {"LEAGUE_DATA_DIR": str(tmp_path), variable: value}
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env(environ)


def test_sensible_values_start(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"LEAGUE_DATA_DIR": str(tmp_path), "LEAGUE_POINTS_PER_REVIEW": "0"}
    )
    assert settings.points_per_review == 0
