"""Peer reviews, manager judgements, coach's picks and calibrated entry scores."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from league.accounts.models import Membership, Team
from league.clips.models import Entry
from league.playbook.models import Drill
from league.reviews.flags import is_short_text, score_range
from league.seasons.models import Round, Season

# What the manager's flags read of a review's answers (see reviews/flags.py).
MARK_FIELDS = ("low_score", "high_score", "short_kudos")
ANSWER_FIELDS = {"scores", "kudos"}


class ReviewStatus(StrEnum):
    ASSIGNED = "assigned"  # in the reviewer's queue, nothing typed yet
    DRAFT = "draft"  # saved as they go; survives a reload
    SUBMITTED = "submitted"  # counts; editable until the review deadline


class Review(Model):
    """A reviewer's rubric scores for one entry, plus one kudos and one next rep.

    A judgement is a review by a manager (`is_judgement`): weighted higher and used as an
    anchor when estimating each peer reviewer's leniency.
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="reviews", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="reviews", on_delete=fields.CASCADE
    )
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="reviews", on_delete=fields.CASCADE
    )
    reviewer: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="reviews_given", on_delete=fields.CASCADE
    )
    is_judgement = fields.BooleanField(default=False)
    status = fields.CharEnumField(ReviewStatus, max_length=16, default=ReviewStatus.ASSIGNED)
    scores: dict[str, int] = fields.JSONField(default=dict)  # type: ignore[assignment]
    key_points_heard: list[str] = fields.JSONField(default=list)  # type: ignore[assignment]
    kudos = fields.TextField(default="")
    next_rep = fields.TextField(default="")
    # Set by the entry's author after results: feeds the reviewer's points.
    helpful = fields.BooleanField(null=True)
    assigned_at = fields.DatetimeField(auto_now_add=True)
    submitted_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # Marks of the answers, kept by save() so flags read a few small columns per review.
    low_score = fields.IntField(null=True)
    high_score = fields.IntField(null=True)
    short_kudos = fields.BooleanField(default=True, db_default=True)

    class Meta:
        table = "review"
        unique_together = (("entry", "reviewer"),)
        indexes = (("round_id", "reviewer_id"), ("entry_id", "status"))

    def keep_marks(self) -> None:
        """Set the marks from the answers. save() does it; call it before bulk writes."""
        self.low_score, self.high_score = score_range(self.scores)
        self.short_kudos = is_short_text(self.kudos)

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        """Saves the marks with the answers, in the same statement."""
        if update_fields is None:
            self.keep_marks()
        elif ANSWER_FIELDS & set(update_fields):
            self.keep_marks()
            update_fields = [*update_fields, *MARK_FIELDS]
        await super().save(using_db, update_fields, force_create, force_update)


class CoachPick(Model):
    """The manager's pick of the round for one drill."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="coach_picks", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="coach_picks", on_delete=fields.CASCADE
    )
    drill: fields.ForeignKeyRelation[Drill] = fields.ForeignKeyField(
        "models.Drill", related_name="coach_picks", on_delete=fields.CASCADE
    )
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="coach_picks", on_delete=fields.CASCADE
    )
    picked_by: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="coach_picks", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "coach_pick"
        unique_together = (("round", "drill"),)


class EntryScore(Model):
    """An entry's calibrated score (1-5 scale), kept up to date as reviews arrive."""

    id = fields.IntField(primary_key=True)
    entry: fields.OneToOneRelation[Entry] = fields.OneToOneField(
        "models.Entry", related_name="score", on_delete=fields.CASCADE
    )
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="entry_scores", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="entry_scores", on_delete=fields.CASCADE
    )
    score = fields.FloatField(null=True)
    plain_mean = fields.FloatField(null=True)
    # Peer reviews sent and assigned; a manager's judgement is in neither.
    review_count = fields.IntField(default=0)
    required_reviews = fields.IntField(default=0, db_default=0)
    # Fewer peer reviews than required so far: shown as "provisional".
    is_provisional = fields.BooleanField(default=True)
    # How much the submitted reviews disagree (highest minus lowest overall score).
    spread = fields.FloatField(default=0, db_default=0)
    per_criterion: dict[str, float] = fields.JSONField(default=dict)  # type: ignore[assignment]
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "entry_score"


class ReviewerLeniency(Model):
    """A peer reviewer's running sums for one round (see reviews/scoring.py): the sum of
    their deviations from the other reviews of the same entries, and how many there are.
    Their leniency for round N adds up their rows of rounds 1..N of the season."""

    id = fields.IntField(primary_key=True)
    season: fields.ForeignKeyRelation[Season] = fields.ForeignKeyField(
        "models.Season", related_name="reviewer_leniencies", on_delete=fields.CASCADE
    )
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="reviewer_leniencies", on_delete=fields.CASCADE
    )
    reviewer: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="leniencies", on_delete=fields.CASCADE
    )
    round_number = fields.IntField()
    deviation_sum = fields.FloatField(default=0)
    review_count = fields.IntField(default=0)

    class Meta:
        table = "reviewer_leniency"
        unique_together = (("round", "reviewer"),)
        indexes = (("season_id", "reviewer_id", "round_number"),)
