"""The 1:1 packet: what the manager sees, what the rep sees of their own, and who may open it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from league.accounts.models import Membership, Role, Team
from league.coaching.importing import MetricsRow
from league.coaching.metrics_service import replace_period
from league.coaching.models import FocusSkill
from league.seasons.models import Season
from tests.conftest import ClientFactory
from tests.factories import make_member, make_team

KEYS = ("activities", "meetings", "opportunities", "proposals", "wins")


@pytest.fixture
async def numbers(reps: list[Membership]) -> None:
    priya, jonas, _ = reps
    rows = [
        MetricsRow(
            2, priya.id, "Priya Shah", dict(zip(KEYS, (120, 30, 12, 6, 3), strict=True)), 15000
        ),
        MetricsRow(
            3, jonas.id, "Jonas Berg", dict(zip(KEYS, (80, 20, 10, 4, 1), strict=True)), 9000
        ),
    ]
    await replace_period(priya.team_id, "2026-02", rows, datetime(2026, 3, 1, tzinfo=UTC))  # type: ignore[attr-defined]


async def open_packet(client: httpx.AsyncClient, rep: Membership, week: str = "") -> httpx.Response:
    return await client.get(f"/coaching/reps/{rep.id}" + (f"?week={week}" if week else ""))


async def test_the_manager_sees_the_whole_packet(
    make_client: ClientFactory,
    manager: Membership,
    reps: list[Membership],
    scored_season: Season,
    numbers: None,
) -> None:
    priya = reps[0]
    client = await make_client(manager)
    await client.post(
        f"/coaching/reps/{priya.id}/focus",
        data={"skill": ["criterion:concision", "criterion:key_points"]},
    )
    page = await open_packet(client, priya)
    assert page.status_code == 200
    text = page.text
    assert "Week of 2 Mar 2026" in text
    # Focus skills, each with a trend chart of three rounds against the team.
    assert text.count('class="line-chart"') == 2
    assert "round 3: 2.0 against the team&#39;s 3.0" in text  # concision, in the chart's label
    # Best (round 2, 3.8) and weakest (round 3, 2.6) takes with their peer comments.
    assert "Best: Why us, not them" in text and "round 2 · 3.8 of 5" in text
    assert "To rehearse: Why us, not them" in text and "round 3 · 2.6 of 5" in text
    assert "Round 2: strong opening, Priya Shah" in text
    # Numbers and funnel against the team (Priya and Jonas): meetings -> opportunities is
    # 12/30 = 40% against (12 + 10) / (30 + 20) = 44%, her widest gap.
    assert "Meetings to opportunities" in text and 'class="bar-chart"' in text
    assert (
        "Biggest gap to the team: <strong>Meetings to opportunities</strong> (40% against 44%)"
        in text
    )
    # The agenda: celebrate the best take, rehearse the first focus skill, the numbers.
    assert "Celebrate a win" in text and "Rehearse: Concision" in text
    assert "40% of meetings became opportunities, against 44% for the team" in text
    assert "Reviews done" in text


async def test_the_packet_suggests_focus_skills_before_any_are_set(
    make_client: ClientFactory, manager: Membership, reps: list[Membership], scored_season: Season
) -> None:
    page = await open_packet(await make_client(manager), reps[0])
    assert "No focus skills set for this season yet." in page.text
    assert "<strong>Concision</strong>: 1.0 below the team average" in page.text
    assert "No sales numbers for Priya Shah yet." in page.text


async def test_the_rep_sees_only_the_practice_parts_of_their_own_packet(
    make_client: ClientFactory,
    manager: Membership,
    reps: list[Membership],
    scored_season: Season,
    numbers: None,
) -> None:
    priya = reps[0]
    await (await make_client(manager)).post(
        f"/coaching/reps/{priya.id}/notes",
        data={"notes": "Private: nervous about the renewal", "actions": "Record the opener twice"},
    )
    page = await open_packet(await make_client(priya), priya)
    assert page.status_code == 200
    assert "Your training" in page.text
    assert "Best: Why us, not them" in page.text
    assert "Record the opener twice" in page.text
    for hidden in ("Sales numbers", "Suggested agenda", "nervous about the renewal", "Jonas Berg"):
        assert hidden not in page.text


async def test_a_rep_cannot_open_a_teammates_packet(
    make_client: ClientFactory, reps: list[Membership], scored_season: Season
) -> None:
    response = await open_packet(await make_client(reps[1]), reps[0])
    assert response.status_code == 404
    assert "Priya" not in response.text


async def test_a_manager_cannot_open_another_teams_packet(
    make_client: ClientFactory, team: Team, reps: list[Membership], outsider: Membership
) -> None:
    other_team = await make_team(await team.organisation, "Enterprise")  # same organisation
    other_manager = await make_member(other_team, Role.MANAGER)
    assert (await open_packet(await make_client(other_manager), reps[0])).status_code == 404
    assert (await open_packet(await make_client(outsider), reps[0])).status_code == 404


async def test_an_admin_opens_any_packet_in_their_organisation(
    make_client: ClientFactory, admin: Membership, reps: list[Membership]
) -> None:
    assert (await open_packet(await make_client(admin), reps[0])).status_code == 200


async def test_it_asks_to_sign_in(client: httpx.AsyncClient, reps: list[Membership]) -> None:
    response = await open_packet(client, reps[0])
    assert response.status_code in (303, 401)


async def test_it_refuses_a_bad_week(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    response = await open_packet(await make_client(manager), reps[0], week="soon")
    assert response.status_code == 400
    assert "for example 2026-03-02" in response.text


async def test_setting_focus_skills_replaces_them_and_checks_the_count(
    make_client: ClientFactory, manager: Membership, reps: list[Membership], scored_season: Season
) -> None:
    priya = reps[0]
    client = await make_client(manager)
    url = f"/coaching/reps/{priya.id}/focus"
    await client.post(url, data={"skill": ["criterion:clarity", "criterion:concision"]})
    response = await client.post(url, data={"skill": ["criterion:confidence"]})
    assert response.status_code == 303
    assert await FocusSkill.filter(member_id=priya.id).values_list("label", flat=True) == [
        "Confidence"
    ]
    four = [
        "criterion:clarity",
        "criterion:concision",
        "criterion:key_points",
        "criterion:confidence",
    ]
    too_many = await client.post(url, data={"skill": four})
    assert too_many.status_code == 400 and "at most 3 skills" in too_many.text
    none = await client.post(url, data={})
    assert none.status_code == 400 and "Pick at least one skill" in none.text
    unknown = await client.post(url, data={"skill": ["criterion:juggling"]})
    assert unknown.status_code == 400
    assert await FocusSkill.filter(member_id=priya.id).count() == 1


async def test_a_playbook_item_can_be_a_focus_skill(
    make_client: ClientFactory, manager: Membership, reps: list[Membership], scored_season: Season
) -> None:
    from tests.factories import make_item

    item = await make_item(await manager.team, title="We already use a competitor")
    client = await make_client(manager)
    await client.post(f"/coaching/reps/{reps[0].id}/focus", data={"skill": [f"item:{item.id}"]})
    page = await open_packet(client, reps[0])
    assert "<h3>We already use a competitor</h3>" in page.text


async def test_only_coaches_set_focus_skills(
    make_client: ClientFactory,
    reps: list[Membership],
    scored_season: Season,
    outsider: Membership,
) -> None:
    url = f"/coaching/reps/{reps[0].id}/focus"
    data = {"skill": ["criterion:clarity"]}
    assert (await (await make_client(reps[0])).post(url, data=data)).status_code == 403
    assert (await (await make_client(outsider)).post(url, data=data)).status_code == 404
    assert await FocusSkill.all().count() == 0


async def test_the_rep_sees_focus_skills_on_today(
    make_client: ClientFactory, manager: Membership, reps: list[Membership], scored_season: Season
) -> None:
    priya = reps[0]
    await (await make_client(manager)).post(
        f"/coaching/reps/{priya.id}/focus", data={"skill": ["criterion:concision"]}
    )
    today = await (await make_client(priya)).get("/")
    assert "Your training goals" in today.text
    assert "<li>Concision</li>" in today.text
    other = await (await make_client(reps[1])).get("/")
    assert "Your training goals" not in other.text
