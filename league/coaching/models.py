"""The coach's side: reps' sales numbers, focus skills, and the weekly 1:1 with its actions."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from league.accounts.models import Membership, Team
from league.playbook.models import Drill
from league.seasons.models import Season


class SalesMetrics(Model):
    """One rep and one period (a month such as 2026-03) of sales numbers, from a CSV import.

    The funnel runs activities -> meetings -> opportunities -> proposals -> wins;
    `average_deal_size` is the mean value of the period's won deals (None with no wins).
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="sales_metrics", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="sales_metrics", on_delete=fields.CASCADE
    )
    period = fields.CharField(max_length=7)
    activities = fields.IntField()
    meetings = fields.IntField()
    opportunities = fields.IntField()
    proposals = fields.IntField()
    wins = fields.IntField()
    average_deal_size = fields.FloatField(null=True)
    imported_at = fields.DatetimeField()

    class Meta:
        table = "sales_metrics"
        unique_together = (("member", "period"),)
        indexes = (("team_id", "period"),)


class FocusSkill(Model):
    """One of the 2-3 skills a manager asks a rep to train on during a season.

    `kind` is "criterion" (a rubric criterion key, e.g. "concision") or "item" (a playbook
    item id); `label` is what the rep sees.
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="focus_skills", on_delete=fields.CASCADE
    )
    season: fields.ForeignKeyRelation[Season] = fields.ForeignKeyField(
        "models.Season", related_name="focus_skills", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="focus_skills", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)
    key = fields.CharField(max_length=80)
    label = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "focus_skill"
        unique_together = (("season", "member", "kind", "key"),)
        indexes = (("member_id", "season_id"),)


class OneOnOne(Model):
    """The weekly 1:1 between a manager and a rep, with the notes of the manager for that week."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="one_on_ones", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="one_on_ones", on_delete=fields.CASCADE
    )
    week_of = fields.DateField()  # the Monday of the week
    notes = fields.TextField(default="")
    updated_at = fields.DatetimeField(auto_now=True)

    actions: fields.ReverseRelation[AgreedAction]

    class Meta:
        table = "one_on_one"
        unique_together = (("member", "week_of"),)


class AgreedAction(Model):
    """Something the rep and manager agreed in a 1:1. The next packet asks whether it happened."""

    id = fields.IntField(primary_key=True)
    one_on_one: fields.ForeignKeyRelation[OneOnOne] = fields.ForeignKeyField(
        "models.OneOnOne", related_name="actions", on_delete=fields.CASCADE
    )
    text = fields.CharField(max_length=300)
    done = fields.BooleanField(null=True)  # None until checked at the next 1:1
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "agreed_action"
        ordering = ["id"]


class ExtraPractice(Model):
    """A drill a manager asks one rep to practise privately, for a focus skill.

    It is done once the rep keeps a take of that drill after it was set. Doing it earns
    practice points shown only to the rep and their coaches, never a place in the standings.
    """

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="extra_practice", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="extra_practice", on_delete=fields.CASCADE
    )
    drill: fields.ForeignKeyRelation[Drill] = fields.ForeignKeyField(
        "models.Drill", related_name="extra_practice", on_delete=fields.CASCADE
    )
    skill = fields.CharField(max_length=200, default="")
    assigned_at = fields.DatetimeField()

    class Meta:
        table = "extra_practice"
        indexes = (("member_id", "assigned_at"),)
