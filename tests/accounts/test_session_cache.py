"""One cheap session lookup per request: a session loaded lately is reused, and whatever
ends it or changes its member's rights takes effect on the member's very next request."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from bench.scoring import QueryCounter
from league.accounts.models import Membership, Session
from tests.conftest import ClientFactory


async def statements_for(client: httpx.AsyncClient, path: str) -> int:
    counter = QueryCounter()
    counter.install()
    try:
        with counter.measure() as used:
            response = await client.get(path)
    finally:
        counter.uninstall()
    assert response.status_code == 200
    return used[0]


async def test_a_second_request_does_not_load_the_session_again(
    make_client: ClientFactory, rep: Membership, app: Starlette
) -> None:
    phone = await make_client(rep)
    # The Reviews tab: its own statements are the same each time (the team's board, which
    # /me reads, is cached per team version and would hide the session's statement).
    first = await statements_for(phone, "/reviews")
    second = await statements_for(phone, "/reviews")
    assert second == first - 1
    app.state.sessions.forget_all()
    assert await statements_for(phone, "/reviews") == first


async def test_a_demoted_manager_loses_the_judging_queue_at_once(
    make_client: ClientFactory, manager: Membership, admin: Membership
) -> None:
    demoted = await make_client(manager)
    assert (await demoted.get("/judging")).status_code == 200
    admin_client = await make_client(admin)
    response = await admin_client.post(f"/team/members/{manager.id}/role", data={"role": "rep"})
    assert response.status_code == 303
    assert (await demoted.get("/judging")).status_code == 403


async def test_a_deactivated_rep_is_signed_out_at_once(
    make_client: ClientFactory, rep: Membership, manager: Membership
) -> None:
    phone = await make_client(rep)
    assert (await phone.get("/me")).status_code == 200
    coach = await make_client(manager)
    response = await coach.post(f"/team/members/{rep.id}/active", data={"active": "false"})
    assert response.status_code == 303
    again = await phone.get("/me")
    assert again.status_code == 303
    assert again.headers["location"].startswith("/signin")


async def test_another_process_signing_a_member_out_forgets_cached_sessions(
    make_client: ClientFactory, rep: Membership, app: Starlette
) -> None:
    phone = await make_client(rep)
    assert (await phone.get("/me")).status_code == 200
    # Another server process ended the session: its row is gone and its event arrives.
    await Session.filter(membership=rep).delete()
    await app.state.sessions.on_event({"kind": "session_ended", "team_id": rep.team_id})  # type: ignore[attr-defined]
    assert (await phone.get("/me")).status_code == 303
