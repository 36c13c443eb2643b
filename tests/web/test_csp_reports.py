"""Browsers post what the Content-Security-Policy blocked to /csp-report: the report is
logged, no CSRF token is needed, and the endpoint refuses junk, big bodies and floods."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import httpx
import pytest

from league.clock import FrozenClock
from league.web.csp_reports import CSP_REPORT_MAX_BYTES, REPORTS_PER_MINUTE

REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/team",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "http://testserver/team",
    }
}
CSP_REPORT_TYPE = {"Content-Type": "application/csp-report"}


async def test_every_page_names_the_report_endpoint(bare_client: httpx.AsyncClient) -> None:
    policy = (await bare_client.get("/signin")).headers["Content-Security-Policy"]
    assert "report-uri /csp-report" in policy
    # A browser that knows report-to as well would ignore report-uri.
    assert "report-to" not in policy


async def test_it_logs_a_report_sent_without_a_csrf_token(
    bare_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="league.web.csp_reports"):
        response = await bare_client.post(
            "/csp-report", content=json.dumps(REPORT), headers=CSP_REPORT_TYPE
        )
    assert response.status_code == 204
    logged = [r.getMessage() for r in caplog.records if "policy violation" in r.getMessage()]
    assert len(logged) == 1
    assert '"blocked-uri": "inline"' in logged[0] and "/team" in logged[0]


async def test_it_takes_reporting_api_batches_too(
    bare_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    batch = [{"type": "csp-violation", "body": {"blockedURL": "inline"}}] * 2
    with caplog.at_level(logging.WARNING, logger="league.web.csp_reports"):
        response = await bare_client.post(
            "/csp-report",
            content=json.dumps(batch),
            headers={"Content-Type": "application/reports+json"},
        )
    assert response.status_code == 204
    assert sum("policy violation" in r.getMessage() for r in caplog.records) == 2


@pytest.mark.parametrize(
    "body", [b"not json", b"\xff\xfe", b"[]", b'{"csp-report": 3}', b"[1, 2]", b"null"]
)
async def test_it_refuses_what_is_not_a_report(bare_client: httpx.AsyncClient, body: bytes) -> None:
    response = await bare_client.post("/csp-report", content=body, headers=CSP_REPORT_TYPE)
    assert response.status_code == 400
    assert "report" in response.text


async def test_it_refuses_a_body_over_its_cap(bare_client: httpx.AsyncClient) -> None:
    huge = {"csp-report": {"blocked-uri": "x" * CSP_REPORT_MAX_BYTES}}
    response = await bare_client.post(
        "/csp-report", content=json.dumps(huge), headers=CSP_REPORT_TYPE
    )
    assert response.status_code == 413


async def test_it_refuses_a_flood_from_one_address_until_the_next_minute(
    bare_client: httpx.AsyncClient, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    async def send() -> int:
        response = await bare_client.post(
            "/csp-report", content=json.dumps(REPORT), headers=CSP_REPORT_TYPE
        )
        return response.status_code

    with caplog.at_level(logging.WARNING, logger="league.web.csp_reports"):
        statuses = [await send() for _ in range(REPORTS_PER_MINUTE + 3)]
        assert statuses == [204] * REPORTS_PER_MINUTE + [429] * 3
        clock.advance(timedelta(minutes=1))
        assert await send() == 204
    logged = sum("policy violation" in r.getMessage() for r in caplog.records)
    assert logged == REPORTS_PER_MINUTE + 1
