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
