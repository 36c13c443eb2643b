"""Points per member per round, and the season table built from them."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Membership, Team
from league.seasons.models import Round, Season


class RoundPoints(Model):
    """One member's points for one round, by source. `total` is their sum."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="round_points", on_delete=fields.CASCADE
    )
    season: fields.ForeignKeyRelation[Season] = fields.ForeignKeyField(
        "models.Season", related_name="round_points", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="points", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="round_points", on_delete=fields.CASCADE
    )
    showing_up = fields.FloatField(default=0)
    quality = fields.FloatField(default=0)
    improvement = fields.FloatField(default=0)
    reviewing = fields.FloatField(default=0)
    helpful = fields.FloatField(default=0)
    streak = fields.FloatField(default=0)
    total = fields.FloatField(default=0)
    # The member's mean calibrated score this round (None if they did not submit).
    round_score = fields.FloatField(null=True)
    is_provisional = fields.BooleanField(default=True)
    # The facts behind the points, kept so awards and cards need no recomputation.
    baseline = fields.FloatField(null=True)  # mean of their last few round scores
    improvement_delta = fields.FloatField(null=True)  # round_score - baseline
    reviews_on_time = fields.IntField(default=0, db_default=0)
    helpful_count = fields.IntField(default=0, db_default=0)
    streak_length = fields.IntField(default=0, db_default=0)  # rounds in a row with an entry
    first_submitted_at = fields.DatetimeField(null=True)
    # Added to the season table at results; later changes (a "helpful" mark) add the delta.
    is_final = fields.BooleanField(default=False, db_default=False)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "round_points"
        unique_together = (("round", "member"),)
        indexes = (("season_id", "member_id"),)


class SeasonStanding(Model):
    """A member's row in the season table, updated incrementally as rounds change."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="season_standings", on_delete=fields.CASCADE
    )
    season: fields.ForeignKeyRelation[Season] = fields.ForeignKeyField(
        "models.Season", related_name="standings", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="season_standings", on_delete=fields.CASCADE
    )
    points = fields.FloatField(default=0)
    rounds_played = fields.IntField(default=0)
    best_score = fields.FloatField(null=True)
    current_streak = fields.IntField(default=0)
    rank = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "season_standing"
        unique_together = (("season", "member"),)


class AwardCategory(StrEnum):
    TOP_SCORE = "top_score"
    MOST_IMPROVED = "most_improved"
    BEST_REVIEWER = "best_reviewer"
    STREAK = "streak"

    @property
    def label(self) -> str:
        return {
            "top_score": "Top score",
            "most_improved": "Most improved",
            "best_reviewer": "Best reviewer",
            "streak": "Streak",
        }[self.value]


class Award(Model):
    """A round's category winners: top score, most improved, best reviewer, streak."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="awards", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="awards", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="awards", on_delete=fields.CASCADE
    )
    category = fields.CharField(max_length=32)  # an AwardCategory value
    rank = fields.IntField()
    value = fields.FloatField()

    class Meta:
        table = "award"
        unique_together = (("round", "category", "member"),)
