"""The real services of the scale-out suite, started once per run (pytest --scale)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scale import services


@pytest.fixture(scope="session")
def redis_server() -> Iterator[services.RedisServer]:
    with services.redis() as server:
        yield server


@pytest.fixture(scope="session")
def seaweed_server() -> Iterator[services.SeaweedServer]:
    with services.seaweedfs() as server:
        yield server


@pytest.fixture(scope="session")
def s3_bucket(seaweed_server: services.SeaweedServer) -> str:
    """One bucket for the run (each new bucket makes SeaweedFS grow new volumes); tests keep
    their clips apart under their own key prefixes."""
    return services.create_bucket(seaweed_server, "clips")
