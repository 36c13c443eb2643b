"""The team view: who has not practised or reviewed this round, weakest skills, participation."""

from __future__ import annotations

from datetime import timedelta

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.seasons.models import Round, Season
from tests.conftest import ClientFactory
from tests.factories import make_entry


async def test_it_lists_who_has_practised_this_round(
    make_client: ClientFactory,
    manager: Membership,
    reps: list[Membership],
    scored_season: Season,
    clock: FrozenClock,
) -> None:
    open_round = await Round.get(season_id=scored_season.id, number=4)
    await make_entry(open_round, reps[1], clock.now() + timedelta(minutes=5))
    page = await (await make_client(manager)).get("/coaching")
    assert page.status_code == 200
    text = page.text
    assert "Round 4 · Open" in text
    jonas = text.index("Jonas Berg")
    assert text.index("Practised", jonas) < text.index("Priya Shah")
    assert text.count("Not practised yet") == 2  # Amara and Priya
    # Team means this season: concision (2+4)/2 = 3.0, key points 3.17, clarity 3.5.
    assert text.index("Concision 3.0") < text.index("Key points 3.2") < text.index("Clarity 3.5")
    # Rounds 1-3: two of three reps practised and the one review each got was done.
    assert text.count("2/3 practised") == 3
    assert "2/2 reviews" in text
    assert "1/3 practised" in text  # round 4 so far


async def test_it_is_for_coaches_only(make_client: ClientFactory, rep: Membership) -> None:
    assert (await (await make_client(rep)).get("/coaching")).status_code == 403
    assert (await (await make_client(rep)).get("/coaching/guide")).status_code == 403


async def test_the_guide_words_coaching_as_training(
    make_client: ClientFactory, manager: Membership
) -> None:
    page = await (await make_client(manager)).get("/coaching/guide")
    assert "How to run the 60 minutes" in page.text
    assert "Strengths first" in page.text
    for word in ("poor", "remedial", "remediation"):
        assert word not in page.text.lower()
