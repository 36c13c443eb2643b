"""Push subscriptions: checking what the browser sent, and each member's devices."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from tortoise.exceptions import IntegrityError

from league.accounts.models import Membership
from league.push.endpoints import EndpointPolicy
from league.push.models import PushSubscription
from league.web.errors import LeagueError, NotFound


def decode_key(value: str, length: int, what: str) -> str:
    """Check a base64url subscription key decodes to `length` bytes; return it unchanged."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise LeagueError(f"The browser sent an unreadable {what} key.") from None
    if len(raw) != length:
        raise LeagueError(f"The browser sent a {what} key of the wrong size.")
    return value


SYSTEMS = (
    ("iphone", "iPhone"),
    ("ipad", "iPad"),
    ("android", "Android"),
    ("mac os", "Mac"),
    ("windows", "Windows"),
    ("linux", "Linux"),
)
# Order matters: Edge and Chrome also say "safari" in their user agents.
BROWSERS = (
    ("edg/", "Edge"),
    ("firefox", "Firefox"),
    ("chrome", "Chrome"),
    ("chromium", "Chrome"),
    ("safari", "Safari"),
)


def describe_device(user_agent: str) -> str:
    """A short, human name for a device, e.g. "iPhone · Safari"."""
    agent = user_agent.lower()
    system = next((name for key, name in SYSTEMS if key in agent), "Device")
    browser = next((name for key, name in BROWSERS if key in agent), "Browser")
    return f"{system} · {browser}"


async def save_subscription(
    policy: EndpointPolicy,
    member: Membership,
    session_id: int | None,
    endpoint: str,
    p256dh: str,
    auth: str,
    device: str,
) -> PushSubscription:
    """Store this device's subscription for `member`, replacing what the endpoint had before
    (the same phone signed in as someone else, or fresh keys after the browser renewed)."""
    values: dict[str, Any] = {
        "member_id": member.id,
        "session_id": session_id,
        "p256dh": decode_key(p256dh, 65, "encryption"),
        "auth": decode_key(auth, 16, "authentication"),
        "device": device[:80],
        "last_error": "",
    }
    endpoint = await policy.check(endpoint)
    existing = await PushSubscription.get_or_none(endpoint=endpoint)
    if existing is not None:
        await PushSubscription.filter(id=existing.id).update(**values)
        return await PushSubscription.get(id=existing.id)
    try:
        return await PushSubscription.create(endpoint=endpoint, **values)
    except IntegrityError:
        # The same device subscribed twice at once: keep one row.
        await PushSubscription.filter(endpoint=endpoint).update(**values)
        return await PushSubscription.get(endpoint=endpoint)


async def list_subscriptions(member: Membership) -> list[PushSubscription]:
    return await PushSubscription.filter(member_id=member.id).order_by("created_at", "id")


async def remove_subscription(member: Membership, subscription_id: int) -> None:
    deleted = await PushSubscription.filter(id=subscription_id, member_id=member.id).delete()
    if not deleted:
        raise NotFound("That device isn't on your list any more.")


async def remove_subscription_by_endpoint(member: Membership, endpoint: str) -> bool:
    return bool(await PushSubscription.filter(endpoint=endpoint, member_id=member.id).delete())
