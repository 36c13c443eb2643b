"""After every kind of change, the board read again by parts is the board read afresh.

The app's own board cache hears the app's own events (reviews, submissions, picks, results,
consent to quotes, "helpful" marks, a new round...); after each one, what it serves must
equal a full `load_board` of the same data: the same rows, leaders, race, picks and feed,
and the same HTML on phones and office screens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from starlette.applications import Starlette

from league.clips.models import Take
from league.clips.service import submit_take, withdraw_entry
from league.clock import FrozenClock
from league.live.board import Board
from league.live.board_parts import EVERYTHING, BoardPart
from league.live.broker import Event
from league.live.events import publish_take_feedback
from league.live.loading import load_board
from league.live.service import VIEW_FRAGMENTS, LiveRenderer, fragment_context, render_fragment
from league.reactions import Reactions
from league.reviews import feedback, judging, service
from league.reviews.models import CoachPick, Review, ReviewStatus
from league.seasons.models import RoundState
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, enter_state, make_round, publish, review_everything

ROUND_PARTS = frozenset({BoardPart.TABLES, BoardPart.FEED})
ENTRY_PARTS = ROUND_PARTS | {BoardPart.FIELD}


class Watch:
    """The app's board cache, the events it heard and the parts it read again."""

    def __init__(self, app: Starlette) -> None:
        self.renderer: LiveRenderer = app.state.hub.renderer
        self.heard: asyncio.Queue[Event] = asyncio.Queue()
        self.reads: list[frozenset[BoardPart]] = []
        app.state.services["broker"].subscribe(self.hear)
        cache = self.renderer.boards
        reload = cache.reload

        async def counted(board: Board, parts: frozenset[BoardPart]) -> Board:
            self.reads.append(parts)
            return await reload(board, parts)

        cache.reload = counted

    async def hear(self, event: Event) -> None:
        await self.heard.put(event)

    async def after(self, change: Callable[[], Awaitable[Any]]) -> list[str]:
        """Make the change, and wait until the cache has heard every event it published."""
        await change()
        kinds = [(await asyncio.wait_for(self.heard.get(), 3)).get("kind", "")]
        await asyncio.sleep(0.05)
        while not self.heard.empty():
            kinds.append(self.heard.get_nowait()["kind"])
        return kinds

    async def check(self, team_id: int) -> Board:
        """The cached board, read again by parts, equals a fresh one; returns it."""
        self.reads.clear()
        cached = await self.renderer.load(team_id)
        fresh = await load_board(team_id, self.renderer.clock.now(), self.renderer.weights)
        assert shown(cached) == shown(fresh)
        # What sockets and pages get (rendered once per board) is what a fresh board shows.
        views = frozenset(VIEW_FRAGMENTS)
        assert await self.renderer.render_views(team_id, views) == rendered(self.renderer, fresh)
        return cached


def shown(board: Board) -> tuple[Any, ...]:
    """Everything the views read from a board, as comparable values."""
    return (
        board.season and board.season.id,
        board.round and (board.round.id, board.round.state),
        board.results_round and board.results_round.id,
        board.deadline,
        board.season_rows,
        board.round_rows,
        board.leaders,
        board.leaders_provisional,
        board.season_leaders,
        board.picks,
        board.activity,
        board.race,
    )


def rendered(renderer: LiveRenderer, board: Board) -> dict[str, str]:
    context = fragment_context(board, renderer.links, oob=True)
    return {
        view: "".join(render_fragment(name, context) for name in fragments)
        for view, fragments in VIEW_FRAGMENTS.items()
    }


async def send_one_review(league: League, app_services: dict[str, Any], clock: FrozenClock) -> None:
    review = await Review.filter(
        round__team_id=league.team.id, status=ReviewStatus.ASSIGNED, is_judgement=False
    ).first()
    assert review is not None
    await review.fetch_related("round__season")
    data = service.ReviewInput(scores={c["key"]: 5 for c in league.drill.rubric}, kudos="Nice.")
    settings, reactions = app_services["settings"], app_services["reactions"]
    await service.submit_review(review, data, league.drill.rubric, clock.now(), settings, reactions)


async def pick(league: League, reactions: Reactions, index: int) -> None:
    entry = league.entries[index]
    await entry.fetch_related("round")
    await judging.pick_entry(league.manager, entry, reactions)


