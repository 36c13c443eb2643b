"""Reviewing clips, judging, feedback for the author, and the "How scoring works" page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from league.accounts import access
from league.accounts.models import Membership
from league.clips.models import Entry
from league.playbook.models import Drill
from league.reactions import reactions_of
from league.reviews import access as reviews_access
from league.reviews import feedback as feedback_service
from league.reviews import judging as judging_service
from league.reviews import queue as queue_service
from league.reviews import reviewers, service
from league.reviews.flags import Flag
from league.reviews.models import Review, ReviewStatus
from league.seasons.access import get_round_for_coach, get_season_for_coach
from league.seasons.models import Round
from league.seasons.today import latest_results_round
from league.standings import tables as standings
from league.standings.moments import ReviewMoment, load_review_moment
from league.standings.points import BASELINE_ROUNDS, PointsWeights
from league.web.errors import LeagueError
from league.web.forms import path_int, query_start, read_form_data
from league.web.htmx import wants_fragment
from league.web.responses import redirect_to, redirect_to_url
from league.web.templating import render


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """`reviews/<name>.html`, or its fragment `reviews/_<name>.html` for an htmx swap."""
    template = f"reviews/_{name}.html" if wants_fragment(request) else f"reviews/{name}.html"
    return render(request, template, context, status_code=status_code)


async def read_review_input(request: Request, drill: Drill) -> service.ReviewInput:
    form = await read_form_data(request)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    heard = [value for value in form.getlist("key_point") if isinstance(value, str)]
    key_points = await service.load_key_points(drill)
    return service.parse_review_form(values, heard, drill.rubric, key_points)


def draft_saved(
    request: Request, review: Review, time_zone: str, route: str, **path_params: Any
) -> Response:
    """After a draft save: the status line for htmx, else back to the form at `route`."""
    if not wants_fragment(request):
        return redirect_to(request, route, **path_params)
    context = {"review": review, "time_zone": time_zone}
    return render(request, "reviews/_draft_status.html", context)


# --- Reviewing ---------------------------------------------------------------------------


async def queue(request: Request) -> Response:
    member = await access.get_member(request)
    context = {"queue": await queue_service.list_queue(member), "sent": await sent(request, member)}
    return page(request, "queue", context)


async def sent(request: Request, member: Membership) -> ReviewMoment | None:
    """The review named by ?sent=, just sent by this member: "sent, 1 of 3 done, +3 points"."""
    raw = request.query_params.get("sent", "")
    if not raw.isdigit():
        return None
    try:
        review = await reviews_access.get_review_for_reviewer(member, int(raw))
    except LeagueError:
        return None  # someone else's or gone: no acknowledgement, the page still works
    if review.status != ReviewStatus.SUBMITTED:
        return None
    return await load_review_moment(review, PointsWeights.from_settings(request.app.state.settings))


async def form_context(
    request: Request, review: Review, entry: Entry, error: str | None = None
) -> dict[str, Any]:
    round_, season = entry.round, entry.round.season
    blind = service.is_blind(round_, season) and not review.is_judgement
    await entry.fetch_related("take")
    now = access.now(request)
    can_edit = (
        judging_service.is_judging_open(round_, now)
        if review.is_judgement
        else service.is_review_open(round_, now)
    )
    return {
        "review": review,
        "entry": entry,
        "drill": entry.drill,
        "key_points": await service.load_key_points(entry.drill),
        "author_name": None if blind else entry.member.user.name,
        "clip_number": await queue_service.clip_number(review) if blind else None,
        "deadline": round_.results_at if review.is_judgement else round_.review_closes_at,
        "time_zone": season.time_zone,
        "can_edit": can_edit,
        "error": error,
    }


async def review(request: Request) -> Response:
    member = await access.get_member(request)
    item = await reviews_access.get_review_for_reviewer(member, path_int(request, "review_id"))
    context = await form_context(request, item, item.entry)
    return page(request, "review", {**context, "sent": await sent(request, member)})


async def draft(request: Request) -> Response:
    member = await access.get_member(request)
    item = await reviews_access.get_review_for_reviewer(member, path_int(request, "review_id"))
    data = await read_review_input(request, item.entry.drill)
    await service.save_draft(item, data, access.now(request))
    return draft_saved(
        request, item, item.round.season.time_zone, "reviews:review", review_id=item.id
    )


async def submit(request: Request) -> Response:
    member = await access.get_member(request)
    item = await reviews_access.get_review_for_reviewer(member, path_int(request, "review_id"))
    settings = request.app.state.settings
    try:
        data = await read_review_input(request, item.entry.drill)
        service.apply_input(item, data)
        await service.submit_review(
            item,
            data,
            item.entry.drill.rubric,
            access.now(request),
            settings,
            reactions_of(request),
        )
    except service.ReviewClosed:
        raise
    except LeagueError as error:
        context = await form_context(request, item, item.entry, error.message)
        return page(request, "review", context, status_code=error.status)
    next_id = await queue_service.next_review_id(member, item.id)
    # The next page acknowledges this one: "sent, 1 of 3 done, +3 points".
    if next_id is None:
        target = request.url_for("reviews:queue").path
    else:
        target = request.url_for("reviews:review", review_id=next_id).path
    return redirect_to_url(request, f"{target}?sent={item.id}")


# --- Judging -----------------------------------------------------------------------------


async def judging(request: Request) -> Response:
    coach = await access.get_coach(request)
    round_ = await judging_service.latest_judging_round(coach)
    if round_ is None:
        return page(request, "judging", {"round": None})
    return redirect_to(request, "reviews:judging_round", round_id=round_.id)


async def judging_round(request: Request) -> Response:
    """The queue's first page; with ?start=N (from "Show more"), the page from entry N."""
    start = query_start(request)
    if start and wants_fragment(request):
        coach = await access.get_coach(request)
        round_ = await get_round_for_coach(coach, path_int(request, "round_id"))
        queue = await judging_service.list_judging_queue(round_, start)
        return render(request, "reviews/_judging_items.html", {"round": round_, "queue": queue})
    return await round_page(
        request,
        "judging",
        "queue",
        lambda round_, _flags: judging_service.list_judging_queue(round_, start),
    )


