"""An admin deletes a member: clips leave storage, reviews they wrote become anonymous,
and the standings stay equal to a full recompute."""

from __future__ import annotations

from league.accounts.models import Membership, Role, Session, User
from league.clips.models import Entry, Take
from league.clips.storage import LocalStorage
from league.reactions import Reactions
from league.reviews.models import Review, ReviewStatus
from league.reviews.round_scores import score_round
from league.settings import Settings
from league.standings import service as standings
from league.standings.models import RoundPoints, SeasonStanding
from league.standings.points import PointsWeights
from tests import factories
from tests.conftest import ClientFactory
from tests.reviews.conftest import League
from tests.standings.test_points_incremental import snapshot


async def erase(make_client: ClientFactory, admin: Membership, member: Membership) -> int:
    client = await make_client(admin)
    response = await client.post(
        f"/team/members/{member.id}/erase", data={"confirm_name": member.user.name}
    )
    return response.status_code


async def test_it_removes_their_clips_and_identity(
    played: League, admin: Membership, make_client: ClientFactory, storage: LocalStorage
) -> None:
    rep = played.reps[0]
    keys = await Take.filter(member_id=rep.id).values_list("storage_key", flat=True)
    assert keys and all([await storage.exists(key) for key in keys])
    assert await erase(make_client, admin, rep) == 303
    assert not any([await storage.exists(key) for key in keys])
    assert not await Take.filter(member_id=rep.id).exists()
    assert not await Entry.filter(member_id=rep.id).exists()
    assert not await User.filter(email=rep.user.email).exists()
    assert not await Session.filter(membership_id=rep.id).exists()
    former = await Membership.get(id=rep.id).select_related("user")
    assert former.user.name == "Former member" and not former.is_active


async def test_reviews_they_wrote_stay_anonymous(
    played: League, admin: Membership, make_client: ClientFactory
) -> None:
    rep = played.reps[0]
    written = await Review.filter(reviewer_id=rep.id, status=ReviewStatus.SUBMITTED).count()
    assert written > 0
    assert await erase(make_client, admin, rep) == 303
    kept = await Review.filter(reviewer_id=rep.id).select_related("reviewer__user")
    assert len(kept) == written
    assert {review.reviewer.user.name for review in kept} == {"Former member"}


async def test_standings_equal_a_full_recompute(
    played: League,
    admin: Membership,
    make_client: ClientFactory,
    settings: Settings,
    reactions: Reactions,
) -> None:
    rep = played.reps[0]
    before = {row.member_id: row.points for row in await SeasonStanding.all()}  # type: ignore[attr-defined]
    assert await erase(make_client, admin, rep) == 303
    after = await snapshot(played.season.id)
    # Their row stays only for the reviews they wrote, under the former member's name.
    points = await RoundPoints.get(member_id=rep.id).select_related("member__user")
    assert points.member.user.name == "Former member"
    assert points.round_score is None and points.quality == 0 and points.reviewing > 0
    assert {member_id for member_id, *_ in after["standings"]} >= {
        member.id for member in played.reps[1:4]
    }
    # The reviews of their entry are gone, so their reviewers' points changed.
    now = {member_id: points for member_id, points, *_ in after["standings"]}
    assert any(now.get(member_id) != points for member_id, points in before.items())
    await score_round(played.round.id)
    await standings.rebuild_season(
        played.season.id, PointsWeights.from_settings(settings), reactions
    )
    assert await snapshot(played.season.id) == after
    ranks = sorted(rank for *_, rank in after["standings"])
    assert ranks == list(range(1, len(ranks) + 1))


async def test_it_needs_the_name_typed(
    played: League, admin: Membership, make_client: ClientFactory
) -> None:
    rep = played.reps[0]
    client = await make_client(admin)
    response = await client.post(f"/team/members/{rep.id}/erase", data={"confirm_name": "x"})
    assert response.status_code == 400
    assert "exactly" in response.text
    assert await Entry.filter(member_id=rep.id).exists()


async def test_it_shows_a_confirmation_page(
    played: League, admin: Membership, make_client: ClientFactory
) -> None:
    client = await make_client(admin)
    response = await client.get(f"/team/members/{played.reps[0].id}/erase")
    assert response.status_code == 200
    assert "cannot be undone" in response.text


async def test_it_is_for_admins_only(
    played: League, make_client: ClientFactory, manager: Membership
) -> None:
    rep = played.reps[0]
    assert await erase(make_client, manager, rep) == 403
    assert await erase(make_client, played.reps[1], rep) == 403
    assert await Entry.filter(member_id=rep.id).exists()


async def test_it_hides_other_organisations_members(
    played: League, make_client: ClientFactory
) -> None:
    other_team = await factories.make_team(await factories.make_organisation("Rival"), "R")
    other_admin = await factories.make_member(other_team, Role.ADMIN, name="Other Admin")
    assert await erase(make_client, other_admin, played.reps[0]) == 404
    assert await Entry.filter(member_id=played.reps[0].id).exists()


async def test_an_admin_cannot_erase_themselves(
    played: League, admin: Membership, make_client: ClientFactory
) -> None:
    assert await erase(make_client, admin, admin) == 400
    assert await Membership.filter(id=admin.id, is_active=True).exists()
