"""Run a rule pack over workbooks: read, check, turn hits into findings, build the report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import pickle
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from tongzhou_check import __version__
from tongzhou_check.audityear import Pin, period
from tongzhou_check.checks import CHECKS, Check, Context, Hit
from tongzhou_check.checks.waiver import parse_waivers
from tongzhou_check.dutymap import AgencyMatch, label_value
from tongzhou_check.forked import beside, can_fork
from tongzhou_check.masking import mask
from tongzhou_check.messages import Texts, indexed_fields, per_distinct
from tongzhou_check.model import Facts, FileResult, FindingTable, Period, Report, RuleDoc, Suppression
from tongzhou_check.packtypes import Pack, Rule
from tongzhou_check.reader import DEFAULT_LIMITS, Limits, ReadError, Recogniser, SheetData, Workbook, read_book
from tongzhou_check.sources import Source, local_copy
from tongzhou_check.workdays import Calendar, load_calendar

Collect = Callable[[Workbook, Context], Facts]  # what a caller counts in each workbook (the annual appendix)


def _texts(template: dict[str, str], fields: dict[str, Any], sheet: SheetData | None) -> Texts:
    """One file- or sheet-level finding's message fields (headers[...] as written in the sheet)."""
    indexed = {(f, k): sheet.header(k) if sheet is not None and f == "headers" else ""
               for f, k in indexed_fields(template)}
    return Texts(1, template, fields, {}, indexed)


class _FileAudit:
    """Turns the hits of one file's checks into findings: a table block per hit."""

    def __init__(self, pack: Pack, shown: str, file_index: int, ctx: Context) -> None:
        self.pack, self.shown, self.file_index, self.ctx = pack, shown, file_index, ctx
        self.exempt: dict[str, set[tuple[str, int]]] = {}  # rule → (sheet, row) found but exempt by the plan

    def run(self, unit: Unit) -> list[FindingTable]:
        """The findings of one rule's check over its target."""
        rule, check, target = unit
        if isinstance(target, SheetData):
            return [self.findings(hit, rule, target) for hit in check.run(target, rule, self.ctx)]
        return [self.findings(hit, rule, hit.at) for hit in check.run(target, rule, self.ctx)]

    def run_all(self, units: Sequence[Unit], cores: int = 1) -> list[FindingTable]:
        """Every unit's findings, in the units' order. With two cores or more, a big workbook's units are shared
        with a forked copy of this process (`_share`): it makes its units' findings while this process makes the
        others', then this process takes them (picklable tables); if the copy fails, this process makes them."""
        there = _share(units) if cores > 1 and can_fork() else []
        if not there:
            return [table for unit in units for table in self.run(unit)]
        here = sorted(set(range(len(units))) - set(there))
        with beside(functools.partial(self._dump, [units[i] for i in there])) as theirs:
            done = {i: self.run(units[i]) for i in here}
            made = theirs()
            if made is not None:
                tables, exempt = pickle.load(made)
                done.update(zip(there, tables, strict=True))
                for rule_id, rows in exempt.items():
                    self.exempt.setdefault(rule_id, set()).update(rows)
        for i in there:
            if i not in done:  # the copy failed
                done[i] = self.run(units[i])
        return [table for i in range(len(units)) for table in done[i]]

    def _dump(self, units: list[Unit], out: BinaryIO) -> None:
        """In the forked copy: its units' findings, and the rows they found exempt, pickled."""
        tables = [self.run(unit) for unit in units]
        pickle.dump((tables, self.exempt), out, protocol=pickle.HIGHEST_PROTOCOL)

    def _message(self, hit: Hit, rule: Rule) -> tuple[Rule, dict[str, str]]:
        """The rule a hit is reported under, and its message template.

        A reason another rule is raised by (a date outside the calendar: TZ009) goes to that rule; when that rule
        is not active, the finding stays with the rule that ran, in the raising rule's words — never silence.
        """
        if hit.reason is None:
            return rule, rule.message
        if hit.reason in self.pack.routes:
            target = self.pack.rules[self.pack.routes[hit.reason]]
            return (target if target.active else rule), target.message
        return rule, self.pack.messages[hit.reason]

    def findings(self, hit: Hit, rule: Rule, sheet: SheetData | None) -> FindingTable:
        clause = hit.clause or rule.clause
        rule, template = self._message(hit, rule)
        base: dict[str, Any] = {"title": rule.title, **hit.fields}
        common = {"rule": rule.id, "name": rule.slug, "file": self.shown, "clause": clause,
                  "subject": hit.subject, "file_index": self.file_index}
        severity = rule.severity.lowered() if hit.lowered is True else rule.severity
        if sheet is None:
            raw = hit.sheet
            if raw is not None:
                common.update(sheet=raw.name, sheet_index=raw.index)
                base.setdefault("sheet", raw.name)
            return FindingTable.block(1, {**common, "severity": severity}, {}, _texts(template, base, None))
        base.update(sheet=sheet.name, kind=sheet.kind.title)
        common.update(sheet=sheet.name, sheet_index=sheet.index)
        if hit.column:
            base["header"] = sheet.header(hit.column)
            letter, index = sheet.letter(hit.column)
            common.update(header=base["header"], column=letter, column_index=index)
        if hit.rows is None:  # sheet-level: the (lower) header row
            return FindingTable.block(1, {**common, "severity": severity, "row": sheet.header_row}, {},
                                      _texts(template, base, sheet))
        if hit.exempt is not None and hit.exempt.any():
            exempt = hit.exempt.to_numpy(dtype=bool)
            self.exempt.setdefault(rule.id, set()).update((sheet.name, int(r)) for r in hit.rows[exempt])
            keep = ~exempt
            hit = dataclasses.replace(
                hit, rows=hit.rows[keep], exempt=None,
                fields={k: v[keep] if isinstance(v, pd.Series) else v for k, v in hit.fields.items()},
                lowered=hit.lowered[keep] if hit.lowered is not None else None)
        return _row_findings(hit, rule, sheet, template, base, common)


