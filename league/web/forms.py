"""Reading form fields, JSON bodies and numbers from requests, whatever they contain."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request

from league.web.errors import LeagueError

# Control characters never belong in stored text; tabs and line breaks do.
KEPT_CONTROLS = "\t\n\r"
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    return CONTROLS.sub("", text)


async def read_form_data(request: Request) -> FormData:
    """The submitted form with control characters removed from every text field: the one
    way handlers read a form, so no stored text carries them. Files are left as sent."""
    form = await request.form()
    return FormData(
        [
            (key, strip_controls(value) if isinstance(value, str) else value)
            for key, value in form.multi_items()
        ]
    )


async def read_form(request: Request) -> dict[str, str]:
    """Text fields of a submitted form (files are left to the handlers that expect them)."""
    form = await read_form_data(request)
    return {key: value for key, value in form.items() if isinstance(value, str)}


def parse_json_object(body: bytes) -> dict[str, Any]:
    """A JSON object whose strings are all real text, else a LeagueError.

    JSON may spell a lone surrogate ("\\ud800"), which no database can store as UTF-8.
    """
    try:
        data = json.loads(body or b"{}")
        json.dumps(data, ensure_ascii=False).encode()
    except (ValueError, UnicodeError, RecursionError):
        raise LeagueError("The browser sent something we couldn't read.") from None
    if not isinstance(data, dict):
        raise LeagueError("The browser sent something we couldn't read.")
    return data


# Ids and counts are 32-bit in every database we run on; anything bigger names nothing.
MAX_ID = 2**31 - 1
MAX_DIGITS = 18


def parse_digits(raw: str | None, max_digits: int = MAX_DIGITS) -> int | None:
    """A number written in plain ASCII digits (no sign, no other scripts), else None.

    `str.isdigit` accepts "²" and "١", which `int` then refuses or reads differently, and
    an unbounded run of digits costs quadratic time to convert.
    """
    if not raw or len(raw) > max_digits or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)


def parse_int(value: str | None, what: str) -> int:
    number = parse_digits((value or "").strip().removeprefix("-"))
    if number is None or number > MAX_ID:
        raise LeagueError(f"{what} must be a whole number.")
    return -number if (value or "").strip().startswith("-") else number


def path_int(request: Request, name: str) -> int:
    """An integer path parameter (routes declare them as {name:int}, bounded to MAX_ID)."""
    return int(request.path_params[name])


def query_start(request: Request, default: int = 0) -> int:
    """?start=N of a long list shown a page at a time ("Show more"): a whole number."""
    raw = request.query_params.get("start", "")
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 7:
        raise LeagueError("That page of the list does not exist.", status=400)
    return int(raw)
