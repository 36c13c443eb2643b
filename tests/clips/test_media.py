from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from league.accounts.models import Membership, Role, Team
from league.clips.models import Entry, Take
from league.clips.storage import LocalStorage
from league.clock import FrozenClock
from league.playbook.models import Drill
from league.reviews.models import Review
from league.seasons.models import Round, RoundState
from tests import factories
from tests.clips import media
from tests.clips.conftest import store_take
from tests.conftest import ClientFactory


def media_url(take: Take) -> str:
    return f"/clips/{take.id}/media"


async def get_media(
    make_client: ClientFactory, member: Membership, take: Take, **headers: str
) -> httpx.Response:
    client = await make_client(member)
    return await client.get(media_url(take), headers=headers)


async def publish_results(round_: Round) -> None:
    round_.state = RoundState.RESULTS
    await round_.save()


async def assign_reviewer(entry: Entry, reviewer: Membership) -> Review:
    return await Review.create(
        team_id=entry.team_id,  # type: ignore[attr-defined]
        round_id=entry.round_id,  # type: ignore[attr-defined]
        entry=entry,
        reviewer=reviewer,
    )


# Ranges


async def test_it_plays_the_whole_clip_to_its_rep(
    make_client: ClientFactory, rep: Membership, take: Take, storage: LocalStorage
) -> None:
    response = await get_media(make_client, rep, take)
    assert response.status_code == 200
    assert response.content == (storage.root / take.storage_key).read_bytes()
    assert response.headers["content-type"] == "audio/webm"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-length"] == str(take.size_bytes)
    assert "no-store" in response.headers["cache-control"]


async def test_it_serves_the_first_bytes(
    make_client: ClientFactory, rep: Membership, take: Take, storage: LocalStorage
) -> None:
    clip = (storage.root / take.storage_key).read_bytes()
    response = await get_media(make_client, rep, take, Range="bytes=0-99")
    assert response.status_code == 206
    assert response.content == clip[:100]
    assert response.headers["content-range"] == f"bytes 0-99/{len(clip)}"
    assert response.headers["content-length"] == "100"


async def test_it_serves_a_suffix_range(
    make_client: ClientFactory, rep: Membership, take: Take, storage: LocalStorage
) -> None:
    clip = (storage.root / take.storage_key).read_bytes()
    response = await get_media(make_client, rep, take, Range="bytes=-500")
    assert response.status_code == 206
    assert response.content == clip[-500:]
    assert (
        response.headers["content-range"] == f"bytes {len(clip) - 500}-{len(clip) - 1}/{len(clip)}"
    )


async def test_it_serves_an_open_ended_range(
    make_client: ClientFactory, rep: Membership, take: Take, storage: LocalStorage
) -> None:
    clip = (storage.root / take.storage_key).read_bytes()
    response = await get_media(make_client, rep, take, Range="bytes=1000-")
    assert response.status_code == 206
    assert response.content == clip[1000:]
    assert response.headers["content-range"] == f"bytes 1000-{len(clip) - 1}/{len(clip)}"


async def test_it_clamps_a_range_past_the_end(
    make_client: ClientFactory, rep: Membership, take: Take, storage: LocalStorage
) -> None:
    clip = (storage.root / take.storage_key).read_bytes()
    response = await get_media(make_client, rep, take, Range=f"bytes=10-{len(clip) * 2}")
    assert response.status_code == 206
    assert response.content == clip[10:]


@pytest.mark.parametrize(
    "header", ["bytes=999999-", "bytes=50-10", "bytes=abc", "bytes=-0", "bytes=-"]
)
async def test_it_refuses_unsatisfiable_ranges(
    make_client: ClientFactory, rep: Membership, take: Take, header: str
) -> None:
    response = await get_media(make_client, rep, take, Range=header)
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{take.size_bytes}"


