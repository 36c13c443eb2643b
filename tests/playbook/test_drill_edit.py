from __future__ import annotations

from typing import Any

import httpx
import pytest

from league.accounts.models import Membership
from league.playbook.models import Drill
from tests.conftest import ClientFactory
from tests.playbook.conftest import HTMX
from tests.playbook.test_drill_new import rubric_fields


def edit_form(
    drill: Drill, rubric: list[dict[str, Any]] | None = None, **changes: Any
) -> dict[str, Any]:
    form: dict[str, Any] = {
        "title": drill.title,
        "prompt": drill.prompt,
        "kind": drill.kind.value,
        "time_limit_seconds": str(drill.time_limit_seconds),
        "item_ids": [str(item.id) for item in drill.items],
        **rubric_fields(drill.rubric if rubric is None else rubric),
    }
    form.update(changes)
    return form


@pytest.fixture
async def drill(drills: list[Drill]) -> Drill:
    return await Drill.get(id=drills[5].id).prefetch_related("items")


async def test_it_shows_the_drill_and_its_rubric(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    response = await (await make_client(manager)).get(f"/drills/{drill.id}/edit")
    assert response.status_code == 200
    assert drill.title in response.text
    assert 'name="time_limit_seconds"' in response.text and 'value="45"' in response.text
    assert f'value="{drill.items[0].id}" checked' in response.text


async def test_it_saves_a_new_time_limit(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    response = await (await make_client(manager)).post(
        f"/drills/{drill.id}/edit", data=edit_form(drill, time_limit_seconds="60")
    )
    assert response.status_code == 303
    await drill.refresh_from_db()
    assert drill.time_limit_seconds == 60


async def test_it_saves_edited_criteria_and_keeps_their_keys(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    rubric = [dict(criterion) for criterion in drill.rubric[:3]]
    rubric[0] = {**rubric[0], "name": "Clear message", "weight": "2.5"}
    rubric.append({"name": "Uses the buyer's words", "weight": "1", "levels": list("abcde")})
    response = await (await make_client(manager)).post(
        f"/drills/{drill.id}/edit", data=edit_form(drill, rubric)
    )
    assert response.status_code == 303
    await drill.refresh_from_db()
    assert [c["key"] for c in drill.rubric] == [
        "clarity",
        "concision",
        "key_points",
        "uses_the_buyer_s_words",
    ]
    assert drill.rubric[0]["name"] == "Clear message"
    assert drill.rubric[0]["weight"] == 2.5
    assert drill.rubric[3]["levels"] == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"criteria-0-weight": "0"}, "must be more than 0"),
        ({"criteria-0-weight": "-1"}, "must be more than 0"),
        ({"criteria-0-weight": "heavy"}, "must be a number"),
        ({"criteria-1-level-3": " "}, "needs a one-line description for each level"),
        ({"criteria-2-name": ""}, "Every criterion needs a name"),
        ({"criteria-1-name": "clarity"}, "Two criteria are called"),
    ],
)
async def test_it_refuses_a_broken_rubric_and_keeps_the_saved_one(
    make_client: ClientFactory,
    manager: Membership,
    drill: Drill,
    change: dict[str, str],
    message: str,
) -> None:
    saved = drill.rubric
    response = await (await make_client(manager)).post(
        f"/drills/{drill.id}/edit", data=edit_form(drill, None, **change)
    )
    assert response.status_code == 422
    assert message in response.text
    await drill.refresh_from_db()
    assert drill.rubric == saved


async def test_it_needs_one_to_eight_criteria(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    client = await make_client(manager)
    none = await client.post(f"/drills/{drill.id}/edit", data=edit_form(drill, []))
    assert none.status_code == 422
    assert "A rubric has 1 to 8 criteria" in none.text
    nine = [
        {"name": f"Skill {n}", "weight": "1", "levels": ["a", "b", "c", "d", "e"]} for n in range(9)
    ]
    too_many = await client.post(f"/drills/{drill.id}/edit", data=edit_form(drill, nine))
    assert too_many.status_code == 422
    assert "A rubric has 1 to 8 criteria" in too_many.text


async def test_its_rubric_buttons_change_the_form_without_saving(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    client = await make_client(manager)
    url = f"/drills/{drill.id}/edit"
    added = await client.post(url, data=edit_form(drill, rubric_action="add"), headers=HTMX)
    assert added.status_code == 200
    assert 'name="criteria-5-name" value=""' in added.text
    removed = await client.post(url, data=edit_form(drill, rubric_action="remove-0"))
    assert removed.status_code == 200
    assert 'name="criteria-0-name" value="Concision"' in removed.text
    assert 'name="criteria-4-name"' not in removed.text
    reset = await client.post(url, data=edit_form(drill, [], rubric_action="reset"))
    assert 'name="criteria-4-name" value="Ends with a question"' in reset.text
    await drill.refresh_from_db()
    assert len(drill.rubric) == 5


async def test_it_hides_another_organisations_drill(
    make_client: ClientFactory, manager: Membership, foreign_drill: Drill
) -> None:
    client = await make_client(manager)
    assert (await client.get(f"/drills/{foreign_drill.id}/edit")).status_code == 404
    await foreign_drill.fetch_related("items")
    data = edit_form(foreign_drill, title="Taken")
    assert (await client.post(f"/drills/{foreign_drill.id}/edit", data=data)).status_code == 404
    await foreign_drill.refresh_from_db()
    assert foreign_drill.title == "Rival drill"


async def test_it_forbids_reps(make_client: ClientFactory, rep: Membership, drill: Drill) -> None:
    client = await make_client(rep)
    assert (await client.get(f"/drills/{drill.id}/edit")).status_code == 403
    data = edit_form(drill, time_limit_seconds="90")
    assert (await client.post(f"/drills/{drill.id}/edit", data=data)).status_code == 403


async def test_it_rejects_delete(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    response = await (await make_client(manager)).delete(f"/drills/{drill.id}/edit")
    assert response.status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(
    client: httpx.AsyncClient, drill: Drill
) -> None:
    response = await client.get(f"/drills/{drill.id}/edit")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_answers_htmx_with_the_form_fragment(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    response = await (await make_client(manager)).get(f"/drills/{drill.id}/edit", headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<form")


async def test_it_keeps_an_item_archived_since_the_drill_was_built(
    make_client: ClientFactory, manager: Membership, drill: Drill
) -> None:
    item = drill.items[0]
    client = await make_client(manager)
    await client.post(f"/playbook/items/{item.id}/archive")
    page = await client.get(f"/drills/{drill.id}/edit")
    assert f'value="{item.id}" checked' in page.text
    assert "(archived)" in page.text
    saved = await client.post(f"/drills/{drill.id}/edit", data=edit_form(drill, title="Renamed"))
    assert saved.status_code == 303
    await drill.fetch_related("items")
    assert [kept.id for kept in drill.items] == [item.id]
