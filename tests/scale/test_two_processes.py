"""Two real server processes serve one league on PostgreSQL, Redis and SeaweedFS.

Each process listens on its own port, as two machines behind a load balancer would; the
test talks to each one directly so it knows which process did what.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from league.accounts.access import SESSION_COOKIE
from league.accounts.models import Membership, Role, Team
from league.app import build_reactions
from league.clips.models import Take
from league.clock import FrozenClock
from league.jobs.service import JobContext
from league.push import jobs as push_jobs
from league.push.models import Notification, NotificationStatus
from league.push.vapid import load_push_config
from league.reviews.models import Review
from league.seasons.models import Round, RoundState
from league.settings import Settings
from tests import factories
from tests.clips import conftest as clips
from tests.clips import media
from tests.push.conftest import subscribe
from tests.push.push_service import LocalPushService, Subscriber
from tests.reviews import conftest as reviews
from tests.scale import services
from tests.scale.cluster import Cluster, LeagueProcess, league_cluster, start_process

WAIT_SECONDS = 15.0


@pytest.fixture(scope="module")
def running_cluster(
    postgres_server: services.PostgresServer,
    redis_server: services.RedisServer,
    seaweed_server: services.SeaweedServer,
    s3_bucket: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    # Started once for the module: every test makes its own organisation and teams.
    data_dir = tmp_path_factory.mktemp("cluster")
    with league_cluster(
        postgres_server, redis_server, seaweed_server, s3_bucket, data_dir
    ) as running:
        yield running


@pytest.fixture
async def cluster(running_cluster: Cluster) -> AsyncIterator[Cluster]:
    async with running_cluster.database():
        yield running_cluster


def midday_time_zone(now: datetime) -> str:
    """A zone where it is about noon now, so quiet hours never hold the reminders."""
    offset = 12 - now.hour  # Etc/GMT names count the other way: Etc/GMT-2 is UTC+2
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


@dataclass
class InReview:
    """A team whose round is in review: four reps with entries, reviews assigned."""

    team: Team
    reps: list[Membership]
    watcher: Membership

    async def review_of(self, reviewer: Membership) -> Review:
        review = await Review.filter(reviewer_id=reviewer.id, is_judgement=False).first()
        assert review is not None
        return review


async def make_team_in_review(cluster: Cluster) -> InReview:
    now = datetime.now(UTC)
    team = await factories.make_team(await factories.make_organisation("Brightwave"))
    reps = [await factories.make_member(team, Role.REP) for _ in range(4)]
    watcher = await factories.make_member(team, Role.REP, name="Wendy Watcher")
    drill = await reviews.make_drill(team)
    season = await reviews.make_season(team, now)
    round_ = await reviews.make_round(season, [drill], now, state=RoundState.OPEN)
    for place, rep in enumerate(reps):
        await factories.make_entry(round_, rep, now - timedelta(hours=5 - place), drill)
    settings = Settings(data_dir=cluster.data_dir, database_url=cluster.database_url)
    app_services = {"settings": settings, "reactions": build_reactions()}
    await reviews.enter_state(round_, RoundState.REVIEWING, app_services, now)
    return InReview(team, reps, watcher)


async def open_live_socket(cluster: Cluster, member: Membership, process: LeagueProcess) -> connect:
    cookie = await cluster.session_cookie(member)
    return connect(
        f"{process.socket_url}/live",
        additional_headers={"Cookie": f"{SESSION_COOKIE}={cookie}", "Origin": process.base_url},
        open_timeout=WAIT_SECONDS,
    )


async def receive_until(socket: ClientConnection, wanted: Callable[[str], bool]) -> str:
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            message = str(await socket.recv())
            if wanted(message):
                return message


async def send_review(cluster: Cluster, league: InReview, reviewer: Membership) -> None:
    client = await cluster.signed_in(reviewer, cluster.processes[0])
    review = await league.review_of(reviewer)
    response = await client.post(f"/reviews/{review.id}/submit", data=reviews.review_form())
    assert response.status_code == 303, response.text


def shows_review_by(reviewer: Membership) -> Callable[[str], bool]:
    """An update that says the reviewer has done a review and shows their row in the race.

    The activity feed can move a render before the points do: wait for both.
    """
    said = f"{reviewer.user.name} has done 1 review"
    return lambda html: said in html and f'id="race-row-{reviewer.id}"' in html


async def test_a_review_sent_to_one_process_updates_a_socket_on_the_other(
    cluster: Cluster,
) -> None:
    league = await make_team_in_review(cluster)
    _, b = cluster.processes

    async with await open_live_socket(cluster, league.watcher, b) as socket:
        snapshot = await socket.recv()
        assert "has done 1 review" not in snapshot
        await send_review(cluster, league, league.reps[0])

        await receive_until(socket, shows_review_by(league.reps[0]))


async def test_a_redis_restart_mid_season_is_survived(
    cluster: Cluster, redis_server: services.RedisServer
) -> None:
    league = await make_team_in_review(cluster)
    _, b = cluster.processes

    async with await open_live_socket(cluster, league.watcher, b) as socket:
        await socket.recv()
        redis_server.stop()
        # A review sent while Redis is down is saved; its live event has nowhere to go.
        await send_review(cluster, league, league.reps[0])
        redis_server.start()

        # Process b reconnects by itself and resends a fresh snapshot with the review.
        await receive_until(socket, shows_review_by(league.reps[0]))
        # And live updates flow again between the processes.
        await send_review(cluster, league, league.reps[1])
        await receive_until(socket, shows_review_by(league.reps[1]))

    for process in cluster.processes:
        assert process.process.poll() is None, process.output()


async def test_a_clip_uploaded_to_one_process_plays_from_the_other(cluster: Cluster) -> None:
    team = await factories.make_team(await factories.make_organisation("Brightwave"))
    rep = await factories.make_member(team, Role.REP)
    drill = await clips.make_drill(team)
    await clips.make_round(team, [drill], FrozenClock(datetime.now(UTC)))
    a, b = cluster.processes

    uploader = await cluster.signed_in(rep, a)
    response = await clips.upload(uploader, drill, media.webm_opus())
    assert response.status_code == 201, response.text
    take = await Take.get(id=response.json()["take_id"])

    player = await cluster.signed_in(rep, b)
    whole = await player.get(f"/clips/{take.id}/media")
    part = await player.get(f"/clips/{take.id}/media", headers={"Range": "bytes=0-99"})

    assert whole.status_code == 200 and len(whole.content) == take.size_bytes
    assert whole.content[:4] == b"\x1a\x45\xdf\xa3"  # a WebM, as recorded
    assert part.status_code == 206 and part.content == whole.content[:100]
    from_a = await uploader.get(f"/clips/{take.id}/media")
    assert from_a.content == whole.content


TEAMS = 4
REPS_PER_TEAM = 5


async def test_two_processes_racing_send_each_reminder_exactly_once(cluster: Cluster) -> None:
    now = datetime.now(UTC)
    config = load_push_config(cluster.data_dir, Settings.push_contact)
    push_service = await LocalPushService(config.public_key, config.contact).start()
    push_service.delay_seconds = 0.05  # slow enough that the two workers' sends overlap
    try:
        rounds, phones = await make_subscribed_teams(push_service, midday_time_zone(now))
        context = JobContext(now=now, services={})
        for round_ in rounds:
            # What opening the round does: schedule its reminders. Both processes' workers
            # see the "round is open" ones due at once and race for them.
            await push_jobs.schedule_round_reminders(round_, RoundState.OPEN, context)

        await wait_for_pushes(push_service, len(phones))
        await asyncio.sleep(3)  # time for any second copy to arrive

        assert [len(push_service.payloads_for(phone)) for phone in phones] == [1] * len(phones)
        sent = Notification.filter(round_id__in=[r.id for r in rounds])
        assert await sent.filter(status=NotificationStatus.SENT).count() == len(phones)
    finally:
        await push_service.stop()


async def make_subscribed_teams(
    local: LocalPushService, time_zone: str
) -> tuple[list[Round], list[Subscriber]]:
    """Teams with an open round and subscribed reps: the rounds, and every rep's phone."""
    now = datetime.now(UTC)
    rounds, phones = [], []
    for number in range(TEAMS):
        team = await factories.make_team(name=f"Team {number}", time_zone=time_zone)
        season = await factories.make_season(team, starts_on=now.date(), time_zone=time_zone)
        drill = await factories.make_drill(team, "Value prop in 30 seconds", prompt="Say it.")
        round_ = await factories.make_round(
            season, [drill], opens_at=now - timedelta(minutes=1), state=RoundState.OPEN
        )
        rounds.append(round_)
        for _ in range(REPS_PER_TEAM):
            member = await factories.make_member(team, Role.REP)
            phones.append(await subscribe(member, local))
    return rounds, phones


async def wait_for_pushes(local: LocalPushService, count: int) -> None:
    async with asyncio.timeout(WAIT_SECONDS * 2):
        while len(local.received) < count:
            await asyncio.sleep(0.1)


async def test_serve_with_several_workers_answers_on_one_port(cluster: Cluster) -> None:
    process = await asyncio.to_thread(
        start_process, "workers", cluster.environment, "--workers", "2"
    )
    try:
        async with httpx.AsyncClient(base_url=process.base_url) as client:
            answers = [(await client.get("/healthz")).status_code for _ in range(20)]
        pid = process.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    finally:
        services.stop_process(process.process)
    assert answers == [200] * 20
    # uvicorn's supervisor and its two worker processes (plus, maybe, a resource tracker).
    assert len(children) >= 2, process.output()
