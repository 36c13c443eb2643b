"""Site-wide pages that belong to no feature: health check, CSP reports."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from league import __version__
from league.db import check_database
from league.web.csp_reports import CSP_REPORT_PATH, csp_report

logger = logging.getLogger(__name__)


async def healthz(request: Request) -> Response:
    try:
        await check_database()
    except Exception as error:  # noqa: BLE001 - any database failure means "not healthy"
        logger.warning("health check failed: %r", error)
        return JSONResponse({"status": "error", "database": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "version": __version__})


routes = [
    Route("/healthz", healthz, name="healthz"),
    Route(CSP_REPORT_PATH, csp_report, methods=["POST"], name="csp_report"),
]
