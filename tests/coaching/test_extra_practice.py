"""Extra practice: a drill a manager sets one rep privately; done once they keep a take of it."""

from __future__ import annotations

from datetime import timedelta

from league.accounts.models import Membership, Team
from league.clips.models import Take
from league.clock import FrozenClock
from league.coaching.models import ExtraPractice
from league.playbook.models import Drill
from league.standings.models import RoundPoints
from tests.conftest import ClientFactory
from tests.factories import make_drill


async def keep_take(rep: Membership, drill: Drill) -> Take:
    count = await Take.filter(member_id=rep.id).count()
    return await Take.create(
        team_id=rep.team_id,  # type: ignore[attr-defined]
        member=rep,
        drill=drill,
        storage_key=f"test/extra-{rep.id}-{drill.id}-{count}.webm",
        content_type="audio/webm",
        duration_seconds=20.0,
        size_bytes=20_000,
    )


async def test_a_rep_practises_the_drill_their_manager_set(
    make_client: ClientFactory,
    manager: Membership,
    reps: list[Membership],
    drill: Drill,
    clock: FrozenClock,
) -> None:
    priya = reps[0]
    coach = await make_client(manager)
    response = await coach.post(
        f"/coaching/reps/{priya.id}/practice",
        data={"drill_id": str(drill.id), "skill": "Concision"},
    )
    assert response.status_code == 303
    rep = await make_client(priya)
    today = await rep.get("/")
    assert f"Extra practice: {drill.title}" in today.text
    assert "Extra practice" not in (await (await make_client(reps[1])).get("/")).text
    # A take kept before the drill was set does not count; one after does.
    earlier = await keep_take(priya, drill)
    await Take.filter(id=earlier.id).update(created_at=clock.now() - timedelta(days=1))
    assert "To do" in (await coach.get(f"/coaching/reps/{priya.id}")).text
    await keep_take(priya, drill)
    packet = await coach.get(f"/coaching/reps/{priya.id}")
    assert "5 practice points so far" in packet.text
    assert f"Extra practice: {drill.title}" not in (await rep.get("/")).text
    assert not await RoundPoints.filter(member_id=priya.id).exists()  # no public ranking


async def test_it_refuses_another_teams_drill_and_a_fourth_open_drill(
    make_client: ClientFactory,
    manager: Membership,
    reps: list[Membership],
    drill: Drill,
    outsider: Membership,
) -> None:
    coach = await make_client(manager)
    url = f"/coaching/reps/{reps[0].id}/practice"
    theirs = await make_drill(await Team.get(id=outsider.team_id), "Their drill")  # type: ignore[attr-defined]
    response = await coach.post(url, data={"drill_id": str(theirs.id)})
    assert response.status_code == 400 and "Pick one of the team&#39;s drills" in response.text
    for _ in range(3):
        await coach.post(url, data={"drill_id": str(drill.id)})
    fourth = await coach.post(url, data={"drill_id": str(drill.id)})
    assert fourth.status_code == 400 and "let them finish one first" in fourth.text
    assert await ExtraPractice.all().count() == 3


async def test_only_the_reps_coaches_set_extra_practice(
    make_client: ClientFactory, reps: list[Membership], drill: Drill, outsider: Membership
) -> None:
    url = f"/coaching/reps/{reps[1].id}/practice"
    data = {"drill_id": str(drill.id)}
    assert (await (await make_client(reps[0])).post(url, data=data)).status_code == 403
    assert (await (await make_client(outsider)).post(url, data=data)).status_code == 404
    assert await ExtraPractice.all().count() == 0
