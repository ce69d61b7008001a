"""The audits, in worker processes off the event loop: one uploaded file → its reports (the `--format json`
contract, in both languages), the annotated copy and the page's data. The same engine calls as `tzcheck audit`.

The pool is bounded (`--workers`); an audit past its time limit, or a worker that dies, fails that submission
with its reason, and the pool is made anew.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongzhou_check.text import column_letter

PREVIEW_ROWS = 10  # rows at fault a sheet's preview shows
PREVIEW_COLUMNS = 30
PREVIEW_TEXT = 80  # characters of a cell the preview shows


@dataclass(frozen=True)
class Job:
    source: str  # the stored file
    shown: str  # the file name as uploaded: the report's path
    as_of: str
    year: int
    agency: str | None  # the account's agency id (as `--agency`); None: found in the workbook
    rules: str | None = None
    config: str | None = None
    lang: str = "zh"  # of the annotated copy


@dataclass(frozen=True)
class Outcome:
    reports: dict[str, bytes]  # language → the JSON report
    annotated: bytes | None  # the annotated copy (.xlsx/.xlsm that could be read)
    details: bytes  # JSON: fingerprints of the findings, previews of the rows at fault
    readable: bool
    passed: bool
    findings: int
    errors: int
    warnings: int
    infos: int
    agency: tuple[str, str] | None  # (id, name)


class AuditFailed(Exception):
    """The audit could not finish (time limit, a dead worker, an internal error): the reason is shown."""


_SETTINGS: dict[tuple[str | None, str | None], Any] = {}


def _settings(rules: str | None, config: str | None) -> Any:
    """The pack, calendar and configuration, resolved once per worker process."""
    key = (rules, config)
    if key not in _SETTINGS:
        from tongzhou_check.settings import resolve

        _SETTINGS[key] = resolve(rules=Path(rules) if rules else None, config=Path(config) if config else None)
    return _SETTINGS[key]


def warm(rules: str | None, config: str | None) -> None:
    """Worker start-up: load the engine and the pack before the first upload arrives."""
    _settings(rules, config)


def run_job(job: Job) -> Outcome:
    """Audit one file as `tzcheck audit FILE --as-of … --agency … --format json` does."""
    from tongzhou_check.audityear import Pin
    from tongzhou_check.baseline import fingerprints
    from tongzhou_check.engine import audit
    from tongzhou_check.formats.json_format import render_bytes

    settings = _settings(job.rules, job.config)
    source = Path(job.source)
    # as `--as-of` pins it: the date is the desk's, the audited year the workbook's own (its title, name or dates)
    pin = Pin(as_of=dt.date.fromisoformat(job.as_of))
    report = audit([(source, job.shown)], settings.pack, pin.as_of, calendar=settings.calendar, agency=job.agency,
                   pin=pin)
    report = dataclasses.replace(report, fail_on=settings.fail_on)
    result = report.files[0]
    summary = report.summary()
    table = report.findings
    stable = table.with_column("file", ["submission"] * len(table))  # a renamed file keeps its fingerprints
    details = {"fingerprints": fingerprints(stable), "previews": _previews(source, report)}
    return Outcome(
        reports={lang: render_bytes(report, lang) for lang in ("zh", "en")},
        annotated=_annotated(report, source, job.lang) if result.status == "ok" else None,
        details=json.dumps(details, ensure_ascii=False).encode("utf-8"),
        readable=result.status == "ok",
        passed=not report.failed(),
        findings=summary["findings"],
        errors=summary["errors"],
        warnings=summary["warnings"],
        infos=summary["info"],
        agency=(result.agency[0], result.agency[1]) if result.agency else None,
    )


def _annotated(report: Any, source: Path, lang: str) -> bytes | None:
    from tongzhou_check.annotate import READABLE, AnnotateError, annotate

    if source.suffix.lower() not in READABLE:
        return None
    with tempfile.TemporaryDirectory(prefix="tzcheck-annotate-") as tmp:
        target = Path(tmp) / "annotated.xlsx"
        try:
            annotate(report, source, target, lang)
        except AnnotateError:
            return None
        return target.read_bytes()


def _previews(source: Path, report: Any) -> dict[str, dict]:
    """Per sheet with findings on rows: its header row and only the rows at fault (masked), cells at fault marked."""
    from tongzhou_check.reader.opening import ReadError
    from tongzhou_check.reader.workbook import read_workbook

    faults: dict[str, dict[int, set[str]]] = {}
    for f in report.findings:
        if f.sheet and f.row and f.column:
            faults.setdefault(f.sheet, {}).setdefault(f.row, set()).add(f.column)
    if not faults:
        return {}
    try:
        raws = {raw.name: raw for raw in read_workbook(source)}
    except ReadError:
        return {}
    headers = {s.name: s.header_row for s in report.files[0].sheets}
    previews = {}
    for name, rows in faults.items():
        raw = raws.get(name)
        if raw is None:
            continue
        header = headers.get(name) or 1
        shown = sorted(rows)[:PREVIEW_ROWS]
        width = min(PREVIEW_COLUMNS, max((len(raw.rows[r - 1]) for r in [header, *shown] if r <= len(raw.rows)),
                                         default=0))
        previews[name] = {
            "columns": [column_letter(i) for i in range(width)],
            "header": {"row": header, "cells": _cells(raw.rows, header, width)},
            "rows": [{"row": r, "cells": _cells(raw.rows, r, width), "faults": sorted(rows[r])} for r in shown],
            "more": max(0, len(rows) - len(shown)),
        }
    return previews


def _cells(rows: list[list[Any]], row: int, width: int) -> list[str]:
    from tongzhou_check.masking import mask

    values = rows[row - 1] if 0 < row <= len(rows) else []
    out = []
    for i in range(width):
        value = values[i] if i < len(values) else ""
        text = _text(value)
        text = mask(text) or ""
        out.append(text if len(text) <= PREVIEW_TEXT else text[:PREVIEW_TEXT - 1] + "…")
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Pool:
    """A bounded pool of worker processes (spawned: no state shared with the server's threads)."""

    def __init__(self, workers: int, timeout: float, rules: Path | None = None, config: Path | None = None) -> None:
        self.workers, self.timeout = workers, timeout
        self.rules = rules.as_posix() if rules else None
        self.config = config.as_posix() if config else None
        self._executor: ProcessPoolExecutor | None = None
        self.slots = asyncio.Semaphore(workers)

    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=warm, initargs=(self.rules, self.config))
        return self._executor

    def job(self, **fields: Any) -> Job:
        return Job(rules=self.rules, config=self.config, **fields)

    async def run(self, job: Job) -> Outcome:
        loop = asyncio.get_running_loop()
        executor = self.executor()
        try:
            return await asyncio.wait_for(loop.run_in_executor(executor, run_job, job), self.timeout)
        except TimeoutError:
            self._reset(executor)
            raise AuditFailed(f"检查超时(超过 {self.timeout:.0f} 秒)/ the audit took longer than "
                              f"{self.timeout:.0f} s") from None
        except BrokenProcessPool:
            self._reset(executor)
            raise AuditFailed("检查进程意外退出 / the audit worker died") from None
        except asyncio.CancelledError:
            if executor is self._executor:  # the server is stopping: the next start fails it (retriable)
                raise
            raise AuditFailed("检查进程已重启 / the audit workers were restarted") from None

    async def appendix(self, files: tuple[tuple[str, str, str | None], ...], year: int, suffix: str, lang: str
                       ) -> bytes:
        job = AppendixJob(files, year, suffix, lang, self.rules, self.config)
        loop = asyncio.get_running_loop()
        async with self.slots:
            return await asyncio.wait_for(loop.run_in_executor(self.executor(), run_appendix, job), self.timeout)

    def _reset(self, executor: ProcessPoolExecutor) -> None:
        """Stop a pool with a stuck or dead worker; the next audit starts a new one."""
        if self._executor is executor:
            self._executor = None
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


@dataclass(frozen=True)
class AppendixJob:
    files: tuple[tuple[str, str, str | None], ...]  # (stored file, name shown, agency id)
    year: int
    suffix: str  # one of grids.SUFFIXES: .xlsx .docx .html .md
    lang: str = "zh"
    rules: str | None = None
    config: str | None = None


def run_appendix(job: AppendixJob) -> bytes:
    """`tzcheck report FILES --year Y -o appendix.SUFFIX` over the given files."""
    from tongzhou_check.appendix.facts import collect
    from tongzhou_check.appendix.tables import build
    from tongzhou_check.engine import audit
    from tongzhou_check.grids import write

    settings = _settings(job.rules, job.config)
    files = [(Path(source), shown) for source, shown, _ in job.files]
    agencies = {shown: agency for _, shown, agency in job.files if agency}
    audited = audit(files, settings.pack, dt.date(job.year, 12, 31), job.year, calendar=settings.calendar,
                    agencies=agencies, collect=collect)
    appendix = build(audited, settings.pack, job.year, "2021", job.lang)
    with tempfile.TemporaryDirectory(prefix="tzcheck-appendix-") as tmp:
        target = Path(tmp) / f"appendix{job.suffix}"
        write(appendix, target)
        return target.read_bytes()
