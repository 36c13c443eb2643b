"""Which push endpoints the server will ever connect to.

A push subscription's endpoint comes from a browser, so it is untrusted: pointed at the
server's own network it would make the server post to private services. Only `https` URLs
on public hosts are accepted: no user-info, no IP literal and no name that resolves to a
loopback, private, link-local or otherwise reserved address. The check runs when a
subscription is saved and again at every send, and the connection itself only ever uses
addresses that passed the check (so a DNS answer that changes in between gains nothing).

The local push service the tests run listens on plain http on loopback; only
`allow_loopback` (the LEAGUE_PUSH_ALLOW_LOOPBACK test setting, off by default) lets it in.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult

from league.web.errors import LeagueError

MAX_ENDPOINT_LENGTH = 1000
Lookup = Callable[[str, int], Awaitable[list[str]]]


class EndpointRefused(LeagueError):
    """The endpoint is not a public https push service; `message` says why."""


async def system_lookup(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


@dataclass(frozen=True)
class EndpointPolicy:
    allow_loopback: bool = False
    # Injected in tests so that no lookup ever leaves the machine.
    lookup: Lookup = field(default=system_lookup, compare=False)

    def check_url(self, endpoint: str) -> str:
        """Refuse what is wrong with the URL itself; returns its host."""
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        if len(endpoint) > MAX_ENDPOINT_LENGTH or not host:
            raise EndpointRefused("The browser sent a push address we can't use.")
        if parts.username is not None or parts.password is not None:
            raise EndpointRefused("A push address may not carry a user name or password.")
        if parts.scheme == "http" and self.allow_loopback and is_loopback_literal(host):
            return host
        if parts.scheme != "https":
            raise EndpointRefused("A push address must start with https://.")
        if is_ip_literal(host):
            raise EndpointRefused("A push address must name a host, not an IP address.")
        return host

    async def public_addresses(self, host: str, port: int = 443) -> list[str]:
        """The host's addresses, all of them public, else EndpointRefused."""
        if self.allow_loopback and is_loopback_literal(host):
            return [host]
        try:
            addresses = await self.lookup(host, port)
        except OSError:
            raise EndpointRefused(f"The push service {host} can't be found.") from None
        if not addresses or not all(is_public(address) for address in addresses):
            raise EndpointRefused(f"The push service {host} is not on the public internet.")
        return addresses

    async def check(self, endpoint: str) -> str:
        """Refuse an endpoint that is not a public https push service; return it unchanged."""
        host = self.check_url(endpoint)
        await self.public_addresses(host, urlsplit(endpoint).port or 443)
        return endpoint


def is_ip_literal(host: str) -> bool:
    try:
        ip_address(host)
    except ValueError:
        return False
    return True


def is_loopback_literal(host: str) -> bool:
    return is_ip_literal(host) and ip_address(host).is_loopback


def is_public(address: str) -> bool:
    parsed: IPv4Address | IPv6Address = ip_address(address.split("%")[0])
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return parsed.is_global and not parsed.is_multicast


class PolicyResolver(AbstractResolver):
    """aiohttp's resolver for push sends: connects only to addresses the policy accepts."""

    def __init__(self, policy: EndpointPolicy) -> None:
        self.policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            addresses = await self.policy.public_addresses(host, port)
        except EndpointRefused as refused:
            raise OSError(refused.message) from None
        return [resolved(host, address, port) for address in addresses]

    async def close(self) -> None:
        return None


def resolved(host: str, address: str, port: int) -> ResolveResult:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    result: Any = {
        "hostname": host,
        "host": address,
        "port": port,
        "family": family,
        "proto": 0,
        "flags": socket.AI_NUMERICHOST,
    }
    return result  # type: ignore[no-any-return]
