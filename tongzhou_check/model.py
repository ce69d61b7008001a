"""The report's data: Finding, sheet and file results, Report — plain, frozen and picklable."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, overload

import numpy as np
import pandas as pd

from tongzhou_check.messages import LANGS, Texts

TABLE_LIMIT = 50  # findings a sheet the terminal table shows by default


class Severity(IntEnum):
    info = 0
    warning = 1
    error = 2

    def lowered(self) -> Severity:
        return Severity(max(self - 1, Severity.info))


@dataclass(frozen=True)
class Suppression:
    by: str  # "waiver" | "baseline"
    reason: str  # a waiver's reason as the clerk wrote it (masked); the tool's own words in Chinese
    reason_en: str | None = None  # the tool's own words in English (a waiver's reason has one language)

    def text(self, lang: str) -> str:
        return self.reason_en if lang == "en" and self.reason_en is not None else self.reason


BASELINED = Suppression("baseline", "已记录在基线中", "recorded in the baseline")


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    file: str
    clause: str
    message_zh: str
    message_en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # column letter
    header: str | None = None
    evidence: str | None = None  # masked cell text
    subject: str | None = None
    key: str | None = None  # the record's key (normalised, parts joined by \x1f), for baselines; never output
    suppressed: Suppression | None = None
    # sort keys, not serialised
    file_index: int = 0
    sheet_index: int = -1
    column_index: int = -1

    @property
    def cell(self) -> str | None:
        return f"{self.column}{self.row}" if self.column and self.row else None

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh

    @classmethod
    def of_rows(cls, common: dict[str, Any], columns: dict[str, list]) -> list[Finding]:
        """Many findings at once: `common` fields shared, `columns` one list per varying field.

        The same frozen objects the constructor makes, without its per-field frozen setattr (a hit of 100,000 rows:
        0.45 s instead of 1.7 s).
        """
        fields = {**_FINDING_DEFAULTS, **common}
        if set(fields) | set(columns) != _FINDING_FIELDS:
            raise TypeError(f"Finding fields missing: {sorted(_FINDING_FIELDS - set(fields) - set(columns))}")
        names = tuple(columns)
        out = []
        for values in zip(*columns.values(), strict=True):
            finding = object.__new__(cls)
            state = dict(fields)
            state.update(zip(names, values, strict=True))
            object.__setattr__(finding, "__dict__", state)
            out.append(finding)
        return out


_FINDING_FIELDS = frozenset(f.name for f in dataclasses.fields(Finding))
_FINDING_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Finding) if f.default is not dataclasses.MISSING}
COLUMNS = tuple(f.name for f in dataclasses.fields(Finding) if f.name not in ("message_zh", "message_en"))
_NAMES = np.array([s.name for s in Severity], dtype=object)


class FindingTable(Sequence[Finding]):
    """Findings as columns (one array per field of Finding), in report order; messages rendered per language when
    first asked for. Also a sequence of Finding rows, made on first use, for consumers that want rows.

    Stored in the order the findings were made (`columns`, `texts`: one Texts per block of rows), with `order` the
    report's order of the stored rows (None: as stored). Immutable; plain data, picklable.
    """

    def __init__(self, columns: Mapping[str, np.ndarray], texts: Sequence[Texts],
                 order: np.ndarray | None = None) -> None:
        self._stored = dict(columns)
        self._texts = tuple(texts)
        self._order = order
        self._n = sum(t.n for t in self._texts)
        self._cache: dict[str, np.ndarray] = {}
        self._rows: list[Finding] | None = None

    @classmethod
    def block(cls, n: int, common: Mapping[str, Any], columns: Mapping[str, Any], texts: Texts) -> FindingTable:
        """n findings of one hit: `common` fields the same for all, `columns` one sequence per varying field."""
        stored = {}
        for name in COLUMNS:
            if name in columns:
                stored[name] = _objects(columns[name])
            else:
                stored[name] = np.empty(n, dtype=object)
                stored[name].fill(common.get(name, _FINDING_DEFAULTS.get(name)))  # np.full is slow with a str
        severity = stored["severity"]
        stored["severity"] = np.asarray(severity.tolist(), dtype=np.int8) if n else np.zeros(0, dtype=np.int8)
        return cls(stored, [texts])

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> FindingTable:
        """A table of findings made one by one (tests, and a report built from rows)."""
        rows = list(findings)
        columns = {name: [getattr(f, name) for f in rows] for name in COLUMNS}
        done = {lang: _objects([f.message(lang) for f in rows]) for lang in LANGS}
        table = cls.block(len(rows), {}, columns, Texts(len(rows), done=done))
        table._rows = rows
        return table

    @classmethod
    def concat(cls, tables: Iterable[FindingTable]) -> FindingTable:
        """The tables' findings one after another (each in its own order)."""
        tables = [t for t in tables if len(t)]
        if len(tables) <= 1:
            return tables[0] if tables else EMPTY
        columns = {name: np.concatenate([t._stored_column(name) for t in tables]) for name in COLUMNS}
        return cls(columns, [text for t in tables for text in t._texts_in_order()])

    def _texts_in_order(self) -> tuple[Texts, ...]:
        if self._order is None:
            return self._texts
        return (Texts(self._n, done={lang: self.messages(lang) for lang in LANGS}),)

    def _stored_column(self, name: str) -> np.ndarray:
        column = self._stored[name]
        return column if self._order is None else column[self._order]

    def sorted(self) -> FindingTable:
        """In report order: file, sheet, row (none first), column, rule, subject; ties as made (a stable sort)."""
        if self._n < 2:
            return self
        c = self._stored
        row = np.array([-1 if r is None else r for r in c["row"].tolist()], dtype=np.int64)
        rule = pd.factorize(c["rule"], sort=True)[0]
        subject = pd.factorize(np.array([s or "" for s in c["subject"].tolist()], dtype=object), sort=True)[0]
        keys = (subject, rule, c["column_index"].astype(np.int64), row, c["sheet_index"].astype(np.int64),
                c["file_index"].astype(np.int64))
        return FindingTable(self._stored, self._texts, np.lexsort(keys))

    def column(self, name: str) -> np.ndarray:
        """One field of every finding, in report order (severity as int8, others as objects)."""
        if name not in self._cache:
            self._cache[name] = self._stored_column(name)
        return self._cache[name]

    def messages(self, lang: str) -> np.ndarray:
        """Every finding's message in one language, in report order (rendered once per language)."""
        key = f"message_{lang}"
        if key not in self._cache:
            parts = [t.render(lang) for t in self._texts]
            stored = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
            self._cache[key] = stored if self._order is None else stored[self._order]
        return self._cache[key]

    def messages_of(self, lang: str, part: slice) -> np.ndarray:
        """The messages of a part of the findings (report order): from every message once all are rendered, else
        only the part's (the writer of a long report renders each part where it is written, on both cores)."""
        key = f"message_{lang}"
        if key in self._cache or part == slice(None):
            return self.messages(lang)[part]
        rows = np.arange(self._n)[part] if self._order is None else self._order[part]  # stored rows
        starts = np.cumsum([0, *(t.n for t in self._texts)])
        blocks = np.searchsorted(starts, rows, side="right") - 1
        out = np.empty(len(rows), dtype=object)
        for b in np.unique(blocks).tolist():
            inside = np.flatnonzero(blocks == b)
            out[inside] = self._texts[b].render(lang, rows[inside] - starts[b])
        return out

    def severities(self) -> np.ndarray:
        return self.column("severity")

    def active(self) -> np.ndarray:
        """Which findings are not suppressed."""
        return np.array([s is None for s in self.column("suppressed").tolist()], dtype=bool)

    def severity_names(self) -> np.ndarray:
        if "severity_name" not in self._cache:
            self._cache["severity_name"] = _NAMES[self.column("severity")]
        return self._cache["severity_name"]

    def with_column(self, name: str, values: Sequence[Any]) -> FindingTable:
        """The same findings with one field replaced (values in report order)."""
        stored = dict(self._stored)
        column = _objects(values)
        if self._order is not None:
            column = column[np.argsort(self._order, kind="stable")]
        stored[name] = column
        return FindingTable(stored, self._texts, self._order)

    def take(self, positions: Sequence[int]) -> list[Finding]:
        """Some findings as rows (by position in report order), without making the others."""
        if self._rows is not None:
            return [self._rows[i] for i in positions]
        index = np.asarray(positions, dtype=np.int64)
        columns = {name: self.column(name)[index].tolist() for name in COLUMNS}
        columns["severity"] = [Severity(s) for s in columns["severity"]]
        columns.update({f"message_{lang}": self.messages(lang)[index].tolist() for lang in LANGS})
        return Finding.of_rows({}, columns)

    def _all(self) -> list[Finding]:
        if self._rows is None:
            self._rows = self.take(range(self._n))
        return self._rows

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FindingTable | tuple | list):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FindingTable({self._n} findings)"

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_cache": {}, "_rows": None}


