"""Send one Web Push message and say what the push service answered.

Every send goes through `send_push`; callers act on the `Outcome` (delete the
subscription, retry later, or give up) instead of reading HTTP statuses themselves.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any

import aiohttp
from pywebpush import WebPushException, webpush_async

from league.push.endpoints import EndpointRefused, PolicyResolver
from league.push.vapid import PushConfig

logger = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 3900  # the encrypted record must stay under the 4 KB push limit
SEND_TIMEOUT_SECONDS = 10
DEFAULT_RETRY_SECONDS = 60


class Outcome(StrEnum):
    DELIVERED = "delivered"
    GONE = "gone"  # 404/410: the subscription is dead; delete it
    RETRY = "retry"  # 429/5xx or no connection: try again after `retry_after_seconds`
    UNANSWERED = "unanswered"  # sent, but the answer never came: it may have arrived
    REJECTED = "rejected"  # 400/403/413 and the like: this message will never go through


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    status: int | None = None
    retry_after_seconds: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str
    ttl_seconds: int
    urgency: str  # very-low | low | normal | high
    topic: str  # same topic replaces the older message still waiting on the push service
    tag: str = ""  # same tag replaces the older notification already on screen

    def payload(self) -> bytes:
        data = {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}
        encoded = json.dumps(data, separators=(",", ":")).encode()
        if len(encoded) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"push payload is {len(encoded)} bytes; the limit is 3900")
        return encoded


@dataclass(frozen=True)
class Target:
    endpoint: str
    p256dh: str
    auth: str

    def subscription_info(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class NoRedirects:
    """The session pywebpush posts through, made never to follow a redirect: a push service
    answers, it does not send us elsewhere (a 3xx is then a refusal like any other)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def post(self, url: str, **kwargs: Any) -> aiohttp.ClientResponse:
        return await self.session.post(url, allow_redirects=False, **kwargs)


def push_session(config: PushConfig) -> aiohttp.ClientSession:
    """A session whose connections go only to addresses the endpoint policy accepts."""
    connector = aiohttp.TCPConnector(resolver=PolicyResolver(config.endpoints))
    return aiohttp.ClientSession(connector=connector)


async def send_push(
    config: PushConfig,
    target: Target,
    message: Message,
    session: aiohttp.ClientSession,
) -> SendResult:
    """Send one message. Checked against the endpoint policy first: a refused endpoint is
    REJECTED before any connection is tried."""
    try:
        await config.endpoints.check(target.endpoint)
    except EndpointRefused as refused:
        logger.error("push to %s refused: %s", target.endpoint, refused.message)
        return SendResult(Outcome.REJECTED, None, 0, refused.message)
    headers = {"Urgency": message.urgency, "Topic": message.topic}
    try:
        await webpush_async(
            subscription_info=target.subscription_info(),
            data=message.payload().decode(),
            vapid_private_key=config.vapid,
            # A fresh dict each time: pywebpush writes `aud` into it, and `aud` differs
            # between push services.
            vapid_claims={"sub": config.contact},
            ttl=max(message.ttl_seconds, 0),
            headers=headers,  # type: ignore[arg-type]
            timeout=SEND_TIMEOUT_SECONDS,
            aiohttp_session=NoRedirects(session),  # type: ignore[arg-type]
        )
    except WebPushException as error:
        return read_refusal(error, target)
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
        # Nothing reached the push service, so sending again cannot show it twice.
        logger.warning("push to %s failed to connect: %r", target.endpoint, error)
        return SendResult(Outcome.RETRY, None, DEFAULT_RETRY_SECONDS, repr(error))
    except (aiohttp.ClientError, TimeoutError) as error:
        # The push service may have taken the message before the answer was lost: sending
        # again could put the reminder on the phone twice, and reminders go at most once.
        logger.warning("push to %s got no answer: %r", target.endpoint, error)
        return SendResult(Outcome.UNANSWERED, None, 0, f"no answer: {error!r}"[:200])
    return SendResult(Outcome.DELIVERED, 201)


async def send_isolated(
    config: PushConfig, target: Target, message: Message, session: aiohttp.ClientSession
) -> SendResult:
    """One device's send, whatever goes wrong in it: a broken subscription (keys that do not
    encrypt, an answer that cannot be read) is that device's REJECTED, never the batch's end."""
    try:
        return await send_push(config, target, message, session)
    except Exception as error:  # noqa: BLE001 - isolate one device; logged with its endpoint
        logger.exception("push to %s failed", target.endpoint)
        return SendResult(Outcome.REJECTED, None, 0, f"failed: {error!r}"[:200])


def read_refusal(error: WebPushException, target: Target) -> SendResult:
    status = error.status_code
    detail = f"{status} from push service"
    if status in (404, 410):
        return SendResult(Outcome.GONE, status, 0, detail)
    if status is None or status == 429 or status >= 500:
        wait = parse_retry_after(error.retry_after)
        logger.info("push to %s answered %s; retrying in %s s", target.endpoint, status, wait)
        return SendResult(Outcome.RETRY, status, wait, detail)
    logger.error("push to %s refused with %s: %s", target.endpoint, status, error.message)
    return SendResult(Outcome.REJECTED, status, 0, detail)


def parse_retry_after(raw: str | None) -> int:
    """Seconds to wait: Retry-After is either a number of seconds or an HTTP date."""
    if not raw:
        return DEFAULT_RETRY_SECONDS
    if raw.strip().isdigit():
        return int(raw.strip())
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_SECONDS
    return max(int((moment - datetime.now(UTC)).total_seconds()), 1)


class Sender:
    """Sends for one delivery run: one session, so connections to a push service are kept
    alive across the run (no new TCP and TLS handshake per batch), and one gate, so at most
    `config.concurrency` requests are in flight however many batches overlap. A new send
    starts as soon as any other finishes; no batch waits for its slowest message."""

    def __init__(self, config: PushConfig, session: aiohttp.ClientSession) -> None:
        self.config = config
        self.session = session
        self.gate = asyncio.Semaphore(max(config.concurrency, 1))

    async def send(self, target: Target, message: Message) -> SendResult:
        async with self.gate:
            return await send_isolated(self.config, target, message, self.session)

    async def send_all(self, jobs: list[tuple[Target, Message]]) -> list[SendResult]:
        return list(await asyncio.gather(*(self.send(t, m) for t, m in jobs)))


@asynccontextmanager
async def open_sender(config: PushConfig) -> AsyncIterator[Sender]:
    async with push_session(config) as session:
        yield Sender(config, session)


async def send_many(config: PushConfig, jobs: list[tuple[Target, Message]]) -> list[SendResult]:
    """Send to many devices at once, never more than `config.concurrency` in flight."""
    async with open_sender(config) as sender:
        return await sender.send_all(jobs)
