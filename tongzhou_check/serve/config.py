"""The desk's settings: where its data lives, which database, how it listens, what it accepts. One frozen object,
made once by the command (or a test) and handed to the app factory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024  # bytes
DATA_ENV = "TZCHECK_SERVE_DATA"


def default_data_dir() -> Path:
    """$TZCHECK_SERVE_DATA, else the user's data directory (platformdirs)."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    from platformdirs import user_data_dir

    return Path(user_data_dir("tzcheck", appauthor=False)) / "serve"


@dataclass(frozen=True)
class ServeSettings:
    data: Path  # the data directory: the SQLite database (by default), files/, tmp/
    db_url: str | None = None  # any SQLAlchemy URL; None: sqlite:///DATA/tzcheck.db
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload: int = DEFAULT_MAX_UPLOAD  # bytes of one upload
    workers: int = 2  # audits at once (worker processes)
    rules: Path | None = None  # another rule pack (tzcheck audit --rules)
    config: Path | None = None  # a tzcheck.toml (tzcheck audit --config)
    lang: str = "zh"  # the pages' default language and the annotated copy's
    secure_cookies: bool = False  # Secure cookies always (behind an HTTPS proxy); also when the request is https
    audit_timeout: float = 600.0  # seconds an audit may take before its submission fails
    session_hours: int = 12
    login_attempts: int = 5  # failed sign-ins per window, per address and per user name
    login_window: float = 300.0  # seconds

    @property
    def url(self) -> str:
        return self.db_url or f"sqlite:///{(self.data / 'tzcheck.db').as_posix()}"

    @property
    def files(self) -> Path:
        return self.data / "files"

    @property
    def tmp(self) -> Path:
        return self.data / "tmp"
