"""A take's feedback is its rep's own; coaches see team figures from submitted entries only."""

from __future__ import annotations

from league.accounts.models import Membership
from league.clips.models import Take
from league.delivery.models import AnalysisStatus, MissDispute, TakeAnalysis
from league.playbook.models import Drill
from league.seasons.models import Round
from tests.conftest import ClientFactory


async def analysed_take(member: Membership, drill: Drill, heard: bool = True) -> Take:
    """A take with finished feedback, stored directly: these tests are about who sees it."""
    take = await Take.create(
        team_id=member.team_id,  # type: ignore[attr-defined]
        member=member,
        drill=drill,
        storage_key=f"takes/{member.id}/{drill.id}/{heard}.webm",
        content_type="audio/webm",
        duration_seconds=20,
        size_bytes=1000,
    )
    await TakeAnalysis.create(
        take=take,
        team_id=take.team_id,  # type: ignore[attr-defined]
        member=member,
        status=AnalysisStatus.DONE,
        words_per_minute=150,
        pauses=[[3.0, 1.5]],
        key_points=[
            {"text": "flat price per team", "heard": heard, "score": 0.9},
            {"text": "no consultants", "heard": False, "score": 0.2},
        ],
        created_at=take.created_at,
    )
    return take


async def test_others_cannot_see_a_takes_feedback(
    make_client: ClientFactory,
    rep: Membership,
    teammate: Membership,
    manager: Membership,
    outsider: Membership,
    drill: Drill,
) -> None:
    take = await analysed_take(rep, drill)
    own = await (await make_client(rep)).get(f"/takes/{take.id}/feedback")
    assert own.status_code == 200
    assert "150" in own.text

    for other in (teammate, manager, outsider):
        client = await make_client(other)
        assert (await client.get(f"/takes/{take.id}/feedback")).status_code == 404
        refused = await client.post(f"/takes/{take.id}/feedback/1/wrong")
        assert refused.status_code == 404
    assert await MissDispute.all().count() == 0


async def test_it_asks_to_sign_in_first(client: object, rep: Membership, drill: Drill) -> None:
    take = await analysed_take(rep, drill)
    response = await client.get(f"/takes/{take.id}/feedback")  # type: ignore[attr-defined]
    assert response.status_code in (302, 303, 401)


async def test_a_rep_marks_a_miss_as_wrong(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    take = await analysed_take(rep, drill)
    client = await make_client(rep)

    response = await client.post(
        f"/takes/{take.id}/feedback/1/wrong", headers={"HX-Request": "true"}
    )
    again = await client.post(f"/takes/{take.id}/feedback/1/wrong", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "You said it: noted" in response.text
    assert again.status_code == 200
    assert await MissDispute.filter(key_point="no consultants").count() == 1


async def test_it_refuses_to_mark_a_heard_point_or_a_point_that_does_not_exist(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    take = await analysed_take(rep, drill)
    client = await make_client(rep)

    heard = await client.post(f"/takes/{take.id}/feedback/0/wrong")
    missing = await client.post(f"/takes/{take.id}/feedback/7/wrong")
    wrong_method = await client.get(f"/takes/{take.id}/feedback/1/wrong")

    assert heard.status_code == 400
    assert "already heard" in heard.text
    assert missing.status_code == 404
    assert wrong_method.status_code == 405
    assert await MissDispute.all().count() == 0


async def test_team_figures_count_submitted_entries_only(
    make_client: ClientFactory,
    rep: Membership,
    teammate: Membership,
    manager: Membership,
    drill: Drill,
    open_round: Round,
) -> None:
    submitted = await analysed_take(rep, drill, heard=True)
    await analysed_take(teammate, drill, heard=False)  # practice only: private
    rep_client = await make_client(rep)
    await rep_client.post(f"/takes/{submitted.id}/submit")

    page = await (await make_client(manager)).get("/team/delivery")

    assert page.status_code == 200
    assert "1 so far" in page.text
    assert "Round 1" in page.text
    assert "1/1" in page.text  # flat price per team: heard in the one entry
    assert "0/1" in page.text
    assert (await rep_client.get("/team/delivery")).status_code == 403


async def test_the_reps_trend_lists_their_own_takes_only(
    make_client: ClientFactory, rep: Membership, teammate: Membership, drill: Drill
) -> None:
    await analysed_take(rep, drill)
    other = await analysed_take(teammate, drill)
    await TakeAnalysis.filter(take_id=other.id).update(words_per_minute=222)

    page = await (await make_client(rep)).get(f"/drills/{drill.id}/record")

    assert page.status_code == 200
    assert "Your pace" in page.text
    assert page.text.count("data-pace-point") == 1
    assert "222" not in page.text


async def test_a_deleted_take_leaves_the_trend(
    make_client: ClientFactory, rep: Membership, drill: Drill
) -> None:
    kept = await analysed_take(rep, drill)
    deleted = await analysed_take(rep, drill, heard=False)
    await Take.filter(id=deleted.id).update(deleted_at=kept.created_at)

    page = await (await make_client(rep)).get(f"/drills/{drill.id}/record")

    assert page.text.count("data-pace-point") == 1
