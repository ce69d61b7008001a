"""Who a request is from (a session cookie or a Bearer token) and what it may do: route dependencies."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from tongzhou_check.serve import auth
from tongzhou_check.serve.app import Services, lang_of, services
from tongzhou_check.serve.db import User
from tongzhou_check.serve.text import TEXT


@dataclass(frozen=True)
class Caller:
    user: User
    csrf: str | None  # the session's CSRF token; None for a Bearer token (no cookie, no CSRF)


def caller(request: Request) -> Caller | None:
    tz: Services = services(request)
    header = request.headers.get("authorization", "")
    with tz.sessions.begin() as db:
        if header.lower().startswith("bearer "):
            user = auth.token_user(db, header[7:].strip())
            return Caller(user, None) if user else None
        session = auth.session_of(db, request.cookies.get(auth.SESSION_COOKIE))
        return Caller(session.user, session.csrf) if session else None


def api_caller(request: Request) -> Caller:
    found = caller(request)
    if found is None:
        raise HTTPException(401, "需要登录或 API 令牌 / sign in or send an API token",
                            headers={"WWW-Authenticate": "Bearer"})
    return found


def check_csrf(request: Request, who: Caller, given: str | None) -> None:
    """A form (or a fetch with X-CSRF-Token) from a signed-in browser must carry its session's CSRF token."""
    if who.csrf is None:
        return
    if not auth.same(given or request.headers.get("x-csrf-token"), who.csrf):
        raise HTTPException(403, TEXT[lang_of(request)]["csrf"])


def office_only(request: Request, who: Caller) -> None:
    if not who.user.is_admin:
        raise HTTPException(403, TEXT[lang_of(request)]["forbidden"])
