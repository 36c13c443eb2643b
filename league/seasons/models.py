"""Seasons of weekly rounds. All times are stored in UTC and shown in the team's time zone."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Team
from league.playbook.models import Drill
from league.seasons.schedule import MAX_ROUNDS as MAX_ROUNDS  # re-exported
from league.seasons.schedule import WeeklySchedule


class RoundState(StrEnum):
    """A round only ever moves forwards through these, in this order."""

    PLANNED = "planned"  # not open yet; drills may still be swapped
    OPEN = "open"  # reps record and submit
    REVIEWING = "reviewing"  # submissions closed; peers review, managers judge
    REVIEWS_CLOSED = "reviews_closed"  # reviews are in; scores are worked out for results
    RESULTS = "results"  # scores and points are out

    @property
    def label(self) -> str:
        return ROUND_STATE_LABELS[self]

    @property
    def position(self) -> int:
        return list(RoundState).index(self)


ROUND_STATE_LABELS = {
    RoundState.PLANNED: "Planned",
    RoundState.OPEN: "Open",
    RoundState.REVIEWING: "Reviewing",
    RoundState.REVIEWS_CLOSED: "Reviews closed",
    RoundState.RESULTS: "Results",
}


MIN_DRILLS_PER_ROUND = 1
MAX_DRILLS_PER_ROUND = 3


class Season(Model):
    """A season of weekly rounds.

    `schedule` holds each round's local weekday and time for the four moments, e.g.
    {"open": {"weekday": 0, "time": "08:00"}, "submit": {...}, "review": {...},
    "results": {...}} with Monday = 0.
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="seasons", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=120)
    starts_on = fields.DateField()
    round_count = fields.IntField()
    time_zone = fields.CharField(max_length=64)
    schedule: dict[str, Any] = fields.JSONField(default=dict)  # type: ignore[assignment]
    blind_reviews = fields.BooleanField(default=True)
    # How many drills a new round gets when the season is created (managers may re-plan).
    drills_per_round = fields.IntField(default=1, db_default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    rounds: fields.ReverseRelation[Round]

    class Meta:
        table = "season"
        ordering = ["-starts_on", "id"]

    @property
    def weekly_schedule(self) -> WeeklySchedule:
        return WeeklySchedule.from_json(self.schedule or {})


class Round(Model):
    id = fields.IntField(primary_key=True)
    season: fields.ForeignKeyRelation[Season] = fields.ForeignKeyField(
        "models.Season", related_name="rounds", on_delete=fields.CASCADE
    )
    # Denormalised from the season so every query can be scoped to a team cheaply.
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="rounds", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    state = fields.CharEnumField(RoundState, max_length=16, default=RoundState.PLANNED)
    opens_at = fields.DatetimeField()
    submit_closes_at = fields.DatetimeField()
    review_closes_at = fields.DatetimeField()
    results_at = fields.DatetimeField()
    drills: fields.ManyToManyRelation[Drill] = fields.ManyToManyField(
        "models.Drill", related_name="rounds", through="round_drill"
    )

    class Meta:
        table = "round"
        ordering = ["opens_at", "id"]
        unique_together = (("season", "number"),)
        indexes = (("team_id", "state"),)
