"""What the period checks share: dates and numbers of a sheet's columns, the working-day parameter schema, and
the hits for a missing column or a date the calendar does not cover.

Every count is a column operation on the calendar's cumulative working-day index. A date the calendar does not
cover is reported as `calendar_not_covered` (TZ009 is raised by it) on the cell that needed it, never guessed.
The check types: deadline (checks/deadline.py), min_window (checks/window.py), quarterly (checks/quarterly.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import LABEL_SCHEMA, ROW, Context, Hit, unreported_missing
from tongzhou_check.reader import SheetData
from tongzhou_check.workdays import Calendar

DAYS = {
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["from", "value"],
                "additionalProperties": False,
                "properties": {
                    "from": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    "value": {"type": "integer", "minimum": 0},
                    "basis": {"description": "the law a message cites for the period: text, or a {zh, en} label",
                              "oneOf": [{"type": "string"}, LABEL_SCHEMA]},
                },
            },
        },
    ]
}
DATE, INT = ("date",), ("int",)
UNCOVERED = ROW | {"year", "source"}  # calendar_not_covered: reported under the rule raised by it (TZ009)

def iso(days: pd.Series) -> pd.Series:
    return pd.to_datetime(days).dt.strftime("%Y-%m-%d")


def date_column(sheet: SheetData, key: str) -> pd.Series:
    if key not in sheet.columns:
        return pd.Series(pd.NaT, index=sheet.rows, dtype="datetime64[s]")
    return pd.to_datetime(sheet.values(key), errors="coerce")


def numbers(sheet: SheetData, key: str | None) -> pd.Series:
    if key is None or key not in sheet.columns:
        return pd.Series(0.0, index=sheet.rows)
    return pd.to_numeric(sheet.values(key), errors="coerce").fillna(0.0)


def usable(sheet: SheetData, keys: list[str | None]) -> pd.Series:
    ok = pd.Series(True, index=sheet.rows)
    for key in keys:
        if key is not None and key in sheet.columns:
            ok &= ~sheet.input_problem(key)
    return ok


def not_evaluated(sheet: SheetData, missing: list[str], ctx: Context) -> Iterator[Hit]:
    """Could not check: the missing columns TZ003 does not already report (none left: no finding)."""
    missing = unreported_missing(sheet, ctx, missing)
    if missing:
        yield Hit(subject=missing[0], reason="not_evaluated",
                  fields={"missing": "、".join(sheet.kind.columns[c].header for c in missing)})


def uncovered(calendar: Calendar, sheet: SheetData, rows: pd.Series, days: pd.Series, column: str
               ) -> Iterator[Hit]:
    """TZ009 on the cells whose computation needs a year the calendar lacks."""
    if not rows.any():
        return
    needed = days[rows].map(lambda day: calendar.missing_year(day.date()))  # only the uncovered rows
    yield Hit(rows=sheet.rows[rows.to_numpy()], column=column, reason="calendar_not_covered",
              fields={"year": needed.astype(int).astype(str), "source": calendar.source})


def calendar_of(ctx: Context) -> Calendar:
    if ctx.calendar is None:
        raise RuntimeError("a period rule needs the working-day calendar in the audit context")
    return ctx.calendar
