from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.clips.models import Take
from league.playbook.models import Drill
from league.seasons.models import Round
from tests.conftest import ClientFactory


def takes_url(drill: Drill) -> str:
    return f"/drills/{drill.id}/takes"


async def test_it_returns_the_takes_panel_for_htmx(
    make_client: ClientFactory, rep: Membership, drill: Drill, take: Take, open_round: Round
) -> None:
    client = await make_client(rep)
    response = await client.get(takes_url(drill), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<section")
    assert f'id="take-{take.id}"' in response.text
    assert f"/takes/{take.id}/submit" in response.text
    assert "0:02" in response.text


async def test_a_plain_visit_goes_to_the_record_screen(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    response = await client.get(takes_url(drill))
    assert response.status_code == 303
    assert response.headers["location"] == f"/drills/{drill.id}/record"


async def test_it_offers_no_submit_button_without_an_open_round(
    make_client: ClientFactory, rep: Membership, drill: Drill, take: Take
) -> None:
    client = await make_client(rep)
    response = await client.get(takes_url(drill), headers={"HX-Request": "true"})
    assert f"/takes/{take.id}/submit" not in response.text
    assert f"/takes/{take.id}/delete" in response.text


async def test_it_hides_another_organisations_drill(
    make_client: ClientFactory, outsider: Membership, drill: Drill
) -> None:
    client = await make_client(outsider)
    response = await client.get(takes_url(drill), headers={"HX-Request": "true"})
    assert response.status_code == 404


async def test_it_sends_logged_out_people_to_sign_in(
    client: httpx.AsyncClient, drill: Drill
) -> None:
    assert (await client.get(takes_url(drill))).status_code == 303


async def test_it_rejects_the_wrong_method(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    assert (await client.delete(takes_url(drill))).status_code == 405
