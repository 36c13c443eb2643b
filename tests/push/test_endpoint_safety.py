"""Push goes only to public https push services, never follows redirects, and one bad
device never stops a batch.

Refusals are checked with literal addresses and a resolver the test controls: every name
below "resolves" through `lookup_of`, so no lookup or connection ever leaves the machine.
The names that resolve to 127.0.0.1 point at the local push service: had a refused send
connected anyway, that service would have recorded it.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import timedelta

import pytest

from league.accounts.models import Membership
from league.clock import FrozenClock
from league.push import delivery
from league.push.endpoints import EndpointPolicy, EndpointRefused, PolicyResolver
from league.push.models import Notification, NotificationStatus, PushSubscription
from league.push.sender import Message, Outcome, Target, send_many
from league.push.vapid import PushConfig
from league.seasons.models import Round
from league.settings import Settings
from tests.conftest import ClientFactory
from tests.push.conftest import subscribe
from tests.push.push_service import LocalPushService, Subscriber
from tests.push.test_send_push import remind

MESSAGE = Message("Hi", "Practise", "/", 60, "normal", "t")


def lookup_of(answers: dict[str, list[list[str]]], asked: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A resolver the test controls: each name gives its answers in turn (the last repeats)."""

    async def lookup(host: str, port: int) -> list[str]:
        if asked is not None:
            asked.append(host)
        if host not in answers:
            raise OSError(f"{host} does not resolve")
        queue = answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return lookup


REFUSED_URLS = [
    "http://push.example.com/x",  # not https
    "https://user:secret@push.example.com/x",  # user-info
    "https://93.184.216.34/x",  # an IP literal, even a public one
    "https://10.0.0.8/x",
    "https://[::1]/x",
    "https://[fe80::1]/x",
    "https://169.254.169.254/latest/meta-data",
    "http://127.0.0.1:9/x",  # the loopback push service, with the test setting off
    "ftp://push.example.com/x",
    "https:///no-host",
]
PRIVATE_NAMES = {
    "loopback.example.com": [["127.0.0.1"]],
    "private.example.com": [["192.168.1.20"]],
    "link-local.example.com": [["169.254.10.10"]],
    "reserved.example.com": [["240.0.0.1"]],
    "shared.example.com": [["100.64.0.1"]],
    "mapped.example.com": [["::ffff:10.0.0.1"]],
    "mixed.example.com": [["8.8.8.8", "10.0.0.1"]],
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The default: the loopback push service is not allowed.
    return replace(settings, push_allow_loopback=False)


@pytest.mark.parametrize("endpoint", REFUSED_URLS)
async def test_the_policy_refuses_urls_that_are_not_public_https(endpoint: str) -> None:
    asked: list[str] = []
    policy = EndpointPolicy(lookup=lookup_of({}, asked))
    with pytest.raises(EndpointRefused):
        await policy.check(endpoint)
    assert asked == []  # refused from the URL alone, before any lookup


@pytest.mark.parametrize("host", sorted(PRIVATE_NAMES))
async def test_the_policy_refuses_names_that_resolve_to_non_public_addresses(host: str) -> None:
    policy = EndpointPolicy(lookup=lookup_of(PRIVATE_NAMES))
    with pytest.raises(EndpointRefused):
        await policy.check(f"https://{host}/push/abc")


async def test_a_public_name_is_accepted() -> None:
    policy = EndpointPolicy(lookup=lookup_of({"fcm.example.com": [["8.8.4.4"]]}))
    assert (
        await policy.check("https://fcm.example.com/send/abc") == "https://fcm.example.com/send/abc"
    )


async def test_the_connection_resolver_checks_again_so_rebinding_gains_nothing() -> None:
    # Public when the subscription was checked, loopback by the time the sender connects.
    answers = {"rebind.example.com": [["8.8.4.4"], ["127.0.0.1"]]}
    policy = EndpointPolicy(lookup=lookup_of(answers))
    await policy.check("https://rebind.example.com/x")
    with pytest.raises(OSError, match="not on the public internet"):
        await PolicyResolver(policy).resolve("rebind.example.com", 443)


async def test_subscribing_refuses_the_loopback_service_by_default(
    make_client: ClientFactory, rep: Membership, push_service: LocalPushService
) -> None:
    client = await make_client(rep)
    subscriber = push_service.new_subscriber()
    response = await client.post("/push/subscriptions", json=subscriber.as_json())
    assert response.status_code == 400
    assert "https://" in response.json()["error"]
    assert await PushSubscription.all().count() == 0


@pytest.mark.parametrize("host", ["loopback.example.com", "private.example.com"])
async def test_a_send_to_a_private_name_is_refused_before_connecting(
    push_config: PushConfig, push_service: LocalPushService, host: str
) -> None:
    config = replace(push_config, endpoints=EndpointPolicy(lookup=lookup_of(PRIVATE_NAMES)))
    subscriber = push_service.new_subscriber()
    port = push_service.origin.rsplit(":", 1)[1]
    target = Target(
        f"https://{host}:{port}/push/{subscriber.token}", subscriber.p256dh, subscriber.auth
    )
    [result] = await send_many(config, [(target, MESSAGE)])
    assert result.outcome == Outcome.REJECTED
    assert push_service.received == [] and push_service.problems == []


async def test_a_redirect_is_never_followed(
    push_config: PushConfig, push_service: LocalPushService
) -> None:
    config = replace(push_config, endpoints=EndpointPolicy(allow_loopback=True))
    first, elsewhere = push_service.new_subscriber(), push_service.new_subscriber()
    push_service.answer(first, 307, {"Location": elsewhere.endpoint})
    [result] = await send_many(
        config, [(Target(first.endpoint, first.p256dh, first.auth), MESSAGE)]
    )
    assert result.outcome == Outcome.REJECTED and result.status == 307
    assert [item.token for item in push_service.received] == [first.token]


async def test_one_broken_subscription_never_stops_the_batch(
    push_config: PushConfig,
    push_service: LocalPushService,
    rep: Membership,
    teammate: Membership,
    manager: Membership,
    round_: Round,
    clock: FrozenClock,
) -> None:
    config = replace(push_config, endpoints=EndpointPolicy(allow_loopback=True))
    phones = [await subscribe(member, push_service) for member in (rep, teammate, manager)]
    # 65 bytes, as a P-256 key should be, but not a point on the curve: encryption fails.
    not_a_key = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).decode().rstrip("=")
    await PushSubscription.filter(endpoint=phones[1].endpoint).update(p256dh=not_a_key)
    notifications = [await remind(member, clock, round_) for member in (rep, teammate, manager)]

    report = await delivery.deliver(config, [n.id for n in notifications], clock.now())

    assert report.delivered == 2 and report.rejected == 1
    assert push_service.payloads_for(phones[0]) and push_service.payloads_for(phones[2])
    broken = await PushSubscription.get(endpoint=phones[1].endpoint)
    assert broken.last_error.startswith("failed")
    statuses = {n.status for n in await Notification.filter(id__in=[n.id for n in notifications])}
    assert statuses == {NotificationStatus.SENT}


