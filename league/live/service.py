"""Rendering live fragments and running the fan-out for this process.

Every fragment lives once, in a template whose name starts with `_`; pages include it and
sockets receive the same template rendered with `oob=True` (an hx-swap-oob="morph" root, so
idiomorph patches the page in place: no flicker, scroll position kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.routing import Router

from league.clock import Clock
from league.delivery.service import own_feedback_with_trend
from league.jobs.service import JobContext
from league.live import events
from league.live.board import TABLE_LIMITS, Board
from league.live.board_cache import BoardCache
from league.live.board_parts import RESULTS_POINTS_KIND, BoardPart
from league.live.broker import Broker
from league.live.hub import FEEDBACK_VIEW, Hub
from league.live.loading import load_board, reload_board
from league.live.models import OfficeScreen
from league.reactions import Reactions
from league.seasons.models import Round, RoundState
from league.settings import Settings
from league.standings.models import RoundPoints
from league.standings.points import PointsWeights
from league.web.templating import cached_url_path, templates

# Views a socket may ask for, and the fragments each one is made of.
VIEW_FRAGMENTS = {
    "standings": (
        "standings/_round_header.html",
        "standings/_leaders.html",
        "standings/_season_table.html",
        "standings/_round_table.html",
        "standings/_picks.html",
    ),
    "activity": ("live/_activity.html",),
    "tv": ("tv/_round.html", "tv/_table.html", "tv/_slides.html", "tv/_ticker.html"),
    FEEDBACK_VIEW: (),  # per member, sent by render_take_feedback when a result is in
}
MEMBER_VIEWS = frozenset({"standings", "activity", FEEDBACK_VIEW})
SCREEN_VIEWS = frozenset({"tv"})
REVEAL_PLACES = 10


@dataclass(frozen=True)
class RouteLinks:
    """Enough of a Request for the templates' url_for when rendering for sockets."""

    router: Router

    def url_for(self, name: str, /, **path_params: Any) -> URL:
        return URL(str(cached_url_path(self.router, name, tuple(sorted(path_params.items())))))


def render_fragment(template: str, context: dict[str, Any]) -> str:
    return templates.env.get_template(template).render(context)


def fragment_context(board: Board, request: Any, **extra: Any) -> dict[str, Any]:
    """What every live fragment is rendered with; pages add `me` and set `oob` False."""
    return {
        "board": board,
        "request": request,
        "oob": False,
        "me": None,
        "near": frozenset(),
        **TABLE_LIMITS,
        **extra,
    }


@dataclass(frozen=True)
class SharedFragments:
    """A board's fragments as every member sees them, rendered once per board and reused by
    every page view and live message until the next change loads a new board.

    Nothing in them is about one viewer (live.js marks "you"), so `links` stand in for the
    request: a page's `{{ fragments("standings/_leaders.html") }}` is the socket's HTML."""

    board: Board
    links: RouteLinks
    oob: bool

    def __call__(self, name: str) -> Markup:
        key = (name, self.oob)
        html = self.board.renders.get(key)
        if html is None:
            html = render_fragment(name, fragment_context(self.board, self.links, oob=self.oob))
            self.board.renders[key] = html
        return Markup(html)


def page_fragments(request: Request, board: Board) -> SharedFragments:
    """The shared fragments a page includes (without hx-swap-oob)."""
    renderer: LiveRenderer = request.app.state.hub.renderer
    return SharedFragments(board, renderer.links, oob=False)


