"""Who may watch live views: a signed-in member, or an office screen with its token."""

from __future__ import annotations

from urllib.parse import urlsplit

from itsdangerous import BadSignature, Signer
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from league.accounts import access, permissions
from league.accounts.models import Membership
from league.live import screens
from league.live.hub import Viewer
from league.live.models import OfficeScreen
from league.web.errors import found_or_404

SCREEN_COOKIE = "league_screen"
# Browsers cap cookies at 400 days; every visit of the TV renews it, so it never lapses.
SCREEN_COOKIE_SECONDS = 400 * 24 * 3600


def screen_signer(connection: HTTPConnection) -> Signer:
    return Signer(connection.app.state.settings.secret_key, salt="league.screen")


def read_screen_token(connection: HTTPConnection) -> str | None:
    raw = connection.cookies.get(SCREEN_COOKIE)
    if not raw:
        return None
    try:
        return screen_signer(connection).unsign(raw).decode()
    except BadSignature:
        return None


def set_screen_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SCREEN_COOKIE,
        screen_signer(request).sign(token).decode(),
        max_age=SCREEN_COOKIE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


async def find_screen(connection: HTTPConnection) -> OfficeScreen | None:
    return await screens.find_screen(read_screen_token(connection))


async def find_viewer(connection: HTTPConnection, prefer_screen: bool = False) -> Viewer | None:
    """The member signed in on this browser or the office screen it is, else None.

    A manager trying the TV page in their own browser is both: the TV page asks for the
    screen, every other page for the member.
    """
    screen = await find_screen(connection) if prefer_screen else None
    if screen is not None:
        return screen_viewer(screen)
    session = await access.find_session(connection)
    if session is None:
        return None
    member = session.membership
    return Viewer(
        organisation_id=member.organisation_id,  # type: ignore[attr-defined]
        team_id=member.team_id,  # type: ignore[attr-defined]
        member_id=member.id,
        session_id=session.id,
        expires_in_seconds=(session.expires_at - access.now(connection)).total_seconds(),
    )


def screen_viewer(screen: OfficeScreen) -> Viewer:
    return Viewer(
        organisation_id=screen.organisation_id,  # type: ignore[attr-defined]
        team_id=screen.team_id,  # type: ignore[attr-defined]
        screen_id=screen.id,
    )


def is_same_origin(connection: HTTPConnection) -> bool:
    """A socket opened by our own pages. Cookies ride along on cross-site socket handshakes
    too, so another site's page must not be able to listen in on a member's standings."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True  # not a browser (browsers always send Origin on websockets)
    return urlsplit(origin).netloc == connection.headers.get("host")


async def get_screen_for_coach(coach: Membership, screen_id: int) -> OfficeScreen:
    """A screen of the coach's team (any team of the organisation for admins)."""
    permissions.ensure_coach(coach)
    screen = OfficeScreen.get_or_none(
        id=screen_id, revoked_at=None, **permissions.team_scope(coach)
    )
    return await found_or_404(screen)