async def test_the_board_read_by_parts_equals_a_fresh_one_after_every_change(
    app: Starlette,
    league: League,
    make_client: ClientFactory,
    clock: FrozenClock,
    app_services: dict[str, Any],
    reactions: Reactions,
) -> None:
    watch = Watch(app)
    team_id = league.team.id
    await watch.check(team_id)

    # The round in review: a review moves the race, the tables and the feed, not the season.
    assert await watch.after(lambda: send_one_review(league, app_services, clock)) == ["points"]
    board = await watch.check(team_id)
    assert watch.reads == [ROUND_PARTS]
    assert any("has done 1 review" in item.text for item in board.activity)

    assert await watch.after(lambda: pick(league, reactions, 0)) == ["coach_pick"]
    await watch.check(team_id)
    assert watch.reads == [frozenset({BoardPart.PICKS})]

    await watch.after(lambda: review_everything(league, app_services, clock.now()))
    await watch.check(team_id)
    assert watch.reads == [ROUND_PARTS]

    # Results: everything, the season's leaders, kudos and the pick included.
    await watch.after(lambda: publish(league.round, app_services, clock))
    board = await watch.check(team_id)
    assert watch.reads == [EVERYTHING]
    assert board.picks and any(board.season_leaders.values())

    # Consent to be quoted: the quotes on the pick and in the feed's kudos.
    author = league.reps[1]
    writer = await (
        Review.filter(entry__member_id=author.id, status=ReviewStatus.SUBMITTED)
        .prefetch_related("reviewer")
        .first()
    )
    assert writer is not None
    client = await make_client(writer.reviewer)
    sharing = client.post("/live/kudos-sharing", data={"allow_quotes": "yes"})
    assert await watch.after(lambda: sharing) == ["kudos_sharing"]
    board = await watch.check(team_id)
    assert watch.reads == [frozenset({BoardPart.PICKS, BoardPart.SEASON})]
    assert board.kudos

    # A pick after results replaces the shown pick.
    assert await watch.after(lambda: pick(league, reactions, 1)) == ["coach_pick"]
    board = await watch.check(team_id)
    assert [p.member_id for p in board.picks] == [author.id]
    assert await CoachPick.filter(round_id=league.round.id).count() == 1

    # A "helpful" mark after results moves the season: everything is read again.
    settings = app_services["settings"]
    await writer.fetch_related("round")
    helpful = feedback.mark_helpful(writer, True, settings, reactions)
    assert await watch.after(lambda: helpful) == ["results_points"]
    await watch.check(team_id)
    assert watch.reads == [EVERYTHING]

    # A take's feedback is for one phone: the board is not read again.
    feedback_ready = publish_take_feedback(reactions, team_id, author.id, 1)
    await watch.after(lambda: feedback_ready)
    await watch.check(team_id)
    assert watch.reads == []

    # The next round opens; a submission and a withdrawal move the round's part only.
    second = await make_round(league.season, [league.drill], clock.now(), 2, RoundState.PLANNED)
    opening = enter_state(second, RoundState.OPEN, app_services, clock.now())
    assert await watch.after(lambda: opening) == ["round_open"]
    await watch.check(team_id)
    take = await Take.create(
        team_id=team_id,
        member=league.reps[2],
        drill=league.drill,
        round=second,
        storage_key="test/second.webm",
        content_type="audio/webm",
        codecs="opus",
        duration_seconds=20.0,
        size_bytes=20_000,
        created_at=clock.now(),
    )
    clock.set(clock.now() + timedelta(minutes=5))
    entries = []

    async def submit() -> None:
        entries.append(await submit_take(take, clock.now(), reactions))

    assert await watch.after(submit) == ["submission"]
    board = await watch.check(team_id)
    assert watch.reads == [ENTRY_PARTS]
    assert [row.member_id for row in board.season_rows if row.has_entry] == [league.reps[2].id]
    withdrawal = withdraw_entry(entries[0], clock.now(), reactions)
    assert await watch.after(lambda: withdrawal) == ["withdrawal"]
    board = await watch.check(team_id)
    assert watch.reads == [ENTRY_PARTS]
    assert not any(row.has_entry for row in board.season_rows)
