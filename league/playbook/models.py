"""A team's playbook (its messaging, organised for saying out loud) and the drills built from it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Team


class ItemKind(StrEnum):
    VALUE_PROPOSITION = "value_proposition"
    DIFFERENTIATOR = "differentiator"
    INSIGHT = "insight"
    OBJECTION = "objection"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def plural(self) -> str:
        """The heading of this kind's section in the playbook."""
        return {
            "value_proposition": "Value proposition",
            "differentiator": "Differentiators",
            "insight": "Insights",
            "objection": "Objections",
        }[self.value]


class DrillKind(StrEnum):
    VALUE_PROP = "value_prop"
    DIFFERENTIATOR = "differentiator"
    INSIGHT_TO_QUESTION = "insight_to_question"
    OBJECTION = "objection"
    OPEN = "open"

    @property
    def label(self) -> str:
        return {
            "value_prop": "Value prop",
            "differentiator": "Differentiator",
            "insight_to_question": "Insight to question",
            "objection": "Objection",
            "open": "Open",
        }[self.value]


MIN_DRILL_SECONDS = 15
MAX_DRILL_SECONDS = 120


class PlaybookItem(Model):
    """One piece of the team's messaging.

    `body` is the message itself (for an objection: the response); `prompt` is what the
    buyer says for an objection, and `question` is the question an insight tees up.
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="playbook_items", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ItemKind, max_length=32)
    title = fields.CharField(max_length=200)
    prompt = fields.TextField(default="")
    body = fields.TextField(default="")
    question = fields.TextField(default="")
    key_points: list[str] = fields.JSONField(default=list)  # type: ignore[assignment]
    position = fields.IntField(default=0)
    archived_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "playbook_item"
        ordering = ["position", "id"]
        indexes = (("team_id", "kind", "position"),)


class Drill(Model):
    """A speaking prompt with a time limit and a rubric.

    `rubric` is a list of criteria: {"key", "name", "weight", "levels": [five one-liners,
    level 1 first]}. Each drill keeps its own copy so editing it never changes old scores.
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="drills", on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=200)
    prompt = fields.TextField()
    kind = fields.CharEnumField(DrillKind, max_length=32, default=DrillKind.OPEN)
    time_limit_seconds = fields.IntField(default=45)
    rubric: list[dict[str, Any]] = fields.JSONField(default=list)  # type: ignore[assignment]
    items: fields.ManyToManyRelation[PlaybookItem] = fields.ManyToManyField(
        "models.PlaybookItem", related_name="drills", through="drill_item"
    )
    # The item "Generate drills" made this drill for, so running it again skips that item.
    generated_from: fields.ForeignKeyNullableRelation[PlaybookItem] = fields.ForeignKeyField(
        "models.PlaybookItem",
        related_name="generated_drills",
        null=True,
        on_delete=fields.SET_NULL,
    )
    archived_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "drill"
        ordering = ["title", "id"]
        indexes = (("team_id", "archived_at"),)
