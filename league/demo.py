"""Load the demo league from seeds/. Running it twice changes nothing the second time.

By default the demo season is mid-season: `finished_rounds` rounds (seeds/season.yaml)
already played to results, the next one open, and the coach's side filled in. `fresh`
loads the season at round 1 instead, with nothing played yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from tortoise.transactions import in_transaction

from league.accounts.models import Membership, Organisation, Role, Team, User
from league.accounts.passwords import hash_password
from league.clips.storage import Storage, open_storage
from league.coaching import demo as coaching_demo
from league.db import open_database
from league.playbook.demo import load_demo_playbook
from league.seasons.demo import load_demo_season
from league.seasons.models import Season
from league.seasons.schedule import local_today
from league.settings import Settings
from league.web.templating import SEEDS_DIR


def read_seed(name: str, seeds_dir: Path = SEEDS_DIR) -> Any:
    return yaml.safe_load((seeds_dir / name).read_text())


@dataclass(frozen=True)
class MidSeason:
    """What playing the finished rounds needs: the settings (points, reviewers) and storage."""

    settings: Settings
    storage: Storage


async def load_demo_league(settings: Settings, fresh: bool = False) -> bool:
    """Create the demo organisation and everything in it. Returns False if it already exists."""
    mid_season = None if fresh else MidSeason(settings, open_storage(settings))
    async with open_database(settings.database_url, settings.database_setup):
        # All or nothing: a half-loaded demo would count as loaded and never be finished.
        async with in_transaction():
            return await create_demo_league(SEEDS_DIR, mid_season)


@dataclass(frozen=True)
class DemoAccounts:
    """The published demo sign-ins, shown on the sign-in page while the demo is loaded."""

    password: str
    emails: list[tuple[str, str]]  # (email, role)

    @property
    def shown(self) -> list[tuple[str, str]]:
        """The admin, the managers and the first rep; the other reps follow its pattern."""
        reps = [item for item in self.emails if item[1] == "rep"]
        return [item for item in self.emails if item[1] != "rep"] + reps[:1]

    @property
    def last_rep(self) -> str:
        reps = [email for email, role in self.emails if role == "rep"]
        return reps[-1] if len(reps) > 1 else ""


async def find_demo_accounts(seeds_dir: Path = SEEDS_DIR) -> DemoAccounts | None:
    seed = read_seed("league.yaml", seeds_dir)
    if not await Organisation.exists(name=seed["organisation"]):
        return None
    roles = [(person["email"], person["role"]) for person in seed["members"]]
    return DemoAccounts(seed["password"], roles)


async def create_demo_league(seeds_dir: Path, mid_season: MidSeason | None = None) -> bool:
    seed = read_seed("league.yaml", seeds_dir)
    if await Organisation.exists(name=seed["organisation"]):
        return False
    organisation = await Organisation.create(name=seed["organisation"])
    team = await Team.create(organisation=organisation, **seed["team"])
    # One hash for every demo account: they share the published demo password.
    password_hash = hash_password(seed["password"])
    for person in seed["members"]:
        user = await User.create(
            email=person["email"], name=person["name"], password_hash=password_hash
        )
        await Membership.create(
            user=user, organisation=organisation, team=team, role=Role(person["role"])
        )
    drills = await load_demo_playbook(team, seeds_dir)
    now = datetime.now(UTC)
    season_seed = seeds_dir / "season.yaml"
    if mid_season is None:
        await load_demo_season(team, drills, now, season_seed)
        return True
    played = int(read_seed("season.yaml", seeds_dir)["finished_rounds"])
    season = await load_demo_season(team, drills, now, season_seed, played)
    if season is not None:
        await fill_mid_season(season, played, mid_season, seeds_dir, now)
    return True


async def fill_mid_season(
    season: Season, played: int, mid_season: MidSeason, seeds_dir: Path, now: datetime
) -> None:
    """The finished rounds played out, then the coach's side: numbers, focus skills, a 1:1."""
    await coaching_demo.play_finished_rounds(
        season, played, mid_season.settings, mid_season.storage, seeds_dir
    )
    team_id: int = season.team_id  # type: ignore[attr-defined]
    today = local_today(now, season.time_zone)
    await coaching_demo.import_demo_metrics(team_id, today, now, seeds_dir)
    await coaching_demo.set_demo_focus_skills(season)
    await coaching_demo.hold_last_weeks_one_on_one(team_id, today)
