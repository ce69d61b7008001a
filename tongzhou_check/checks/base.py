"""What a check receives and returns, and what it declares: the audit context, hits (where and what), and the
message fields, reasons and column types a check type can use — so a pack is validated for meaning at load."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tongzhou_check.packtypes import Kind, Pack, Rule
from tongzhou_check.reader import RawSheet, SheetData, Workbook
from tongzhou_check.workdays import Calendar

LABEL_SCHEMA = {  # a bilingual label in rule parameters
    "type": "object",
    "required": ["zh", "en"],
    "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
}

# The message fields the engine fills in, by where a hit points. A check declares the whole set each of its
# messages can use: these plus its own.
FILE = frozenset({"title"})
SHEET = FILE | {"sheet", "kind", "headers"}
ROW = SHEET | {"header", "row", "value", "values"}
NOT_EVALUATED = SHEET | {"missing"}  # a column the check needs is missing: reported once on the header row


@dataclass(frozen=True)
class Context:
    pack: Pack
    as_of: dt.date
    year: int
    calendar: Calendar | None = None
    agency: str | None = None  # --agency: whose workbooks these are


@dataclass(frozen=True)
class Hit:
    """Where a rule found something and the message fields; the engine adds id, severity and text.

    rows: Excel rows of a row-level hit; None for a sheet-level hit (the header row) or a file-level one.
    column: the kind's column key the finding points at ("waiver" for the 豁免说明 column).
    fields: message fields: a scalar, a {"zh", "en"} dict, or a Series aligned with rows.
    reason: None for the rule's own message; else a code the check declares: a pack message (`pending`) or a
      reason another rule is raised by (`calendar_not_covered`, TZ009).
    """

    rows: pd.Index | None = None
    column: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    subject: str | None = None
    lowered: pd.Series | bool | None = None  # rows whose severity drops one step (a bool for a sheet-level hit)
    sheet: RawSheet | None = None  # a workbook-level hit about one sheet
    reason: str | None = None
    clause: str | None = None  # a clause of its own (a duty's), instead of the rule's
    exempt: pd.Series | None = None  # rows the plan exempts: counted in the summary, not reported
    at: SheetData | None = None  # a workbook-level hit reported on this sheet's header row


Run = Callable[[Any, Rule, Context], Iterable[Hit]]
ColumnUse = tuple[str, str, tuple[str, ...]]  # (JSON path under params, column key, types it may have; () any)


def _no_columns(params: dict) -> list[ColumnUse]:
    return []


def _no_problems(params: dict, kind: Kind) -> Iterator[tuple[str, str]]:
    return iter(())


@dataclass(frozen=True)
class Check:
    """A check type: the function, its scope, and what a pack may ask of it.

    fields: the fields its rule's own message may use. reasons: the other messages its hits may carry, each with
    its fields. columns: the columns its parameters name, with the types each may have. meaning: further problems
    of parameters against the kind (a comparison of a number with a date). waivable: whether a 豁免说明 entry can
    suppress its findings (not the check of the waivers themselves). cost: its time per record, relative to the
    other checks' (measured: docs/benchmark.md), by which the engine shares a big workbook's checks between two
    processes.
    """

    run: Run
    scope: str  # file | workbook | sheet | row
    fields: frozenset[str] = FILE
    reasons: Mapping[str, frozenset[str]] = field(default_factory=dict)
    params_schema: dict = field(default_factory=lambda: {"type": "object", "additionalProperties": False})
    columns: Callable[[dict], list[ColumnUse]] = _no_columns
    meaning: Callable[[dict, Kind], Iterator[tuple[str, str]]] = _no_problems
    waivable: bool = True
    cost: int = 1


__all__ = ["ROW", "SHEET", "Check", "Context", "Hit", "Workbook"]


def unreported_missing(sheet: SheetData, ctx: Context, missing: list[str]) -> list[str]:
    """The missing columns a "could not check" finding names: those TZ003 (an active missing_column rule) already
    reports on this sheet are left out when the rule also lacks others; a rule that lacks only TZ003's columns
    still says, naming them, that it did not run."""
    if any(r.active and r.check == "missing_column" and r.kind in (None, sheet.kind.key)
           for r in ctx.pack.rules.values()):
        others = [c for c in missing if c not in sheet.layout.missing]
        return others or list(missing)
    return list(missing)
