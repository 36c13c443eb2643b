"""Serving a clip with HTTP Range support: iPhones will not seek (or even play) without it."""

from __future__ import annotations

from starlette.responses import Response, StreamingResponse

from league.clips.models import Take
from league.clips.storage import ObjectMissing, Storage
from league.web.errors import NotFound
from league.web.forms import parse_digits


class RangeNotSatisfiable(Exception):
    """The Range header asks for bytes the clip does not have (or cannot be read)."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The (first, last) byte asked for, inclusive; None means "send the whole clip".

    One range only: players ask for one at a time, and a server may always answer a
    multi-range request with the whole file. Other units are ignored, as the RFC allows.
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    if "," in spec:
        return None
    first, dash, last = (part.strip() for part in spec.strip().partition("-"))
    start, end = parse_digits(first), parse_digits(last)
    if not dash or (first and start is None) or (last and end is None) or not (first or last):
        raise RangeNotSatisfiable(header)
    if start is None:  # suffix: the last N bytes
        if not end or size == 0:
            raise RangeNotSatisfiable(header)
        return max(size - end, 0), size - 1
    end = size - 1 if end is None else end
    if start >= size or end < start:
        raise RangeNotSatisfiable(header)
    return start, min(end, size - 1)


async def media_response(
    storage: Storage, take: Take, range_header: str | None, head_only: bool
) -> Response:
    try:
        size = await storage.size(take.storage_key)
    except ObjectMissing:
        raise NotFound("That clip is missing. Ask the rep to record it again.") from None
    headers = {
        "Accept-Ranges": "bytes",
        # Private clips: never in a shared cache, and gone from the browser once deleted.
        "Cache-Control": "private, no-store",
        "Content-Disposition": "inline",
    }
    try:
        wanted = parse_range(range_header, size)
    except RangeNotSatisfiable:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status_code=416, headers=headers)
    start, end = wanted if wanted is not None else (0, size - 1)
    headers["Content-Length"] = str(max(end - start + 1, 0))
    status = 200
    if wanted is not None:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    if head_only or size == 0:
        return Response(status_code=status, headers=headers, media_type=take.content_type)
    body = storage.open_range(take.storage_key, start, end)
    return StreamingResponse(body, status, headers, media_type=take.content_type)
