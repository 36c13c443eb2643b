"""Where browsers report what the Content-Security-Policy blocked.

The policy names this endpoint with `report-uri` (Chromium sends each violation at once;
the Reporting API's `report-to` batches them for up to a minute, and a browser that knows
both ignores `report-uri`). Browsers send no CSRF token, so the CSRF check skips this one
path; the endpoint only writes a log line, and guards itself: bodies over
CSP_REPORT_MAX_BYTES are refused with 413, and each client address may send
REPORTS_PER_MINUTE reports, then gets 429.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from league.web.errors import LeagueError, TooManyRequests

logger = logging.getLogger(__name__)

CSP_REPORT_PATH = "/csp-report"
CSP_REPORT_MAX_BYTES = 16 * 1024
REPORTS_PER_MINUTE = 60
MAX_TRACKED_ADDRESSES = 10_000  # past this many, the counts start again (memory stays flat)
LOGGED_FIELDS = (
    "document-uri",
    "documentURL",
    "violated-directive",
    "effective-directive",
    "effectiveDirective",
    "blocked-uri",
    "blockedURL",
    "source-file",
    "sourceFile",
    "line-number",
    "lineNumber",
    "script-sample",
    "sample",
)
LOGGED_VALUE_CHARS = 300


@dataclass
class ReportThrottle:
    """Reports per client address in the current minute, kept in this process."""

    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # address -> (minute, n)

    def allow(self, address: str, now_seconds: float) -> bool:
        minute = int(now_seconds // 60)
        seen_minute, count = self.counts.get(address, (minute, 0))
        count = count + 1 if seen_minute == minute else 1
        if len(self.counts) >= MAX_TRACKED_ADDRESSES and address not in self.counts:
            self.counts.clear()
        self.counts[address] = (minute, count)
        return count <= REPORTS_PER_MINUTE


async def read_capped(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > CSP_REPORT_MAX_BYTES:
            message = f"A report may be at most {CSP_REPORT_MAX_BYTES} bytes."
            raise LeagueError(message, status=413)
    return body


def parse_reports(body: bytes) -> list[dict[str, Any]]:
    """The violations in a `report-uri` body ({"csp-report": {...}}) or a Reporting API
    body ([{"type": "csp-violation", "body": {...}}, ...])."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise LeagueError("A report must be JSON.", status=400) from error
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        found = [item.get("body") for item in data if isinstance(item, dict)]
        reports = [report for report in found if isinstance(report, dict)]
        if reports:
            return reports
    raise LeagueError("A report must be a CSP violation report.", status=400)


def summarise(report: dict[str, Any]) -> dict[str, str]:
    return {
        name: str(report[name])[:LOGGED_VALUE_CHARS] for name in LOGGED_FIELDS if name in report
    }


async def csp_report(request: Request) -> Response:
    throttle: ReportThrottle = request.app.state.csp_report_throttle
    address = request.client.host if request.client else "unknown"
    if not throttle.allow(address, request.app.state.clock.now().timestamp()):
        message = "Too many reports from this address; try again in a minute."
        raise TooManyRequests(message, retry_after_seconds=60)
    for report in parse_reports(await read_capped(request)):
        # json.dumps escapes control characters, so a report cannot forge log lines.
        logger.warning("content security policy violation: %s", json.dumps(summarise(report)))
    return Response(status_code=204)