def _row_findings(hit: Hit, rule: Rule, sheet: SheetData, template: dict[str, str], base: dict[str, Any],
                  common: dict[str, Any]) -> FindingTable:
    """A row-level hit's findings as columns: each field shown and masked once per distinct value; the message
    rendered later, for the language that is output."""
    rows = hit.rows
    n = len(rows)
    per_row = {k: _aligned(v, rows) for k, v in hit.fields.items() if isinstance(v, pd.Series)}
    shown = per_row["evidence"] if "evidence" in per_row else (
        sheet.text(hit.column, rows).to_numpy(dtype=object) if hit.column else np.full(n, None, dtype=object))
    evidence = per_distinct(shown, lambda v: mask(str(v)) if v not in (None, "") else None)
    columns = {"row": rows.to_numpy(), "value": np.where(pd.isna(evidence), "", evidence).astype(object), **per_row}
    scalars = {k: v for k, v in base.items() if k not in columns}

    def indexed(field: str, key: str) -> np.ndarray | str:
        if field == "headers":
            return sheet.header(key)
        if key not in sheet.columns:
            return ""
        return per_distinct(sheet.text(key, rows).to_numpy(dtype=object), lambda v: mask(str(v)) or "")

    texts = Texts(n, template, scalars, columns, {(f, k): indexed(f, k) for f, k in indexed_fields(template)})
    lowered = hit.lowered.to_numpy(dtype=bool) if hit.lowered is not None else np.zeros(n, dtype=bool)
    severities = np.where(lowered, int(rule.severity.lowered()), int(rule.severity)).astype(np.int8)
    keys = sheet.keys_of(rows).to_numpy(dtype=object)  # masked only where a fingerprint is made
    return FindingTable.block(n, common, {
        "row": rows.tolist(), "severity": severities, "evidence": evidence,
        "key": [k if isinstance(k, str) else None for k in keys]}, texts)


def _aligned(values: pd.Series, rows: pd.Index) -> Any:
    """A per-row message field for the hit's rows: by row number, or by position when already aligned."""
    if values.index.equals(rows):
        return values.to_numpy()
    return values.loc[rows].to_numpy()


