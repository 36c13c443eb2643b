"""Who is asking: the signed-in member of a request. What they may see is `permissions`."""

from __future__ import annotations

from datetime import datetime

from itsdangerous import BadSignature, Signer
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from league.accounts import permissions, service
from league.accounts.models import Membership, Session
from league.accounts.session_cache import SessionCache
from league.web.errors import Forbidden, SignInRequired

SESSION_COOKIE = "league_session"


def now(request: HTTPConnection) -> datetime:
    return request.app.state.clock.now()  # type: ignore[no-any-return]


def session_signer(request: HTTPConnection) -> Signer:
    return Signer(request.app.state.settings.secret_key, salt="league.session")


def read_session_token(request: HTTPConnection) -> str | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        return session_signer(request).unsign(raw).decode()
    except BadSignature:
        return None


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_signer(request).sign(token).decode(),
        max_age=service.SESSION_DAYS * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")


async def find_session(request: HTTPConnection) -> Session | None:
    """The signed-in session of this browser, with its member, or None. Cached on the request."""
    if hasattr(request.state, "session"):
        return request.state.session  # type: ignore[no-any-return]
    token = read_session_token(request)
    session = await load_cached_session(request, token) if token else None
    request.state.session = session
    request.state.member = session.membership if session else None
    return session


async def load_cached_session(request: HTTPConnection, token: str) -> Session | None:
    """The session of `token`, from this process's short cache when it was loaded lately."""
    cache: SessionCache = request.app.state.sessions
    key = service.token_hash(token)
    session = cache.get(key)
    if session is None:
        session = await service.load_session(token, now(request))
        if session is not None:
            cache.put(key, session)
    elif session.expires_at <= now(request):
        return None
    return session


def forget_sessions(request: HTTPConnection) -> None:
    """After a sign-out, a password, role or active change: load sessions afresh."""
    cache: SessionCache = request.app.state.sessions
    cache.forget_all()


async def find_member(request: HTTPConnection) -> Membership | None:
    """The signed-in member, or None."""
    session = await find_session(request)
    return session.membership if session else None


async def get_member(request: HTTPConnection) -> Membership:
    member = await find_member(request)
    if member is None:
        raise SignInRequired()
    return member


async def get_coach(request: HTTPConnection) -> Membership:
    """A manager or admin; reps get 403."""
    member = await get_member(request)
    permissions.ensure_coach(member)
    return member


async def get_admin(request: HTTPConnection) -> Membership:
    """An admin of the organisation; managers and reps get 403."""
    member = await get_member(request)
    if not member.is_admin:
        raise Forbidden("Only an admin can do this.")
    return member
