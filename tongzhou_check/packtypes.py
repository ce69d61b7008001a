"""The rule pack's types: kinds and their columns, reading conventions, rules, the pack — plain and frozen.

The bottom of the house: every layer above (reader, checks, engine, loader) imports these; they import nothing of
the package but the model's Severity and the duty map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tongzhou_check.dutymap import DutyMap
from tongzhou_check.model import Severity


class PackError(Exception):
    """An invalid rule pack: names the file and the JSON path of the problem."""

    def __init__(self, file: Path | str, path: str, problem: str) -> None:
        self.file, self.path, self.problem = str(file), path, problem
        super().__init__(f"{file}: {path}: {problem}")


WAIVER = "waiver"  # the key of the 豁免说明 column every kind has (kinds.yaml's reading.waiver)


INT_MAX = 1_000_000_000  # no count in a disclosure workbook comes near it; every one fits pandas' int64 and dates


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    value_aliases: dict[str, str] = field(default_factory=dict)
    sample: Any = None
    tree: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a two-level enumeration: (group, leaves)
    max: int = INT_MAX  # an int column: the largest number it can mean; beyond is unreadable (TZ006)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Hierarchy:
    """Item levels as catalogues print them (一级目录 … 四级目录): a row's deepest non-empty level is its item
    (column `item`), the levels above it its group (column `group`)."""

    group: str
    item: str
    levels: tuple[tuple[str, ...], ...]  # each level's headers, top level first


@dataclass(frozen=True)
class Kind:
    key: str
    title: dict[str, str]
    names: tuple[str, ...]
    columns: dict[str, Column]
    keys: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    date_order: tuple[tuple[str, str], ...] = ()
    hierarchy: Hierarchy | None = None
    implied: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # key: (value, words)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k for k, c in self.columns.items() if c.required)


@dataclass(frozen=True)
class Reading:
    placeholders: frozenset[str]
    notes_prefixes: tuple[str, ...]
    header_suffixes: tuple[str, ...]
    header_scan_rows: int
    check_marks: frozenset[str]
    channel_ticked: tuple[str, ...]
    channel_unticked: tuple[str, ...]
    agency_labels: tuple[str, ...] = ()
    instructions_sheets: frozenset[str] = frozenset()  # sheet names (squashed, upper case) not audited nor reported


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    severity: Severity
    scope: str
    clause: str
    quote: str
    title: dict[str, str]
    description: dict[str, str]
    message: dict[str, str]
    kind: str | None = None
    status: str = "active"
    check: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    raised_by: tuple[str, ...] = ()  # the reasons (hit codes) this rule reports for other rules' checks
    basis: str = ""
    examples: dict[str, list[dict]] = field(default_factory=dict)
    file: str = ""

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class AppendixSpec:
    """What the annual appendix counts, by the pack's kinds and column keys (pack.yaml's `appendix:`)."""

    applications: dict[str, str] | None = None  # kind, received, replied, applicant, outcome
    catalogue: dict[str, str] | None = None  # kind, area
    publication: dict[str, str] | None = None  # kind, area, date


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    sha256: str
    title: dict[str, str]
    messages: dict[str, dict[str, str]]
    reading: Reading
    kinds: dict[str, Kind]
    rules: dict[str, Rule]
    root: str
    calendar: str | None = None
    duty_map: DutyMap | None = None
    routes: dict[str, str] = field(default_factory=dict)  # reason → the id of the rule raised by it
    appendix: AppendixSpec | None = None

    def rule(self, name: str) -> Rule | None:
        """A rule by id (`TZ201`) or slug (`comment-window`), case-insensitive for the id."""
        name = name.strip()
        if name.upper() in self.rules:
            return self.rules[name.upper()]
        return next((r for r in self.rules.values() if r.slug == name.lower()), None)

    def rules_for(self, check: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.active and r.check == check]

    def calendar_file(self) -> Path | None:
        """The calendar file the pack names (relative to the pack), if any."""
        return Path(self.root) / self.calendar if self.calendar else None
