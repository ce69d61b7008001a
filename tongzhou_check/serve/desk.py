"""A submission's life: the upload checked and stored, recorded queued, audited in the pool (queued → auditing →
done | failed), its outcome recorded in one transaction; at start-up, audits a crash or restart interrupted are
failed with their reason, and any failed submission can be retried from its stored file."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool

from tongzhou_check.engine import today
from tongzhou_check.reader.opening import SUFFIXES
from tongzhou_check.serve.config import ServeSettings
from tongzhou_check.serve.db import AUDITING, DONE, FAILED, PENDING, QUEUED, Submission, User, now
from tongzhou_check.serve.storage import CHUNK, Store, TooLarge
from tongzhou_check.serve.worker import AuditFailed, Outcome, Pool

log = logging.getLogger("tzcheck.serve")

ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAGIC = {".xlsx": (ZIP, OLE), ".xlsm": (ZIP, OLE), ".xlsb": (ZIP, OLE), ".ods": (ZIP,), ".xls": (OLE,)}
INTERRUPTED = "服务器在检查完成前重启,请重新检查 / the server restarted before the audit finished: retry it"
FIRST_YEAR = 2004  # the official calendar's first year


class UploadError(Exception):
    """An upload refused: an HTTP status and a message in both languages."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def clean_name(name: str | None) -> str:
    """The file name as uploaded, without any directory part or control characters, at most 200 characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if len(base) > 200:
        stem, dot, suffix = base.rpartition(".")
        base = stem[: 200 - len(suffix) - 1] + dot + suffix if dot else base[:200]
    return base


def _year_of(name: str) -> int | None:
    found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", name)
    return int(found[-1]) if found else None


def when(name: str, as_of: str | None, year: str | None) -> tuple[int, dt.date]:
    """The audited year and the as-of date: the form's, else the file name's year, judged at its year end (or
    today, while that year runs)."""
    current = today()
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
        chosen = int(year) if year else None
    except ValueError:
        raise UploadError(400, "日期应为 YYYY-MM-DD,年度应为数字 / as_of must be YYYY-MM-DD and year a number") \
            from None
    chosen = chosen or (day.year if day else None) or _year_of(name) or current.year
    if not FIRST_YEAR <= chosen <= current.year + 1:
        raise UploadError(400, f"年度应在 {FIRST_YEAR}–{current.year + 1} 之间 / the year must be in "
                               f"{FIRST_YEAR}–{current.year + 1}: {chosen}")
    if day is None:
        day = min(dt.date(chosen, 12, 31), current)
    if not FIRST_YEAR <= day.year <= current.year + 1:
        raise UploadError(400, f"检查基准日超出范围 / as_of out of range: {day}")
    return chosen, day


def check_head(suffix: str, head: bytes) -> None:
    if not head:
        raise UploadError(400, "文件为空(0字节)/ the file is empty (0 bytes)")
    if suffix == ".csv":
        if b"\x00" in head or head.startswith((ZIP, OLE)):
            raise UploadError(415, "文件不是 CSV 文本 / the .csv file is not text")
        return
    if not head.startswith(MAGIC[suffix]):
        raise UploadError(415, f"文件内容不是 {suffix} 工作簿(格式不符)/ the file's content is not a {suffix} workbook")


@dataclass(frozen=True)
class Upload:
    """What a form or an API call hands over: the file name as sent and its content, a chunk at a time."""

    filename: str | None
    read: Any  # async (size) -> bytes


class Desk:
    def __init__(self, settings: ServeSettings, sessions: sessionmaker, store: Store, pool: Pool) -> None:
        self.settings, self.sessions, self.store, self.pool = settings, sessions, store, pool
        self._tasks: set[asyncio.Task] = set()

    def recover(self) -> int:
        """At start-up: submissions left queued or auditing fail (retriable); stray temporary files go."""
        self.store.clean_tmp()
        with self.sessions.begin() as db:
            result = db.execute(update(Submission).where(Submission.status.in_(PENDING))
                                .values(status=FAILED, reason=INTERRUPTED, finished_at=now()))
            return result.rowcount or 0

    async def accept(self, user: User, upload: Upload, as_of: str | None = None, year: str | None = None
                     ) -> Submission:
        """Check and store an upload and record it queued; its audit starts at once (in the pool's turn)."""
        name = clean_name(upload.filename)
        suffix = PurePath(name).suffix.lower()
        if not name or suffix not in SUFFIXES:
            raise UploadError(415, f"只接受 {' '.join(SUFFIXES)} 文件 / only {' '.join(SUFFIXES)} files are accepted"
                                   + (f": {name}" if name else ""))
        chosen, day = when(name, as_of, year)
        first = await upload.read(CHUNK)
        check_head(suffix, first[:16])

        async def chunks() -> AsyncIterator[bytes]:
            yield first
            while chunk := await upload.read(CHUNK):
                yield chunk

        try:
            sha256, size, _ = await self.store.put_stream(chunks(), suffix, self.settings.max_upload)
        except TooLarge:
            raise UploadError(413, too_large(self.settings.max_upload)) from None
        with self.sessions.begin() as db:
            submission = Submission(user_id=user.id, agency=user.agency, filename=name, sha256=sha256,
                                    suffix=suffix, size=size, year=chosen, as_of=day.isoformat(), status=QUEUED,
                                    attempts=0)
            db.add(submission)
        self.start(submission.id)
        return submission

    def start(self, submission_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self._audit(submission_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def retry(self, submission_id: int) -> bool:
        """A failed submission queued again (its file is kept); False if it is not failed."""
        with self.sessions.begin() as db:
            changed = db.execute(update(Submission).where(Submission.id == submission_id,
                                                          Submission.status == FAILED)
                                 .values(status=QUEUED, reason=None)).rowcount
        if changed:
            self.start(submission_id)
        return bool(changed)

    async def _audit(self, submission_id: int) -> None:
        async with self.pool.slots:
            with self.sessions.begin() as db:
                submission = db.get(Submission, submission_id)
                if submission is None or submission.status != QUEUED:
                    return
                submission.status, submission.started_at = AUDITING, now()
                submission.attempts += 1
                job = self.pool.job(source=self.store.path(submission.sha256, submission.suffix).as_posix(),
                                    shown=submission.filename, as_of=submission.as_of, year=submission.year,
                                    agency=submission.agency, lang=self.settings.lang)
            try:
                outcome = await self.pool.run(job)
                blobs = await run_in_threadpool(self._keep, outcome)
            except AuditFailed as exc:
                self._fail(submission_id, str(exc))
            except Exception as exc:  # recorded, never lost: the submission shows it and can be retried
                log.exception("audit of submission %s failed", submission_id)
                self._fail(submission_id, f"内部错误 / internal error: {type(exc).__name__}: {exc}")
            else:
                self._done(submission_id, outcome, blobs)

    def _keep(self, outcome: Outcome) -> dict[str, str | None]:
        put = self.store.put_bytes
        return {"report_zh": put(outcome.reports["zh"], ".json"), "report_en": put(outcome.reports["en"], ".json"),
                "annotated": put(outcome.annotated, ".xlsx") if outcome.annotated is not None else None,
                "details": put(outcome.details, ".json")}

    def _done(self, submission_id: int, outcome: Outcome, blobs: dict[str, str | None]) -> None:
        with self.sessions.begin() as db:  # the audit's outcome, all at once
            submission = db.get(Submission, submission_id)
            if submission is None:
                return
            if outcome.agency is not None:
                submission.agency = submission.agency or outcome.agency[0]
                submission.agency_name = outcome.agency[1]
            for key, value in blobs.items():
                setattr(submission, key, value)
            submission.readable, submission.passed = outcome.readable, outcome.passed
            submission.findings, submission.errors = outcome.findings, outcome.errors
            submission.warnings, submission.infos = outcome.warnings, outcome.infos
            submission.status, submission.reason, submission.finished_at = DONE, None, now()

    def _fail(self, submission_id: int, reason: str) -> None:
        with self.sessions.begin() as db:
            db.execute(update(Submission).where(Submission.id == submission_id)
                       .values(status=FAILED, reason=reason, finished_at=now()))

    async def drain(self) -> None:
        """Wait for the audits under way (tests; a clean shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def visible(self, user: User, submission_id: int) -> Submission | None:
        """The submission if this user may see it: the office sees all, a clerk only the agency's."""
        with self.sessions() as db:
            submission = db.get(Submission, submission_id)
        if submission is None or not (user.is_admin or (user.agency and submission.agency == user.agency)):
            return None
        return submission

    def history(self, user: User, limit: int = 100) -> list[Submission]:
        query = select(Submission).order_by(Submission.id.desc()).limit(limit)
        if not user.is_admin:
            query = query.where(Submission.agency == user.agency)
        with self.sessions() as db:
            return list(db.scalars(query))


def too_large(limit: int) -> str:
    return f"文件超过大小上限 {limit / 1024 / 1024:.0f} MB / the file exceeds the {limit / 1024 / 1024:.0f} MB limit"