async def test_a_notification_left_sending_by_a_crash_is_settled_and_not_resent(
    push_config: PushConfig,
    push_service: LocalPushService,
    phone: Subscriber,
    notification: Notification,
    clock: FrozenClock,
) -> None:
    config = replace(push_config, endpoints=EndpointPolicy(allow_loopback=True))
    crashed_at = clock.now() - timedelta(minutes=30)
    await Notification.filter(id=notification.id).update(
        status=NotificationStatus.SENDING, sent_at=crashed_at
    )
    report = await delivery.deliver(config, [notification.id], clock.now())
    settled = await Notification.get(id=notification.id)
    assert settled.status == NotificationStatus.SENT
    assert "not sent again" in settled.note
    assert report.delivered == 0 and push_service.received == []


async def test_a_send_still_in_progress_is_left_alone(
    push_config: PushConfig, notification: Notification, clock: FrozenClock
) -> None:
    await Notification.filter(id=notification.id).update(
        status=NotificationStatus.SENDING, sent_at=clock.now() - timedelta(seconds=20)
    )
    assert await delivery.settle_interrupted(clock.now()) == 0
    assert (await Notification.get(id=notification.id)).status == NotificationStatus.SENDING


@pytest.fixture
async def phone(rep: Membership, push_service: LocalPushService) -> Subscriber:
    return await subscribe(rep, push_service)


@pytest.fixture
async def notification(rep: Membership, clock: FrozenClock, round_: Round) -> Notification:
    return await remind(rep, clock, round_)
