from __future__ import annotations

import httpx
import pytest

from league import __version__
from league.web import routes


async def test_it_reports_ok_with_a_database_check(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}


async def test_it_reports_an_unreachable_database(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database that stops answering can't be staged reliably with SQLite in-process,
    # so the check itself is replaced by one that fails the way a dropped connection does.
    async def unreachable() -> bool:
        raise ConnectionError("database went away")

    monkeypatch.setattr(routes, "check_database", unreachable)
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


async def test_it_needs_no_sign_in(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).status_code == 200


async def test_it_rejects_wrong_method(client: httpx.AsyncClient) -> None:
    assert (await client.post("/healthz")).status_code == 405
