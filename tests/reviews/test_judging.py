"""The judging queue: where reviewers disagree most first, then the judged entries."""

from __future__ import annotations

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.reactions import Reactions
from league.reviews import service
from league.reviews.models import Review
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, review_form


async def test_it_lists_disagreements_first(league: League, make_client: ClientFactory) -> None:
    target = league.entries[2]
    reviews = [r for rep in league.reps for r in await league.reviews_for(rep)]
    on_target = [r for r in reviews if r.entry_id == target.id]  # type: ignore[attr-defined]
    for review, score in zip(on_target[:2], (1, 5), strict=True):
        await review.fetch_related("reviewer")
        client = await make_client(review.reviewer)
        await client.post(f"/reviews/{review.id}/submit", data=review_form(scores=score))  # type: ignore[arg-type]
    response = await (await make_client(league.manager)).get(f"/judging/rounds/{league.round.id}")
    assert response.status_code == 200
    names = [rep.user.name for rep in league.reps[:4]]
    first = min(names, key=lambda name: response.text.index(f'judging-name">{name}'))
    assert first == league.reps[2].user.name
    assert "Reviewers differ by 4.0" in response.text


async def test_a_judgement_settles_the_disagreement(
    league: League, make_client: ClientFactory
) -> None:
    target = league.entries[2]
    for review, score in zip(await Review.filter(entry_id=target.id).limit(2), (1, 5), strict=True):
        await review.fetch_related("reviewer")
        client = await make_client(review.reviewer)
        await client.post(f"/reviews/{review.id}/submit", data=review_form(scores=score))  # type: ignore[arg-type]
    manager = await make_client(league.manager)
    await manager.post(f"/judging/entries/{target.id}/submit", data=review_form(scores=3))  # type: ignore[arg-type]
    response = await manager.get(f"/judging/rounds/{league.round.id}")
    names = [rep.user.name for rep in league.reps[:4]]
    last = max(names, key=lambda name: response.text.index(f'judging-name">{name}'))
    assert last == league.reps[2].user.name


async def test_judging_home_opens_the_current_round(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(league.manager)).get("/judging")
    assert response.status_code == 303
    assert response.headers["location"] == f"/judging/rounds/{league.round.id}"


async def test_judging_home_says_when_there_is_nothing(
    make_client: ClientFactory, manager: Membership
) -> None:
    response = await (await make_client(manager)).get("/judging")
    assert response.status_code == 200
    assert "Nothing to judge yet" in response.text


async def test_it_shows_flags_to_managers(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    reactions: Reactions,
) -> None:
    for review in await league.reviews_for(league.reps[0]):
        await review.fetch_related("round__season")
        data = service.ReviewInput(scores={c["key"]: 5 for c in league.drill.rubric}, kudos="ok")
        await service.submit_review(
            review, data, league.drill.rubric, clock.now(), settings, reactions
        )
    response = await (await make_client(league.manager)).get(f"/judging/rounds/{league.round.id}")
    assert "Same score on everything" in response.text
    assert "Very short kudos" in response.text


async def test_reps_may_not_judge(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.reps[0])).get(f"/judging/rounds/{league.round.id}")
    assert response.status_code == 403


async def test_it_hides_another_organisations_round(
    league: League, make_client: ClientFactory, outsider: Membership
) -> None:
    response = await (await make_client(outsider)).get(f"/judging/rounds/{league.round.id}")
    assert response.status_code == 404


async def test_it_rejects_post(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).post(f"/judging/rounds/{league.round.id}")
    assert response.status_code == 405


async def test_it_sends_signed_out_people_to_sign_in(
    league: League, make_client: ClientFactory
) -> None:
    response = await (await make_client(None)).get(f"/judging/rounds/{league.round.id}")
    assert response.status_code == 303


async def test_it_returns_a_fragment_to_htmx(league: League, make_client: ClientFactory) -> None:
    response = await (await make_client(league.manager)).get(
        f"/judging/rounds/{league.round.id}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="judging-items"' in response.text
