"""Reps of a seeded rush league (tests.reliability.rush) as HTTP clients of a real server."""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from league.accounts.access import SESSION_COOKIE
from league.playbook.rubric import default_rubric
from league.web.csrf import CSRF_COOKIE, CSRF_HEADER
from tests.reviews.conftest import KEY_POINTS


def rep_client(url: str, rep: dict[str, Any], timeout: float | None = 30) -> httpx.AsyncClient:
    token = secrets.token_urlsafe(24)
    return httpx.AsyncClient(
        base_url=url,
        cookies={SESSION_COOKIE: rep["cookie"], CSRF_COOKIE: token},
        headers={CSRF_HEADER: token},
        timeout=timeout,
    )


def review_form(score: int) -> dict[str, Any]:
    form: dict[str, Any] = {f"score_{c['key']}": str(score) for c in default_rubric()}
    form.update(
        kudos="Strong opener, the question landed well.",
        next_rep="Pause after the price.",
        key_point=[KEY_POINTS[0]],
    )
    return form


async def upload_take(client: httpx.AsyncClient, drill_id: int, clip: bytes, key: str) -> int:
    response = await client.post(
        f"/drills/{drill_id}/takes",
        content=clip,
        headers={"Content-Type": "audio/webm", "X-Upload-Key": key},
    )
    return response.status_code


async def submit_review(client: httpx.AsyncClient, review_id: int, score: int) -> int:
    response = await client.post(f"/reviews/{review_id}/submit", data=review_form(score))
    return response.status_code


def is_success(status: int) -> bool:
    return 200 <= status < 400
