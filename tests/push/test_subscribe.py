"""Saving this device's subscription, removing it, and sign-out taking it away."""

from __future__ import annotations

import httpx

from league.accounts.models import Membership
from league.push.models import PushSubscription
from tests.conftest import ClientFactory
from tests.push.push_service import LocalPushService

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


async def test_it_saves_the_subscription_of_this_device(
    make_client: ClientFactory, rep: Membership, push_service: LocalPushService
) -> None:
    client = await make_client(rep)
    phone = push_service.new_subscriber()

    response = await client.post(
        "/push/subscriptions", json=phone.as_json(), headers={"User-Agent": IPHONE}
    )

    assert response.status_code == 201
    saved = await PushSubscription.get(endpoint=phone.endpoint)
    assert saved.member_id == rep.id  # type: ignore[attr-defined]
    assert saved.session_id is not None  # type: ignore[attr-defined]
    assert saved.device == "iPhone · Safari"
    assert response.json()["device"] == "iPhone · Safari"


async def test_it_keeps_one_row_per_device_and_moves_it_to_whoever_signed_in(
    make_client: ClientFactory,
    rep: Membership,
    teammate: Membership,
    push_service: LocalPushService,
) -> None:
    phone = push_service.new_subscriber()
    await (await make_client(rep)).post("/push/subscriptions", json=phone.as_json())
    await (await make_client(teammate)).post("/push/subscriptions", json=phone.as_json())

    [saved] = await PushSubscription.all()
    assert saved.member_id == teammate.id  # type: ignore[attr-defined]


async def test_a_member_can_have_several_devices(
    make_client: ClientFactory, rep: Membership, push_service: LocalPushService
) -> None:
    client = await make_client(rep)
    for _ in range(3):
        await client.post("/push/subscriptions", json=push_service.new_subscriber().as_json())
    assert await PushSubscription.filter(member_id=rep.id).count() == 3


async def test_it_refuses_broken_subscriptions(
    make_client: ClientFactory, rep: Membership, push_service: LocalPushService
) -> None:
    client = await make_client(rep)
    good = push_service.new_subscriber().as_json()
    broken = [
        {**good, "endpoint": "http://push.example.com/abc"},  # plain http off this machine
        {**good, "endpoint": "javascript:alert(1)"},
        {**good, "keys": {"p256dh": "short", "auth": good["keys"]["auth"]}},
        {**good, "keys": {"p256dh": good["keys"]["p256dh"], "auth": "!!!"}},
        {"endpoint": good["endpoint"]},
    ]
    for body in broken:
        response = await client.post("/push/subscriptions", json=body)
        assert response.status_code == 400, body
    assert (await client.post("/push/subscriptions", content=b"[1,2")).status_code == 400
    assert (await client.post("/push/subscriptions", content=b"x" * 5000)).status_code == 413
    assert await PushSubscription.all().count() == 0


async def test_it_rejects_get(make_client: ClientFactory, rep: Membership) -> None:
    assert (await (await make_client(rep)).get("/push/subscriptions")).status_code == 405


async def test_it_sends_a_signed_out_visitor_to_sign_in(
    client: httpx.AsyncClient, push_service: LocalPushService
) -> None:
    response = await client.post(
        "/push/subscriptions", json=push_service.new_subscriber().as_json()
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


async def test_it_turns_this_device_off_by_endpoint(
    make_client: ClientFactory,
    rep: Membership,
    teammate: Membership,
    push_service: LocalPushService,
) -> None:
    client = await make_client(rep)
    phone = push_service.new_subscriber()
    await client.post("/push/subscriptions", json=phone.as_json())
    other = push_service.new_subscriber()
    await (await make_client(teammate)).post("/push/subscriptions", json=other.as_json())

    assert (
        await client.post("/push/unsubscribe", json={"endpoint": phone.endpoint})
    ).status_code == 204
    # Someone else's endpoint is left alone.
    await client.post("/push/unsubscribe", json={"endpoint": other.endpoint})

    assert [s.endpoint for s in await PushSubscription.all()] == [other.endpoint]


async def test_signing_out_removes_this_devices_subscription_only(
    make_client: ClientFactory, rep: Membership, push_service: LocalPushService
) -> None:
    phone_client, laptop_client = await make_client(rep), await make_client(rep)
    phone, laptop = push_service.new_subscriber(), push_service.new_subscriber()
    await phone_client.post("/push/subscriptions", json=phone.as_json())
    await laptop_client.post("/push/subscriptions", json=laptop.as_json())

    response = await phone_client.post("/signout")

    assert response.status_code == 303
    assert [s.endpoint for s in await PushSubscription.all()] == [laptop.endpoint]


async def test_deactivating_a_member_removes_their_devices(
    make_client: ClientFactory,
    rep: Membership,
    admin: Membership,
    push_service: LocalPushService,
) -> None:
    await (await make_client(rep)).post(
        "/push/subscriptions", json=push_service.new_subscriber().as_json()
    )
    response = await (await make_client(admin)).post(
        f"/team/members/{rep.id}/active", data={"active": "false"}
    )
    assert response.status_code in (200, 303)
    assert await PushSubscription.all().count() == 0