class LiveRenderer:
    """Renders a team's views once per change; the hub sends the result to every socket."""

    def __init__(self, router: Router, settings: Settings, clock: Clock) -> None:
        self.links = RouteLinks(router)
        self.weights = PointsWeights.from_settings(settings)
        self.clock = clock
        self.boards = BoardCache(self.load_fresh, self.reload)

    async def load(self, team_id: int) -> Board:
        """The team's board at the newest version this process heard of (cached)."""
        return await self.boards.get(team_id)

    async def load_fresh(self, team_id: int) -> Board:
        return await load_board(team_id, self.clock.now(), self.weights)

    async def reload(self, board: Board, parts: frozenset[BoardPart]) -> Board:
        return await reload_board(board, parts, self.clock.now(), self.weights)

    async def render_views(self, team_id: int, views: frozenset[str]) -> dict[str, str]:
        if not any(VIEW_FRAGMENTS[view] for view in views):
            return dict.fromkeys(views, "")  # a take screen alone: no board to load
        fragments = SharedFragments(await self.load(team_id), self.links, oob=True)
        return {view: "".join(fragments(name) for name in VIEW_FRAGMENTS[view]) for view in views}

    async def render_reveal(self, team_id: int) -> str:
        board = await self.load(team_id)
        title, places = reveal_places(board)
        context = fragment_context(
            board,
            self.links,
            oob=True,
            title=title,
            places=places,
            reveal_id=str(int(self.clock.now().timestamp() * 1000)),
        )
        return render_fragment("tv/_reveal.html", context)

    async def render_screen_settings(self, screen_id: int) -> str:
        screen = await OfficeScreen.get_or_none(id=screen_id)
        return render_fragment("tv/_settings.html", {"screen": screen, "oob": True})

    async def render_take_feedback(self, member_id: int, take_id: int) -> str:
        found = await own_feedback_with_trend(member_id, take_id)
        if found is None:
            return ""
        feedback, trend = found
        # Rendered once for the member's browsers, each with its own CSRF cookie: the
        # "I said it" form posts through htmx, which sends the page's token as a header.
        context = {"feedback": feedback, "fresh_trend": trend, "request": self.links, "oob": True}
        return render_fragment("delivery/_feedback.html", context)


def reveal_places(board: Board) -> tuple[str, list[Any]]:
    """A title and the top ten to reveal, best first (tv.js reveals from tenth up).

    The round whose results are out, else the season table, else the round in play.
    """
    round_number = board.round.number if board.round else 0
    if board.round is not None and board.round.state == RoundState.RESULTS and board.round_rows:
        return f"Round {round_number} results", board.round_rows[:REVEAL_PLACES]
    if board.has_season_places:
        ranked = [row for row in board.season_rows if row.rank > 0]
        return "Season table", ranked[:REVEAL_PLACES]
    return f"Round {round_number} so far", board.round_rows[:REVEAL_PLACES]


def parse_views(raw: str | None, allowed: frozenset[str]) -> frozenset[str]:
    """Views named in ?views=a,b that this viewer may watch (all they may, if none match)."""
    wanted = frozenset((raw or "").split(",")) & allowed
    return wanted or allowed


async def load_team_board(app: Starlette, team_id: int) -> Board:
    """The board pages render with: the same data the sockets get."""
    renderer: LiveRenderer = app.state.hub.renderer
    return await renderer.load(team_id)


async def start_live(app: Starlette, broker: Broker, reactions: Reactions) -> None:
    """Start the app's broker and publish this app's changes on it from now on."""
    settings: Settings = app.state.settings
    renderer = LiveRenderer(app.router, settings, app.state.clock)
    hub = Hub(renderer)
    # The cache hears each event first, so the hub's render after it loads the new board.
    broker.subscribe(renderer.boards.on_event)
    broker.subscribe(hub.on_event)
    await broker.start()
    reactions.broker = broker
    app.state.hub = hub


async def stop_live(broker: Broker, reactions: Reactions) -> None:
    reactions.broker = None
    await broker.stop()


async def publish_round_change(round_: Round, state: RoundState, context: JobContext) -> None:
    """Every round transition (opening, reviews, results) changes what live views show.

    create_app runs it after the other features' hooks: at results, the reviews feature
    saves points and awards first, so the event renders the round complete.
    """
    await events.publish_team_change(
        context.reactions,
        round_.team_id,  # type: ignore[attr-defined]
        f"round_{state.value}",
    )


async def publish_points_change(reactions: Reactions, team_id: int, round_id: int) -> None:
    """Reviews, judgements and "helpful" marks change points: the tables move live.

    Points of a round in play move only that round's part of the boards; points that count
    in the season already (results are out) move its leaders and table too.
    """
    final = await RoundPoints.filter(round_id=round_id, is_final=True).exists()
    await events.publish_team_change(reactions, team_id, RESULTS_POINTS_KIND if final else "points")