def _objects(values: Any) -> np.ndarray:
    """A sequence as a 1-D object array (element by element: a tuple or list stays one value)."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    seq = values.tolist() if isinstance(values, np.ndarray) else list(values)
    out = np.empty(len(seq), dtype=object)
    out[:] = seq
    return out


EMPTY = FindingTable.block(0, {}, {}, Texts(0, done={lang: np.zeros(0, dtype=object) for lang in LANGS}))


@dataclass(frozen=True)
class SheetResult:
    name: str
    kind: str | None
    header_row: int | None
    rows: int
    hidden: bool = False
    unused: tuple[tuple[str, str], ...] = ()  # columns not read, their header taken by an earlier one: (letter, header)


@dataclass(frozen=True)
class Unplaced:
    """Applications the appendix's Table 三 cannot place: where (None: the whole sheet), why, the cell's text."""

    sheet: str
    cell: str | None
    reason: str  # the role of the column at fault (pack.yaml's appendix): received | replied | applicant | outcome
    value: str = ""  # masked
    count: int = 1


@dataclass(frozen=True)
class Facts:
    """What the annual appendix counts in one workbook; collected only when a report asks for it."""

    applications: tuple[tuple[str, str, int], ...] = ()  # (Table 三 row, applicant type, count)
    unplaced: tuple[Unplaced, ...] = ()
    areas: tuple[tuple[str, str, int], ...] = ()  # (重点领域, catalogue | publication, count)


@dataclass(frozen=True)
class Period:
    """The year a workbook is audited for and the date deadlines are judged at, each with where it came from.

    year_from: option | config | as_of (the as-of's year) | title | filename | dates | default (nothing said).
    as_of_from: option | config | year_end (the audited year is over: its last day) | today.
    detail: what the year was read from (the title, the file name, "N/M"), masked; "" when from an option.
    dated: how many date cells of its records fall in each year ((year, count), by year); () when not counted.
    """

    year: int
    as_of: dt.date
    year_from: str = "option"
    as_of_from: str = "option"
    detail: str = ""
    dated: tuple[tuple[int, int], ...] = ()

    def dated_in(self, year: int) -> int:
        return dict(self.dated).get(year, 0)


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str
    status: str  # "ok" | "unreadable"
    sheets: tuple[SheetResult, ...] = ()
    findings: FindingTable = field(default_factory=lambda: EMPTY)
    exempt: tuple[tuple[str, int], ...] = ()
    agency: tuple[str, str, str] | None = None  # (id, name, where it was found)
    facts: Facts | None = None
    period: Period | None = None  # the year and as-of this file was audited at, and why

    def __post_init__(self) -> None:
        _as_table(self)


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation as the report carries it, for formats that describe their rules (SARIF)."""

    id: str
    slug: str
    severity: Severity
    clause: str
    quote: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    active: bool = True  # run in this audit (not planned, not deselected by the configuration)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_zh


@dataclass(frozen=True)
class Report:
    tool_version: str
    pack_id: str
    pack_version: str
    pack_sha256: str
    calendar_source: str
    calendar_covers: tuple[str, str] | None
    calendar_missing_years: tuple[int, ...]
    as_of: str
    files: tuple[FileResult, ...]
    findings: FindingTable = field(default_factory=lambda: EMPTY)  # a tuple of Finding rows is taken too (made a table)
    fail_on: str = "error"  # the gate's threshold (error | warning | never), for formats that show pass/fail
    table_limit: int | None = TABLE_LIMIT  # findings a sheet the table shows (None: --show-all)
    statistics: bool = False  # the table and concise formats end with counts per rule (--statistics)
    show_suppressed: bool = False  # the table and concise formats list baselined findings (--show-suppressed)
    baseline_file: str | None = None
    baseline_unmatched: tuple[str, ...] = ()  # baseline entries (JSON) that match no finding any more
    rule_docs: tuple[RuleDoc, ...] = ()  # every rule of the pack audited with, in id order

    def __post_init__(self) -> None:
        _as_table(self)

    def _active_severities(self) -> np.ndarray:
        table = self.findings
        return table.severities()[table.active()]

    def summary(self) -> dict:
        table = self.findings
        active = self._active_severities()
        by_sev = Counter(active.tolist())
        suppressed = [s for s in table.column("suppressed").tolist() if s is not None]
        exempt: Counter[str] = Counter()
        for f in self.files:
            exempt.update(dict(f.exempt))
        return {
            "files": len(self.files),
            "sheets": sum(1 for f in self.files for s in f.sheets if s.kind),
            "rows": sum(s.rows for f in self.files for s in f.sheets),
            "findings": len(table),
            "errors": by_sev[Severity.error],
            "warnings": by_sev[Severity.warning],
            "info": by_sev[Severity.info],
            "suppressed": len(suppressed),
            "baselined": sum(1 for s in suppressed if s.by == "baseline"),
            "exempt": dict(sorted(exempt.items())),
        }

    def worst(self) -> Severity | None:
        active = self._active_severities()
        return Severity(int(active.max())) if len(active) else None

    def gate_threshold(self) -> Severity | None:
        """The severity at which the gate fails (`fail_on`), None for never."""
        return None if self.fail_on == "never" else Severity[self.fail_on]

    def fails(self, finding: Finding) -> bool:
        """Whether one finding fails the gate: active and at or above the threshold."""
        threshold = self.gate_threshold()
        return finding.suppressed is None and threshold is not None and finding.severity >= threshold

    def failed(self) -> bool:
        """The gate: exit 1 when an active finding is at or above `fail_on`."""
        threshold = self.gate_threshold()
        return threshold is not None and bool((self._active_severities() >= threshold).any())


def _as_table(result: Any) -> None:
    """Findings given as rows (a tuple of Finding) become a table."""
    if not isinstance(result.findings, FindingTable):
        object.__setattr__(result, "findings", FindingTable.of(result.findings))
