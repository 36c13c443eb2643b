"""Notes and agreed actions: saved for the week, checked off in next week's packet."""

from __future__ import annotations

from league.accounts.models import Membership
from league.coaching.models import AgreedAction, OneOnOne
from tests.conftest import ClientFactory


async def test_next_weeks_packet_shows_last_weeks_actions_and_whether_done(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    priya = reps[0]
    client = await make_client(manager)
    response = await client.post(
        f"/coaching/reps/{priya.id}/notes",
        data={
            "week": "2026-03-02",
            "notes": "Good energy",
            "actions": "Record the opener twice\n\nAsk one open question per call",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/coaching/reps/{priya.id}?week=2026-03-02"
    saved = await OneOnOne.get(member_id=priya.id)
    assert saved.notes == "Good energy"
    next_week = await client.get(f"/coaching/reps/{priya.id}?week=2026-03-09")
    assert "Record the opener twice" in next_week.text
    assert next_week.text.count("Not checked") == 2
    first = await AgreedAction.filter(text="Record the opener twice").first()
    assert first is not None
    done = await client.post(f"/coaching/actions/{first.id}", data={"done": "yes"})
    assert done.headers["location"] == f"/coaching/reps/{priya.id}?week=2026-03-09#last-week"
    again = await client.get(f"/coaching/reps/{priya.id}?week=2026-03-09")
    assert again.text.count("Not checked") == 1
    assert (await AgreedAction.get(id=first.id)).done is True


async def test_saving_again_replaces_the_weeks_actions(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    client = await make_client(manager)
    url = f"/coaching/reps/{reps[0].id}/notes"
    await client.post(url, data={"week": "2026-03-02", "actions": "One\nTwo\nThree\nFour"})
    assert await AgreedAction.all().count() == 3  # three at most: focus
    await client.post(url, data={"week": "2026-03-02", "actions": "Only this"})
    assert await AgreedAction.all().values_list("text", flat=True) == ["Only this"]


async def test_only_the_reps_coaches_write_notes_or_tick_actions(
    make_client: ClientFactory, manager: Membership, reps: list[Membership], outsider: Membership
) -> None:
    priya = reps[0]
    url = f"/coaching/reps/{priya.id}/notes"
    assert (await (await make_client(priya)).post(url, data={"notes": "x"})).status_code == 403
    assert (await (await make_client(outsider)).post(url, data={"notes": "x"})).status_code == 404
    await (await make_client(manager)).post(url, data={"actions": "Practise"})
    action = await AgreedAction.get(text="Practise")
    tick = f"/coaching/actions/{action.id}"
    assert (await (await make_client(priya)).post(tick, data={"done": "yes"})).status_code == 403
    assert (await (await make_client(outsider)).post(tick, data={"done": "yes"})).status_code == 404
    assert (await AgreedAction.get(id=action.id)).done is None