async def test_it_answers_head_with_headers_only(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    client = await make_client(rep)
    response = await client.head(media_url(take), headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response.content == b""
    assert response.headers["content-length"] == "10"


async def test_it_sends_the_whole_clip_for_multiple_ranges(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    response = await get_media(make_client, rep, take, Range="bytes=0-1,5-6")
    assert response.status_code == 200
    assert len(response.content) == take.size_bytes


@pytest.mark.parametrize(
    ("make", "content_type"), [(media.mp4_aac, "audio/mp4"), (media.mp4_h264_aac, "video/mp4")]
)
async def test_it_answers_safaris_two_byte_probe_of_an_mp4_take(
    make_client: ClientFactory,
    rep: Membership,
    drill: Drill,
    storage: LocalStorage,
    clock: FrozenClock,
    make: Callable[[], bytes],
    content_type: str,
) -> None:
    # Safari asks for bytes 0-1 first and plays only if it gets a 206 of the right type.
    take = await store_take(storage, rep, drill, clock, make())
    response = await get_media(make_client, rep, take, Range="bytes=0-1")
    assert response.status_code == 206
    assert response.headers["content-type"] == content_type
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-range"] == f"bytes 0-1/{take.size_bytes}"
    assert response.content == (storage.root / take.storage_key).read_bytes()[:2]


async def test_it_rejects_the_wrong_method(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    client = await make_client(rep)
    response = await client.post(media_url(take))
    assert response.status_code == 405


# Who may listen


async def test_a_teammate_cannot_hear_a_private_take(
    make_client: ClientFactory, teammate: Membership, take: Take
) -> None:
    assert (await get_media(make_client, teammate, take)).status_code == 404


async def test_a_teammate_who_is_not_a_reviewer_cannot_hear_an_entry(
    make_client: ClientFactory, teammate: Membership, entry: Entry, take: Take
) -> None:
    assert (await get_media(make_client, teammate, take)).status_code == 404


async def test_an_assigned_reviewer_can_hear_the_entry(
    make_client: ClientFactory, teammate: Membership, entry: Entry, take: Take
) -> None:
    await assign_reviewer(entry, teammate)
    assert (await get_media(make_client, teammate, take)).status_code == 200


async def test_a_reviewer_loses_access_when_the_entry_is_withdrawn(
    make_client: ClientFactory, teammate: Membership, entry: Entry, take: Take, clock: FrozenClock
) -> None:
    await assign_reviewer(entry, teammate)
    entry.withdrawn_at = clock.now()
    await entry.save()
    assert (await get_media(make_client, teammate, take)).status_code == 404


@pytest.mark.parametrize("coach_role", [Role.MANAGER, Role.ADMIN])
async def test_the_teams_coaches_hear_a_submitted_entry(
    make_client: ClientFactory, team: Team, entry: Entry, take: Take, coach_role: Role
) -> None:
    coach = await factories.make_member(team, coach_role)
    assert (await get_media(make_client, coach, take)).status_code == 200


@pytest.mark.parametrize("coach_role", [Role.MANAGER, Role.ADMIN])
async def test_nobody_else_hears_an_unsubmitted_take_not_even_coaches(
    make_client: ClientFactory, team: Team, teammate: Membership, take: Take, coach_role: Role
) -> None:
    coach = await factories.make_member(team, coach_role)
    assert (await get_media(make_client, coach, take)).status_code == 404
    assert (await get_media(make_client, teammate, take)).status_code == 404


async def test_a_withdrawn_entry_is_private_again(
    make_client: ClientFactory, manager: Membership, entry: Entry, take: Take, clock: FrozenClock
) -> None:
    entry.withdrawn_at = clock.now()
    await entry.save()
    assert (await get_media(make_client, manager, take)).status_code == 404


async def test_another_teams_manager_cannot_hear_it(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    other_team = await factories.make_team(rep.organisation, "Enterprise")  # type: ignore[arg-type]
    other_manager = await factories.make_member(other_team, Role.MANAGER)
    assert (await get_media(make_client, other_manager, take)).status_code == 404


async def test_the_whole_team_hears_entries_once_results_are_out(
    make_client: ClientFactory, teammate: Membership, entry: Entry, take: Take, open_round: Round
) -> None:
    await publish_results(open_round)
    assert (await get_media(make_client, teammate, take)).status_code == 200


async def test_results_do_not_open_takes_that_were_never_entered(
    make_client: ClientFactory,
    teammate: Membership,
    open_round: Round,
    take: Take,
) -> None:
    await publish_results(open_round)
    assert (await get_media(make_client, teammate, take)).status_code == 404


async def test_an_outsider_gets_404_even_after_results(
    make_client: ClientFactory, outsider: Membership, entry: Entry, take: Take, open_round: Round
) -> None:
    await publish_results(open_round)
    assert (await get_media(make_client, outsider, take)).status_code == 404


async def test_a_deleted_take_is_gone_for_everyone(
    make_client: ClientFactory,
    rep: Membership,
    manager: Membership,
    entry: Entry,
    take: Take,
    clock: FrozenClock,
) -> None:
    take.deleted_at = clock.now() - timedelta(minutes=1)
    await take.save()
    assert (await get_media(make_client, rep, take)).status_code == 404
    assert (await get_media(make_client, manager, take)).status_code == 404


async def test_a_missing_file_is_a_404_not_a_crash(
    make_client: ClientFactory, rep: Membership, take: Take, storage: LocalStorage
) -> None:
    (storage.root / take.storage_key).unlink()
    response = await get_media(make_client, rep, take)
    assert response.status_code == 404
    assert "missing" in response.text


async def test_it_sends_logged_out_people_to_sign_in(client: httpx.AsyncClient, take: Take) -> None:
    response = await client.get(media_url(take))
    assert response.status_code == 303


async def test_an_unknown_take_is_a_404(make_client: ClientFactory, rep: Membership) -> None:
    client = await make_client(rep)
    assert (await client.get("/clips/999999/media")).status_code == 404


async def test_it_shows_an_htmx_request_the_error_fragment(
    make_client: ClientFactory, teammate: Membership, take: Take, team: Team
) -> None:
    client = await make_client(teammate)
    response = await client.get(media_url(take), headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["hx-retarget"] == "#flash"


async def test_it_never_compresses_a_clip(
    make_client: ClientFactory, rep: Membership, take: Take
) -> None:
    for headers in ({}, {"Range": "bytes=0-99"}):
        response = await get_media(make_client, rep, take, **{"Accept-Encoding": "gzip"}, **headers)
        assert "content-encoding" not in response.headers
