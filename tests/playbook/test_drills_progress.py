"""The Drills tab shows the member's progress on each drill and filters by kind."""

from __future__ import annotations

import re

from league.accounts.models import Membership
from league.clips.models import Take
from league.playbook.models import Drill, DrillKind
from league.seasons.models import RoundState
from tests import factories
from tests.conftest import ClientFactory


def badge_of(page: str, drill: Drill) -> str:
    card = page.split(f'id="drill-{drill.id}"', 1)[1].split("</li>", 1)[0]
    found = re.search(r'class="badge progress-badge[^"]*">([^<]+)<', card)
    assert found, f"no progress badge on {drill.title}"
    return found.group(1).strip()


async def test_it_shows_done_practised_and_not_tried(
    make_client: ClientFactory, rep: Membership, teammate: Membership, drills: list[Drill]
) -> None:
    season = await factories.make_season(rep.team)
    round_ = await factories.make_round(season, drills[:2], state=RoundState.OPEN)
    await factories.make_entry(round_, rep, factories.MONDAY, drills[0])
    await Take.create(
        team_id=rep.team.id,
        member=rep,
        drill=drills[2],
        storage_key="test/practice.webm",
        content_type="audio/webm",
        duration_seconds=12.0,
        size_bytes=9_000,
    )
    # A teammate's entry is not the rep's progress.
    await factories.make_entry(round_, teammate, factories.MONDAY, drills[1])
    page = (await (await make_client(rep)).get("/drills")).text
    assert badge_of(page, drills[0]) == "Done this round"
    assert badge_of(page, drills[1]) == "Not tried yet"
    assert badge_of(page, drills[2]) == "Practised · 1 take"
    assert page.count(">This round</span>") == 2
    counts = re.findall(r"<strong>(\d+)</strong> <span>([a-z ]+)</span>", page)
    assert counts == [
        ("1", "done this round"),
        ("1", "practised"),
        (str(len(drills) - 2), "not tried yet"),
    ]


async def test_it_filters_by_kind_and_ignores_an_unknown_kind(
    make_client: ClientFactory, rep: Membership, drills: list[Drill]
) -> None:
    client = await make_client(rep)
    objections = [drill for drill in drills if drill.kind == DrillKind.OBJECTION]
    assert objections and len(objections) < len(drills)
    page = (await client.get("/drills?kind=objection")).text
    assert page.count('class="card drill-card"') == len(objections)
    assert 'href="/drills?kind=objection" aria-current="true"' in page
    everything = await client.get("/drills?kind=<script>")
    assert everything.status_code == 200
    assert everything.text.count('class="card drill-card"') == len(drills)


async def test_this_rounds_drills_come_first(
    make_client: ClientFactory, rep: Membership, drills: list[Drill]
) -> None:
    season = await factories.make_season(rep.team)
    in_round = drills[-2:]
    await factories.make_round(season, in_round, state=RoundState.OPEN)
    page = (await (await make_client(rep)).get("/drills")).text
    order = [int(found) for found in re.findall(r'id="drill-(\d+)"', page)]
    assert set(order[:2]) == {drill.id for drill in in_round}
    assert order[2:] == sorted(order[2:])