async def round_page(
    request: Request,
    name: str,
    key: str,
    list_rows: Callable[[Round, list[Flag]], Awaitable[Any]],
) -> Response:
    """A coach's page about the round in the path: its rows under `key`, and review flags.

    The round's flags are found once and handed to `list_rows` too (the reveal labels rows)."""
    coach = await access.get_coach(request)
    round_ = await get_round_for_coach(coach, path_int(request, "round_id"))
    flags = await reviewers.find_round_flags(round_)
    context = {
        "round": round_,
        key: await list_rows(round_, flags),
        "flags": await reviewers.describe_flags(flags),
    }
    return page(request, name, context)


async def judge(request: Request) -> Response:
    coach, entry = await load_entry_for_coach(request)
    judgement = await judging_service.find_judgement(coach, entry)
    return page(request, "judge", await form_context(request, judgement, entry))


async def judge_draft(request: Request) -> Response:
    coach, entry = await load_entry_for_coach(request)
    data = await read_review_input(request, entry.drill)
    settings = request.app.state.settings
    judgement = await judging_service.save_judgement(
        coach, entry, data, access.now(request), settings, False, reactions_of(request)
    )
    time_zone = entry.round.season.time_zone
    return draft_saved(request, judgement, time_zone, "reviews:judge", entry_id=entry.id)


async def judge_submit(request: Request) -> Response:
    coach, entry = await load_entry_for_coach(request)
    settings = request.app.state.settings
    judgement = await judging_service.find_judgement(coach, entry)
    try:
        data = await read_review_input(request, entry.drill)
        service.apply_input(judgement, data)
        await judging_service.save_judgement(
            coach, entry, data, access.now(request), settings, True, reactions_of(request)
        )
    except service.ReviewClosed:
        raise
    except LeagueError as error:
        context = await form_context(request, judgement, entry, error.message)
        return page(request, "judge", context, status_code=error.status)
    return redirect_to(request, "reviews:judging_round", round_id=entry.round_id)  # type: ignore[attr-defined]


