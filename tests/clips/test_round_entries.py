from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request

from league.accounts.models import Membership
from league.clips import service
from league.clips.models import Entry, Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.reactions import Reactions
from league.seasons.models import Round
from league.web.templating import templates
from tests.clips.conftest import store_take
from tests.conftest import ClientFactory


def render_fragment(app: Starlette, entries: list[Entry]) -> str:
    scope = {"type": "http", "app": app, "router": app.router, "path": "/", "headers": []}
    template = templates.env.get_template("clips/_round_entries.html")
    return template.render(request=Request(scope), entries=entries, time_zone="Europe/London")


async def test_it_lists_who_submitted_including_withdrawals(
    app: Starlette,
    rep: Membership,
    teammate: Membership,
    drill: Drill,
    take: Take,
    entry: Entry,
    open_round: Round,
    storage: LocalStorage,
    clock: FrozenClock,
    reactions: Reactions,
) -> None:
    other = await store_take(storage, teammate, drill, clock)
    withdrawn = await service.submit_take(other, clock.now(), reactions)
    await service.withdraw_entry(withdrawn, clock.now(), reactions)
    entries = await service.list_round_entries(open_round.id)
    assert [e.member.user.name for e in entries] == ["Riley Rep", "Taylor Teammate"]
    html = render_fragment(app, entries)
    assert "Riley Rep" in html and "Competitor objection" in html
    assert "submitted" in html and "Mon 09:00" in html
    assert html.count("Withdrawn") == 1
    assert f"/clips/{take.id}/media" in html


async def test_it_says_when_nobody_has_submitted(app: Starlette, open_round: Round) -> None:
    assert (
        render_fragment(app, await service.list_round_entries(open_round.id)).count(
            "No entries yet"
        )
        == 1
    )


async def test_entries_by_drill_shows_what_a_rep_has_done(
    rep: Membership, entry: Entry, open_round: Round, drill: Drill
) -> None:
    done = await service.entries_by_drill(rep.id, open_round.id)
    assert list(done) == [drill.id]


async def test_a_manager_can_play_every_listed_entry(
    make_client: ClientFactory, manager: Membership, entry: Entry, open_round: Round
) -> None:
    client = await make_client(manager)
    for listed in await service.list_round_entries(open_round.id):
        response = await client.get(f"/clips/{listed.take_id}/media")  # type: ignore[attr-defined]
        assert response.status_code == 200