Unit = tuple[Rule, Check, Any]  # a rule, its check, and what the check runs over: a sheet, or the workbook

SHARED_COST = 400_000  # units cheaper than this in all (cost × records: privacy over 20,000 rows) stay here


def _units(pack: Pack, book: Workbook) -> list[Unit]:
    """Each active rule's check over each target it applies to, in the pack's order of rules, then of sheets."""
    units: list[Unit] = []
    for rule in pack.rules.values():
        if not rule.active or rule.check is None:  # rules raised by other checks have no check of their own
            continue
        check = CHECKS[rule.check]
        if check.scope in ("file", "workbook"):
            units.append((rule, check, book))
        else:
            units += [(rule, check, sheet) for sheet in book.sheets if rule.kind in (None, sheet.kind.key)]
    return units


def _cost(unit: Unit) -> int:
    """A unit's expected time, in its check's cost per record times the records it reads."""
    _, check, target = unit
    records = len(target.rows) if isinstance(target, SheetData) else sum(len(s.rows) for s in target.sheets)
    return check.cost * records


def _share(units: Sequence[Unit]) -> list[int]:
    """Which units a forked copy makes: the most expensive first, each to the side with less so far, so that
    both sides take about as long; none when the copy would have too little to do to pay for forking."""
    costs = [_cost(unit) for unit in units]
    sides: tuple[list[int], list[int]] = ([], [])
    totals = [0, 0]
    for i in sorted(range(len(units)), key=lambda i: -costs[i]):
        side = 0 if totals[0] <= totals[1] else 1
        sides[side].append(i)
        totals[side] += costs[i]
    there = sorted(sides[1])
    return there if totals[1] >= SHARED_COST else []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        pass
    return digest.hexdigest()


def _waive(findings: FindingTable, sheets: Sequence[SheetData], pack: Pack) -> FindingTable:
    """Mark findings waived by their row's 豁免说明 entry (kept, suppressed, never failing)."""
    granted: dict[str, dict] = {}
    for sheet in sheets:  # stacked tables of one sheet share its name: their rows differ
        if sheet.waiver is not None:
            granted.setdefault(sheet.name, {}).update(parse_waivers(sheet, pack).granted)
    if not any(granted.values()):
        return findings
    waivable = {r.id for r in pack.rules.values() if r.check is None or CHECKS[r.check].waivable}
    suppressed = findings.column("suppressed").tolist()
    shown: dict[str, Suppression] = {}  # one masked suppression per reason
    places = zip(findings.column("sheet").tolist(), findings.column("row").tolist(),
                 findings.column("rule").tolist(), strict=True)
    for i, (sheet, row, rule) in enumerate(places):
        reason = granted.get(sheet or "", {}).get(row or -1, {}).get(rule) if rule in waivable else None
        if reason is not None:
            if reason not in shown:
                shown[reason] = Suppression("waiver", mask(reason) or "")
            suppressed[i] = shown[reason]
    return findings.with_column("suppressed", suppressed)