async def pick(request: Request) -> Response:
    coach, entry = await load_entry_for_coach(request)
    await judging_service.pick_entry(coach, entry, reactions_of(request))
    if not wants_fragment(request):
        return redirect_to(request, "reviews:judging_round", round_id=entry.round_id)  # type: ignore[attr-defined]
    queue = await judging_service.list_judging_queue(entry.round)
    return render(request, "reviews/_judging_items.html", {"round": entry.round, "queue": queue})


async def load_entry_for_coach(request: Request) -> tuple[Membership, Entry]:
    coach = await access.get_coach(request)
    entry = await reviews_access.get_entry_for_coach(coach, path_int(request, "entry_id"))
    return coach, entry


async def blind(request: Request) -> Response:
    coach = await access.get_coach(request)
    season = await get_season_for_coach(coach, path_int(request, "season_id"))
    form = await read_form_data(request)
    await service.set_blind_reviews(season, form.get("blind") == "on")
    if not wants_fragment(request):
        return redirect_to(request, "reviews:judging")
    return render(request, "reviews/_blind_toggle.html", {"season": season})


async def reveal(request: Request) -> Response:
    return await round_page(request, "reveal", "rows", reviewers.list_assignments)


# --- Feedback for the author ----------------------------------------------------------------


async def feedback(request: Request) -> Response:
    member = await access.get_member(request)
    round_ = await latest_results_round(member.team_id)  # type: ignore[attr-defined]
    if round_ is None:
        return page(request, "feedback", {"round": None, "entries": [], "cheers": []})
    return redirect_to(request, "reviews:feedback_round", round_id=round_.id)


async def feedback_round(request: Request) -> Response:
    member = await access.get_member(request)
    round_ = await reviews_access.get_round_for_author(member, path_int(request, "round_id"))
    context = {
        "round": round_,
        "entries": await feedback_service.list_feedback(member, round_),
        "cheers": await standings.celebrations_for(member.id, round_.id),
        "time_zone": round_.season.time_zone,
    }
    return page(request, "feedback", context)


async def helpful(request: Request) -> Response:
    member = await access.get_member(request)
    item = await reviews_access.get_review_for_author(member, path_int(request, "review_id"))
    form = await read_form_data(request)
    is_helpful = form.get("helpful") == "yes"
    await feedback_service.mark_helpful(
        item, is_helpful, request.app.state.settings, reactions_of(request)
    )
    if not wants_fragment(request):
        return redirect_to(request, "reviews:feedback_round", round_id=item.round_id)  # type: ignore[attr-defined]
    return render(request, "reviews/_helpful.html", {"review": item})


# --- How scoring works ------------------------------------------------------------------------


async def scoring(request: Request) -> Response:
    await access.get_member(request)
    settings = request.app.state.settings
    context = {
        "weights": PointsWeights.from_settings(settings),
        "reviewers_per_entry": settings.reviewers_per_entry,
        "baseline_rounds": BASELINE_ROUNDS,
    }
    return page(request, "scoring", context)


routes = [
    Route("/reviews", queue, name="queue"),
    Route("/reviews/{review_id:int}", review, name="review"),
    Route("/reviews/{review_id:int}/draft", draft, methods=["POST"], name="draft"),
    Route("/reviews/{review_id:int}/submit", submit, methods=["POST"], name="submit"),
    Route("/reviews/{review_id:int}/helpful", helpful, methods=["POST"], name="helpful"),
    Route("/judging", judging, name="judging"),
    Route("/judging/rounds/{round_id:int}", judging_round, name="judging_round"),
    Route("/judging/rounds/{round_id:int}/reveal", reveal, name="reveal"),
    Route("/judging/seasons/{season_id:int}/blind", blind, methods=["POST"], name="blind"),
    Route("/judging/entries/{entry_id:int}", judge, name="judge"),
    Route(
        "/judging/entries/{entry_id:int}/draft", judge_draft, methods=["POST"], name="judge_draft"
    ),
    Route(
        "/judging/entries/{entry_id:int}/submit",
        judge_submit,
        methods=["POST"],
        name="judge_submit",
    ),
    Route("/judging/entries/{entry_id:int}/pick", pick, methods=["POST"], name="pick"),
    Route("/feedback", feedback, name="feedback"),
    Route("/feedback/rounds/{round_id:int}", feedback_round, name="feedback_round"),
    Route("/scoring", scoring, name="scoring"),
]
