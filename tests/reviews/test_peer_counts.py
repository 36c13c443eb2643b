"""A judgement is not a peer review: the review counts and the provisional mark that the
judging and feedback pages show count the entry's peer reviews only."""

from __future__ import annotations

import re
from typing import Any

from league.clock import FrozenClock
from league.reviews.models import EntryScore, Review
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, publish, review_form, send_review


async def judge_one_review_short(league: League, make_client: ClientFactory) -> int:
    """All but one of the entry's peer reviews are sent, then the manager judges it, so
    peers and judgement together reach the number required; returns the peers assigned."""
    target = league.entries[1]
    peers = await Review.filter(entry_id=target.id, is_judgement=False).order_by("id")
    for peer in peers[:-1]:
        await peer.fetch_related("reviewer")
        await send_review(make_client, peer.reviewer, peer, scores=4)
    manager = await make_client(league.manager)
    response = await manager.post(
        f"/judging/entries/{target.id}/submit", data=review_form(scores=3)
    )  # type: ignore[arg-type]
    assert response.status_code in (200, 303)
    assert await Review.filter(entry_id=target.id, is_judgement=True).count() == 1
    return len(peers)


async def test_judging_counts_peer_reviews_only(league: League, make_client: ClientFactory) -> None:
    assigned = await judge_one_review_short(league, make_client)
    assert assigned >= 2
    score = await EntryScore.get(entry_id=league.entries[1].id)
    assert (score.review_count, score.is_provisional) == (assigned - 1, True)
    page = await (await make_client(league.manager)).get(f"/judging/rounds/{league.round.id}")
    name = league.entries[1].member.user.name  # type: ignore[attr-defined]
    item = page.text[page.text.index(f'judging-name">{name}') :].split("</li>")[0]
    assert "Judged" in item
    assert re.search(rf"·\s*{assigned - 1} of {assigned} reviews", item)
    assert "Provisional" in item


async def test_after_results_feedback_says_how_many_peer_reviews_came_in(
    league: League,
    make_client: ClientFactory,
    settings: Settings,
    clock: FrozenClock,
    app_services: dict[str, Any],
) -> None:
    assigned = await judge_one_review_short(league, make_client)
    await publish(league.round, app_services, clock)
    author = await make_client(league.entries[1].member)  # type: ignore[attr-defined]
    page = await author.get(f"/feedback/rounds/{league.round.id}")
    assert "Your coach" in page.text and "A teammate" in page.text
    # After results nothing more comes in: the page says how many peer reviews did.
    assert f"{assigned - 1} of {assigned} peer reviews came in" in page.text
    # Their season card says the same of the round's score instead of "provisional".
    card = (await author.get("/me")).text
    rounds = card[card.index('id="rounds-heading"') :]
    assert "from fewer reviews than asked" in rounds and "provisional" not in rounds
