"""The database: SQLAlchemy 2 models, the engine and sessions, and the schema brought up to date by Alembic at
start-up. SQLite in the data directory by default; any SQLAlchemy URL (PostgreSQL for an office server)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"

QUEUED, AUDITING, DONE, FAILED = "queued", "auditing", "done", "failed"
PENDING = (QUEUED, AUDITING)


def now() -> dt.datetime:
    """Now in UTC, without tzinfo (stored as such in every database)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    agency: Mapped[str | None] = mapped_column(String(40))  # the agency id of the duty map; None: the office
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Token(Base):
    """An API token: only its sha256 is kept; the token itself is shown once, when made."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class Session(Base):
    """A browser's sign-in: the cookie's sha256 and the CSRF token its forms carry."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class Submission(Base):
    """One uploaded workbook and its audit. Files live content-addressed under the data directory."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    agency: Mapped[str | None] = mapped_column(String(40), index=True)  # agency id; None: not identified
    agency_name: Mapped[str | None] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # the uploaded file's
    suffix: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer, index=True)
    as_of: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # why it failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    readable: Mapped[bool | None] = mapped_column(Boolean)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    findings: Mapped[int | None] = mapped_column(Integer)
    errors: Mapped[int | None] = mapped_column(Integer)
    warnings: Mapped[int | None] = mapped_column(Integer)
    infos: Mapped[int | None] = mapped_column(Integer)
    report_zh: Mapped[str | None] = mapped_column(String(64))  # sha256 of the stored JSON report, in Chinese
    report_en: Mapped[str | None] = mapped_column(String(64))
    annotated: Mapped[str | None] = mapped_column(String(64))  # sha256 of the annotated copy (.xlsx workbooks)
    details: Mapped[str | None] = mapped_column(String(64))  # sha256 of the page's data: previews, fingerprints


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and foreign keys."""
    sqlite = url.startswith("sqlite")
    args: dict[str, Any] = {"check_same_thread": False, "timeout": 30} if sqlite else {}
    engine = create_engine(url, connect_args=args, pool_pre_ping=not sqlite)
    if sqlite:
        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic, run in-process)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS.as_posix())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_db(url: str) -> sessionmaker:
    """The migrated database's session factory."""
    engine = make_engine(url)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)
