"""Who is asking: accounts (argon2 password hashes), API tokens and session cookies (kept as sha256 only), CSRF
tokens, and the sign-in rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from tongzhou_check.serve.db import Session, Token, User, now

SESSION_COOKIE = "tzcheck_session"
CSRF_COOKIE = "tzcheck_csrf"  # before sign-in: the login form's double-submit token
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("tzcheck: an account that does not exist")  # the same work for unknown names


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


class AccountError(Exception):
    """An account that cannot be made (a taken name, an unknown agency)."""


def add_user(db: DbSession, name: str, password: str, agency: str | None, admin: bool) -> tuple[User, str]:
    """Make an account and its first API token; returns the token (shown once, kept hashed)."""
    if db.scalar(select(User).where(User.name == name)) is not None:
        raise AccountError(f"用户已存在 / the user exists: {name}")
    user = User(name=name, agency=agency, is_admin=admin, password_hash=_hasher.hash(password))
    db.add(user)
    db.flush()
    token = "tzk_" + new_secret()
    db.add(Token(user_id=user.id, sha256=sha256(token)))
    return user, token


def check_password(db: DbSession, name: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.name == name))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def token_user(db: DbSession, token: str) -> User | None:
    found = db.scalar(select(Token).where(Token.sha256 == sha256(token)))
    if found is None:
        return None
    found.last_used_at = now()
    return found.user


def open_session(db: DbSession, user: User, hours: int) -> tuple[str, str]:
    """A new session: (the cookie's value, the CSRF token of its forms)."""
    cookie, csrf = new_secret(), new_secret()
    db.execute(delete(Session).where(Session.expires_at < now()))
    db.add(Session(sha256=sha256(cookie), user_id=user.id, csrf=csrf,
                   expires_at=now() + dt.timedelta(hours=hours)))
    return cookie, csrf


def session_of(db: DbSession, cookie: str | None) -> Session | None:
    if not cookie:
        return None
    found = db.scalar(select(Session).where(Session.sha256 == sha256(cookie)))
    if found is None or found.expires_at < now():
        return None
    return found


def close_session(db: DbSession, cookie: str | None) -> None:
    if cookie:
        db.execute(delete(Session).where(Session.sha256 == sha256(cookie)))


class RateLimit:
    """At most `attempts` failed sign-ins per `window` seconds for one address, and for one user name."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        times = self._failures[key]
        cutoff = time.monotonic() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        return any(len(self._recent(k)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._recent(key).append(time.monotonic())

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
