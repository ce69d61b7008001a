"""What a check receives and returns: the audit context, the workbook, and hits (where and what)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tongzhou_check.dutymap import AgencyMatch
from tongzhou_check.pack import Pack, Rule
from tongzhou_check.sheet import SheetData
from tongzhou_check.workbook import RawSheet, ReadError
from tongzhou_check.workdays import Calendar

LABEL_SCHEMA = {  # a bilingual label in rule parameters
    "type": "object",
    "required": ["zh", "en"],
    "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
}
CALENDAR_RULE = "calendar-not-covered"  # the slug of the rule a period check reports an uncovered date under


@dataclass(frozen=True)
class Context:
    pack: Pack
    as_of: dt.date
    year: int
    calendar: Calendar | None = None
    agency: str | None = None  # --agency: whose workbooks these are
    appendix: bool = False  # also collect the facts the annual appendix counts (tzcheck report)


@dataclass(frozen=True)
class WorkbookData:
    path: Path
    error: ReadError | None
    sheets: tuple[SheetData, ...] = ()
    unrecognised: tuple[RawSheet, ...] = ()
    sheet_count: int = 0
    agency: AgencyMatch | None = None


@dataclass(frozen=True)
class Hit:
    """Where a rule found something and the message fields; the engine adds id, severity and text.

    rows: Excel rows of a row-level hit; None for a sheet-level hit (the header row) or a file-level one.
    column: the kind's column key the finding points at ("waiver" for the 豁免说明 column).
    fields: message fields: a scalar, a {"zh", "en"} dict, or a Series aligned with rows.
    """

    rows: pd.Index | None = None
    column: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    subject: str | None = None
    lowered: pd.Series | bool | None = None  # rows whose severity drops one step (a bool for a sheet-level hit)
    sheet: RawSheet | None = None  # a workbook-level hit about one sheet
    message: str | None = None  # a pack-level message key instead of the rule's own message
    rule: str | None = None  # report under another rule (id or slug), e.g. calendar-not-covered
    clause: str | None = None  # the clause of the rule that needed it, when reported under another rule
    exempt: pd.Series | None = None  # rows the plan exempts: counted in the summary, not reported
    at: SheetData | None = None  # a workbook-level hit reported on this sheet's header row


Run = Callable[[Any, Rule, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Check:
    run: Run
    scope: str  # file | workbook | sheet | row
    params_schema: dict = field(default_factory=lambda: {"type": "object", "additionalProperties": False})
    columns: Callable[[dict], list[tuple[str, str]]] = lambda params: []  # (JSON path, column) pairs
