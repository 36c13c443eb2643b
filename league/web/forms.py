"""Reading plain form fields."""

from __future__ import annotations

from starlette.requests import Request

from league.web.errors import LeagueError


async def read_form(request: Request) -> dict[str, str]:
    """Text fields of a submitted form (files are left to the handlers that expect them)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def parse_int(value: str | None, what: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise LeagueError(f"{what} must be a whole number.") from None


def path_int(request: Request, name: str) -> int:
    """An integer path parameter (routes declare them as {name:int})."""
    return int(request.path_params[name])
