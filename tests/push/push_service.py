"""A push service on loopback that checks what a real one would, for end-to-end tests.

It receives the app's real HTTP request, verifies the VAPID JWT (ES256 signature with the
app's public key; aud = this service's origin; exp in the future; sub = the contact) and
decrypts the aes128gcm body with the subscriber's private keys, which only the test holds.
Each subscriber can be told how to answer (201, 404, 410, 429 with Retry-After, 500).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_EXP_SECONDS = 24 * 3600  # RFC 8292: the JWT must expire within a day


def b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Subscriber:
    """A browser's side of a subscription: its keys never leave the test."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    answers: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64encode(raw)

    @property
    def auth(self) -> str:
        return b64encode(self.auth_secret)

    def as_json(self) -> dict[str, Any]:
        """What PushSubscription.toJSON() gives the page."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass
class Received:
    token: str
    status: int  # what the service answered
    claims: dict[str, Any]
    payload: dict[str, Any]
    ttl: int
    urgency: str
    topic: str
    size: int


class LocalPushService:
    def __init__(self, vapid_public_key: str, contact: str) -> None:
        self.vapid_public_key = vapid_public_key
        self.contact = contact
        self.subscribers: dict[str, Subscriber] = {}
        self.received: list[Received] = []
        self.problems: list[str] = []  # requests a real push service would refuse
        self.runner: web.AppRunner | None = None
        self.origin = ""
        self.delay_seconds = 0.0  # answer slowly, to catch a sender mid-request
        self.slow_tokens: dict[str, float] = {}  # these subscribers' answers take this long
        self.in_flight = 0
        self.max_in_flight = 0

    async def start(self) -> LocalPushService:
        app = web.Application()
        app.router.add_post("/push/{token}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.origin = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def new_subscriber(self) -> Subscriber:
        token = secrets.token_urlsafe(12)
        subscriber = Subscriber(
            token=token,
            endpoint=f"{self.origin}/push/{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=os.urandom(16),
        )
        self.subscribers[token] = subscriber
        return subscriber

    def answer(
        self, subscriber: Subscriber, status: int, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next request for this subscriber with `status` (then 201 again)."""
        subscriber.answers.append((status, headers or {}))

    def payloads_for(self, subscriber: Subscriber) -> list[dict[str, Any]]:
        return [
            item.payload
            for item in self.received
            if item.token == subscriber.token and item.status == 201
        ]

    async def handle(self, request: web.Request) -> web.Response:
        subscriber = self.subscribers.get(request.match_info["token"])
        if subscriber is None:
            return web.Response(status=404)
        body = await request.read()
        try:
            claims = self.verify_vapid(request.headers.get("Authorization", ""))
            payload = self.decrypt(subscriber, body, request.headers)
        except (ValueError, InvalidSignature, KeyError) as error:
            self.problems.append(f"{type(error).__name__}: {error}")
            return web.Response(status=403, text=str(error))
        status, headers = subscriber.answers.popleft() if subscriber.answers else (201, {})
        self.received.append(
            Received(
                token=subscriber.token,
                status=status,
                claims=claims,
                payload=payload,
                ttl=int(request.headers["TTL"]),
                urgency=request.headers.get("Urgency", ""),
                topic=request.headers.get("Topic", ""),
                size=len(body),
            )
        )
        await self.wait_a_moment(self.slow_tokens.get(subscriber.token, self.delay_seconds))
        return web.Response(status=status, headers=headers)

    async def wait_a_moment(self, seconds: float) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(seconds)
        finally:
            self.in_flight -= 1

    def verify_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"expected a vapid Authorization header, got {scheme!r}")
        parts = dict(part.strip().split("=", 1) for part in params.split(","))
        if parts["k"] != self.vapid_public_key:
            raise ValueError("the JWT was signed with a key that is not the app's")
        header_b64, claims_b64, signature_b64 = parts["t"].split(".")
        header = json.loads(b64decode(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError(f"alg must be ES256, not {header.get('alg')}")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64decode(parts["k"])
        )
        signature = b64decode(signature_b64)
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims: dict[str, Any] = json.loads(b64decode(claims_b64))
        now = time.time()
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud is {claims.get('aud')!r}, not {self.origin!r}")
        if not now < int(claims["exp"]) <= now + MAX_EXP_SECONDS:
            raise ValueError(f"exp {claims['exp']} is not within the next 24 hours")
        if claims.get("sub") != self.contact:
            raise ValueError(f"sub is {claims.get('sub')!r}, not {self.contact!r}")
        return claims

    def decrypt(self, subscriber: Subscriber, body: bytes, headers: Any) -> dict[str, Any]:
        if headers.get("Content-Encoding") != "aes128gcm":
            raise ValueError("the body must be aes128gcm encrypted")
        plain = http_ece.decrypt(
            body,
            private_key=subscriber.private_key,
            auth_secret=subscriber.auth_secret,
            version="aes128gcm",
        )
        decoded: dict[str, Any] = json.loads(plain)
        return decoded