def audit_file(source: Source, shown: str, file_index: int, pack: Pack, ctx: Context, collect: Collect | None = None,
               recogniser: Recogniser | None = None, failure: ReadError | None = None, pin: Pin | None = None,
               limits: Limits = DEFAULT_LIMITS, cores: int = 1) -> FileResult:
    """Audit one file (a path, or a URL read into a local copy). A pure function: returns plain, picklable results.

    `collect` also counts what a caller needs in the workbook as read (the appendix's facts), in the same pass.
    `failure` is why the file could not be audited where it was sent (its worker died): it is reported as an
    unreadable file, without reading it again. `pin`: what fixes the year and as-of, the rest decided from the
    workbook (audityear); None: the context's. `cores`: how many the audit may use (two or more: a big workbook's
    checks are shared with a forked copy, `_FileAudit.run_all`).
    """
    with local_copy(source) as path:
        book = Workbook(path, failure) if failure is not None else read_book(path, pack, recogniser, limits)
        sha256 = _sha256(path)
        if pin is None:
            found = Period(ctx.year, ctx.as_of)
        else:
            found = period(book, PurePosixPath(shown), pin, today())  # the name as shown: a URL's, not its copy's
            ctx = dataclasses.replace(ctx, year=found.year, as_of=found.as_of)
    agency = _agency(pack, ctx, book.sheets, path)  # an unreadable file still has its --agency or file name
    book = dataclasses.replace(book, agency=agency)
    audit = _FileAudit(pack, shown, file_index, ctx)
    findings = audit.run_all(_units(pack, book), cores)
    table = _waive(FindingTable.concat(findings), book.sheets, pack)
    return FileResult(
        path=shown,
        sha256=sha256,
        status="unreadable" if book.error else "ok",
        sheets=book.listing,
        findings=table,
        exempt=tuple(sorted((rule, len(rows)) for rule, rows in audit.exempt.items())),
        agency=(agency.id, agency.name, agency.source) if agency else None,
        facts=collect(book, ctx) if collect is not None and book.error is None else None,
        period=found,
    )


def _agency(pack: Pack, ctx: Context, sheets: Sequence[SheetData], path: Path) -> AgencyMatch | None:
    """Whose workbook this is: --agency, a 填报单位 cell or the title rows above a recognised header, the file name."""
    if pack.duty_map is None:
        return None
    cells, titles = [], []
    for sheet in sheets:
        for row in sheet.above:
            value = label_value(row, pack.reading.agency_labels)
            if value:
                cells.append(value)
            else:
                titles += [text for text in row if text]
    return pack.duty_map.identify(ctx.agency, cells, titles, path)


def _report_as_of(results: Sequence[FileResult], default: dt.date) -> dt.date:
    """The report's as-of: the files' (the latest, when their years differ)."""
    return max((r.period.as_of for r in results if r.period is not None), default=default)


def today() -> dt.date:
    """Today in Asia/Shanghai (UTC+8, no daylight saving)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


Task = tuple[int, Source, str, str | None]  # (index, path or URL, as shown, the file's agency)
Work = Callable[[Task], FileResult]  # one file's audit, with the pack and dates bound: picklable
# Runs the work over the tasks, yielding each task with its result, or with why it could not be audited, in any
# order (as they finish); `engine.audit` puts them back in the order given.
Runner = Callable[[Work, Sequence[Task]], Iterable[tuple[Task, FileResult | ReadError]]]


def _audit_task(pack: Pack, ctx: Context, collect: Collect | None, pin: Pin | None, limits: Limits, cores: int,
                task: Task) -> FileResult:
    index, source, shown, agency = task
    return audit_file(source, shown, index, pack, dataclasses.replace(ctx, agency=agency), collect, pin=pin,
                      limits=limits, cores=cores)


def serial(work: Work, tasks: Sequence[Task]) -> Iterator[tuple[Task, FileResult | ReadError]]:
    """The runner of one process: each file in turn."""
    for task in tasks:
        yield task, work(task)


def processes(jobs: int) -> Runner:
    """The runner of worker processes on this machine, `jobs` at a time (a single file: in this process).

    Every file of a batch is audited in a worker process, so a file that aborts the reader (a native crash that no
    `except` catches) kills its worker, not the batch: the files its pool had not finished are run again — the
    first few, which the dead worker may have held, one at a time in a process of their own — and the file whose
    process dies alone is reported unreadable (TZ001).
    """
    def run(work: Work, tasks: Sequence[Task]) -> Iterator[tuple[Task, FileResult | ReadError]]:
        if len(tasks) < 2:
            yield from serial(work, tasks)
            return
        todo = list(tasks)
        while todo:
            broken = yield from _pool(work, todo, max(1, min(jobs, len(todo))))
            suspects, todo = broken[:jobs + 1], broken[jobs + 1:]  # those a worker held or had queued
            for task in suspects:
                alone = yield from _pool(work, [task], 1)
                if alone:
                    yield task, ReadError("crashed")
    return run


_worker_work: list[Work] = []  # in a pool's worker process only: the work its initializer installed, once


def _install(work: Work) -> None:
    _worker_work[:] = [work]


def _installed(task: Task) -> FileResult:
    return _worker_work[0](task)


def _pool(work: Work, tasks: list[Task], workers: int) -> Generator[tuple[Task, FileResult | ReadError], None,
                                                                      list[Task]]:
    """Audit tasks in a pool of worker processes, each given the work once (the pack is not sent per file);
    yields results in order and returns the tasks left unfinished when a worker died."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_install, initargs=(work,)) as pool:
        futures = [pool.submit(_installed, task) for task in tasks]
        broken: list[Task] = []
        for task, future in zip(tasks, futures, strict=True):
            try:
                result = future.result()
            except BrokenProcessPool:
                broken.append(task)
                continue
            yield task, result  # finished before its pool broke, or after
    return broken


