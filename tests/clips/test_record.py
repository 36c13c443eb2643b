from __future__ import annotations

import re

import httpx

from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.playbook.models import Drill
from league.seasons.models import Round
from tests.conftest import ClientFactory


def record_url(drill: Drill) -> str:
    return f"/drills/{drill.id}/record"


async def test_it_shows_the_drill_ready_to_record(
    make_client: ClientFactory, rep: Membership, drill: Drill, open_round: Round
) -> None:
    client = await make_client(rep)
    response = await client.get(record_url(drill))
    assert response.status_code == 200
    page = response.text
    assert "Competitor objection" in page
    assert "Your buyer says: we already use a competitor." in page
    assert "Up to 30 seconds" in page
    assert "data-record" in page and "Record video too" in page
    assert f'data-upload-url="/drills/{drill.id}/takes"' in page
    assert 'data-time-limit="30"' in page
    # Key points from the drill's playbook items, each once.
    assert page.count("Acknowledge first") == 1 and "Ask what they&#39;d change" in page
    assert "Round 1 · submit by" in page and "Wed 04 Mar 18:00" in page
    assert 'data-entry-state="open"' in page
    assert "/static/js/recorder.js" in page and "/static/js/upload-queue.js" in page


async def test_it_lists_the_reps_takes_and_marks_the_entry(
    make_client: ClientFactory, rep: Membership, drill: Drill, take: Take, entry: Entry
) -> None:
    client = await make_client(rep)
    page = (await client.get(record_url(drill))).text
    assert f'id="take-{take.id}"' in page
    assert f"/clips/{take.id}/media" in page
    assert "Your entry" in page and 'data-entry-state="submitted"' in page
    assert f"/entries/{entry.id}/withdraw" in page
    # The entry's take can be neither deleted nor submitted again.
    assert f"/takes/{take.id}/delete" not in page
    assert f"/takes/{take.id}/submit" not in page


async def test_it_never_shows_a_teammates_takes(
    make_client: ClientFactory, teammate: Membership, drill: Drill, take: Take
) -> None:
    client = await make_client(teammate)
    page = (await client.get(record_url(drill))).text
    assert f'id="take-{take.id}"' not in page
    assert "No takes yet" in page


async def test_it_says_when_no_round_is_open(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    page = (await client.get(record_url(drill))).text
    assert 'data-entry-state="none"' in page
    assert "submit by" not in page


async def test_a_boosted_visit_loads_the_whole_page(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    client = await make_client(rep)
    response = await client.get(
        record_url(drill), headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert response.status_code == 204
    assert response.headers["hx-redirect"] == record_url(drill)


async def test_it_hides_another_organisations_drill(
    make_client: ClientFactory, outsider: Membership, drill: Drill
) -> None:
    client = await make_client(outsider)
    assert (await client.get(record_url(drill))).status_code == 404


async def test_it_sends_logged_out_people_to_sign_in(
    client: httpx.AsyncClient, drill: Drill
) -> None:
    response = await client.get(record_url(drill))
    assert response.status_code == 303
    assert response.headers["location"] == f"/signin?next=%2Fdrills%2F{drill.id}%2Frecord"


async def test_it_rejects_post(make_client: ClientFactory, rep: Membership, drill: Drill) -> None:
    client = await make_client(rep)
    assert (await client.post(record_url(drill))).status_code == 405


async def test_a_drill_opened_from_today_keeps_today_lit_in_the_tab_bar(
    rep: Membership, drill: Drill, make_client: ClientFactory
) -> None:
    client = await make_client(rep)
    today = "http://testserver/"
    from_today = (await client.get(record_url(drill), headers={"Referer": today})).text
    assert active_tab(from_today) == "Today"
    drills_tab = {"Referer": "http://testserver/drills"}
    from_drills = (await client.get(record_url(drill), headers=drills_tab)).text
    assert active_tab(from_drills) == "Drills"


def active_tab(page: str) -> str:
    found = re.search(
        r'class="tab is-active" aria-current="page">.*?<span>(\w+)</span>', page, re.S
    )
    assert found, "no tab is lit"
    return found.group(1)
