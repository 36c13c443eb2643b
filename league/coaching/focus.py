"""Focus skills: the 2-3 skills a manager asks a rep to train on for a season."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from league.accounts.models import Membership
from league.coaching.models import FocusSkill
from league.coaching.skills import CRITERION, ITEM
from league.playbook.models import Drill, PlaybookItem
from league.playbook.rubric import DEFAULT_RUBRIC
from league.seasons.models import Round, Season
from league.seasons.service import current_round
from league.web.errors import LeagueError

MAX_FOCUS_SKILLS = 3


@dataclass(frozen=True)
class Choice:
    kind: str
    key: str
    label: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.key}"


async def find_season(team_id: int, now: datetime) -> Season | None:
    """The season in play for the team, else its latest one."""
    round_ = await current_round(team_id, now)
    if round_ is not None:
        return await Season.get(id=round_.season_id)  # type: ignore[attr-defined]
    return await Season.filter(team_id=team_id).order_by("-starts_on", "-id").first()


async def list_choices(season: Season) -> list[Choice]:
    """What a focus skill may be: the season's rubric criteria, then the playbook's items."""
    drill_ids = await Round.filter(season_id=season.id).values_list("drills__id", flat=True)
    rubrics = await Drill.filter(id__in=[d for d in drill_ids if d]).values_list(
        "rubric", flat=True
    )
    criteria: dict[str, str] = {}
    for rubric in [*rubrics, DEFAULT_RUBRIC]:
        for criterion in rubric or []:  # type: ignore[union-attr]
            criteria.setdefault(str(criterion["key"]), str(criterion["name"]))
    items = await PlaybookItem.filter(
        team_id=season.team_id,  # type: ignore[attr-defined]
        archived_at=None,
    ).values_list("id", "title")
    return [
        *(Choice(CRITERION, key, name) for key, name in criteria.items()),
        *(Choice(ITEM, str(item_id), str(title)) for item_id, title in items),
    ]


def pick_choices(values: list[str], choices: list[Choice]) -> list[Choice]:
    by_value = {choice.value: choice for choice in choices}
    picked = [by_value[value] for value in dict.fromkeys(values) if value in by_value]
    if len(picked) != len(set(values)):
        raise LeagueError("One of those skills is no longer in the rubric or the playbook.")
    if not picked:
        raise LeagueError("Pick at least one skill: two or three work best.")
    if len(picked) > MAX_FOCUS_SKILLS:
        raise LeagueError(f"Pick at most {MAX_FOCUS_SKILLS} skills: focus beats breadth.")
    return picked


async def set_focus_skills(rep: Membership, season: Season, values: list[str]) -> list[FocusSkill]:
    """Replace the rep's focus skills for the season with the chosen ones (checked first)."""
    picked = pick_choices(values, await list_choices(season))
    async with in_transaction():
        await FocusSkill.filter(season_id=season.id, member_id=rep.id).delete()
        return [
            await FocusSkill.create(
                team_id=rep.team_id,  # type: ignore[attr-defined]
                season=season,
                member=rep,
                kind=choice.kind,
                key=choice.key,
                label=choice.label,
            )
            for choice in picked
        ]


async def list_focus_skills(member_id: int, season_id: int) -> list[FocusSkill]:
    return await FocusSkill.filter(member_id=member_id, season_id=season_id).order_by("id")


async def list_training_goals(member: Membership, season_id: int) -> list[FocusSkill]:
    """The member's focus skills for the season Today shows (their training goals)."""
    return await list_focus_skills(member.id, season_id)