def audit(files: Sequence[tuple[Source, str]], pack: Pack, as_of: dt.date | None = None, year: int | None = None,
          progress: Callable[[str], None] | None = None, calendar: Calendar | None = None,
          agency: str | None = None, agencies: Mapping[str, str] | None = None, jobs: int = 1,
          collect: Collect | None = None, runner: Runner | None = None, pin: Pin | None = None,
          limits: Limits = DEFAULT_LIMITS) -> Report:
    """Audit files in order; findings are sorted after merging, so the order of work never shows.

    `as_of` and `year` fix the date and year for every file; where they are None, each workbook's own year is
    audited (its title, file name or dates: audityear), at that year's end when it is over. `pin` says the same
    with where each value came from (an option or the configuration) and overrides both. The calendar defaults
    to the library's, with the pack's calendar file (if it names one) added. `agency` is every file's agency,
    `agencies` a file's (by the path as shown); `jobs` > 1 audits files in worker processes, `runner` elsewhere (a
    cluster: `tongzhou_check.cluster`), each with the same result as a serial run. A file its runner could not
    audit (its worker died) is reported as unreadable (TZ001). `collect` counts what a caller needs in each
    workbook (the annual appendix's facts); it must be a module-level function, to reach worker processes.
    `limits` bound what reading one file may cost. Reentrant: no state is kept between calls.
    """
    if calendar is None:
        calendar = load_calendar(pack.calendar_file())
    pin = pin or Pin(year=year, as_of=as_of)
    start = pin.as_of or today()
    ctx = Context(pack=pack, as_of=start, year=pin.year or start.year, calendar=calendar)
    tasks = [(i, path, shown, (agencies or {}).get(shown, agency)) for i, (path, shown) in enumerate(files)]
    # one file, audited here: its checks may use the cores that would have audited other files
    cores = jobs if runner is None and len(tasks) == 1 else 1
    work = functools.partial(_audit_task, pack, ctx, collect, pin, limits, cores)
    done: dict[int, FileResult] = {}
    for task, result in (runner or processes(jobs))(work, tasks):
        if isinstance(result, ReadError):
            index, source, shown, task_agency = task
            result = audit_file(source, shown, index, pack, dataclasses.replace(ctx, agency=task_agency),
                                failure=result, pin=pin)
        done[task[0]] = result
        if progress:
            progress(task[2])
    results = [done[i] for i in range(len(tasks))]
    findings = FindingTable.concat(r.findings for r in results).sorted()
    return Report(
        tool_version=__version__,
        pack_id=pack.id,
        pack_version=pack.version,
        pack_sha256=pack.sha256,
        calendar_source=calendar.source,
        calendar_covers=(calendar.first.isoformat(), calendar.last.isoformat()),
        calendar_missing_years=tuple(calendar.missing_years),
        as_of=_report_as_of(results, start).isoformat(),
        files=tuple(results),
        findings=findings,
        rule_docs=tuple(
            RuleDoc(r.id, r.slug, r.severity, r.clause, r.quote, r.title["zh"], r.title["en"],
                    r.description["zh"], r.description["en"], r.active)
            for r in pack.rules.values()
        ),
    )
