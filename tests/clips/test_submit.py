from __future__ import annotations

from datetime import timedelta

import httpx

from league.accounts.models import Membership
from league.clips.models import Entry, Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.seasons.models import Round, RoundState, Season
from tests.clips.conftest import store_take
from tests.conftest import ClientFactory

HTMX = {"HX-Request": "true"}


def submit_url(take: Take) -> str:
    return f"/takes/{take.id}/submit"


async def test_it_makes_the_take_the_rounds_entry(
    make_client: ClientFactory, rep: Membership, take: Take, open_round: Round, clock: FrozenClock
) -> None:
    client = await make_client(rep)
    response = await client.post(submit_url(take))
    assert response.status_code == 303
    entry = await Entry.get(member_id=rep.id, round_id=open_round.id)
    record = f"/drills/{take.drill_id}/record"  # type: ignore[attr-defined]
    assert response.headers["location"] == f"{record}?submitted={entry.id}#takes-panel"
    assert entry.take_id == take.id  # type: ignore[attr-defined]
    assert entry.submitted_at == clock.now()
    assert entry.withdrawn_at is None


async def test_without_javascript_the_record_screen_it_lands_on_is_the_moment(
    make_client: ClientFactory, rep: Membership, take: Take, open_round: Round
) -> None:
    client = await make_client(rep)
    response = await client.post(submit_url(take), follow_redirects=True)
    assert response.status_code == 200
    assert 'data-moment="submitted"' in response.text
    assert "Entry in!" in response.text
    assert "for showing up in round" in response.text
    # The acknowledgement is for the moment itself: the plain record screen has none, and
    # neither does a link naming someone else's entry.
    record = f"/drills/{take.drill_id}/record"  # type: ignore[attr-defined]
    assert "data-moment" not in (await client.get(record)).text
    assert "data-moment" not in (await client.get(f"{record}?submitted=999999")).text


async def test_it_answers_htmx_with_the_takes_panel(
    make_client: ClientFactory, rep: Membership, take: Take, open_round: Round
) -> None:
    client = await make_client(rep)
    response = await client.post(submit_url(take), headers=HTMX)
    assert response.status_code == 200
    assert 'id="takes-panel"' in response.text
    assert 'data-entry-state="submitted"' in response.text
    assert "Your entry" in response.text
    assert "<html" not in response.text


async def test_it_replaces_the_entry_until_the_deadline(
    make_client: ClientFactory,
    rep: Membership,
    drill: Drill,
    take: Take,
    open_round: Round,
    storage: LocalStorage,
    clock: FrozenClock,
) -> None:
    client = await make_client(rep)
    await client.post(submit_url(take))
    clock.advance(timedelta(days=1))
    better = await store_take(storage, rep, drill, clock)
    response = await client.post(submit_url(better))
    assert response.status_code == 303
    entries = await Entry.filter(member_id=rep.id, round_id=open_round.id)
    assert len(entries) == 1
    assert entries[0].take_id == better.id  # type: ignore[attr-defined]
    assert entries[0].submitted_at == clock.now()


async def test_it_refuses_a_late_submission_showing_the_deadline_in_the_teams_time_zone(
    make_client: ClientFactory, rep: Membership, take: Take, open_round: Round, clock: FrozenClock
) -> None:
    season = await Season.get(id=open_round.season_id)  # type: ignore[attr-defined]
    season.time_zone = "America/New_York"
    await season.save()
    clock.set(open_round.submit_closes_at + timedelta(minutes=1))
    client = await make_client(rep)
    response = await client.post(submit_url(take), headers=HTMX)
    assert response.status_code == 409
    assert "closed at Wed 4 Mar 13:00 (America/New_York)" in response.text
    assert await Entry.all().count() == 0


async def test_it_refuses_once_the_round_moved_on_to_reviewing(
    make_client: ClientFactory, rep: Membership, take: Take, open_round: Round
) -> None:
    open_round.state = RoundState.REVIEWING
    await open_round.save()
    client = await make_client(rep)
    response = await client.post(submit_url(take))
    assert response.status_code == 409
    assert "Submissions for round 1 closed at Wed 4 Mar 18:00 (Europe/London)" in response.text


async def test_it_explains_when_no_round_has_the_drill(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    client = await make_client(rep)
    response = await client.post(submit_url(take))
    assert response.status_code == 409
    assert "isn&#39;t in an open round" in response.text


async def test_resubmitting_after_withdrawing_enters_again(
    make_client: ClientFactory, rep: Membership, entry: Entry, take: Take
) -> None:
    entry.withdrawn_at = entry.submitted_at
    await entry.save()
    client = await make_client(rep)
    await client.post(submit_url(take))
    await entry.refresh_from_db()
    assert entry.withdrawn_at is None


async def test_it_hides_a_teammates_take(
    make_client: ClientFactory, teammate: Membership, take: Take, open_round: Round
) -> None:
    client = await make_client(teammate)
    assert (await client.post(submit_url(take))).status_code == 404


async def test_it_hides_another_organisations_take(
    make_client: ClientFactory, outsider: Membership, take: Take, open_round: Round
) -> None:
    client = await make_client(outsider)
    assert (await client.post(submit_url(take))).status_code == 404


async def test_it_sends_logged_out_people_to_sign_in(client: httpx.AsyncClient, take: Take) -> None:
    response = await client.post(submit_url(take))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_rejects_get(make_client: ClientFactory, rep: Membership, take: Take) -> None:
    client = await make_client(rep)
    assert (await client.get(submit_url(take))).status_code == 405
