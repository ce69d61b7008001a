"""Every quarter of the audited year that has ended by as-of holds a dated record (and its `done` date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import LABEL_SCHEMA, NOT_EVALUATED, SHEET, ColumnUse, Context, Hit
from tongzhou_check.checks.periods import DATE, date_column, not_evaluated, usable
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader import SheetData

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["date", "problems"],
    "properties": {
        "date": {"type": "string"},
        "done": {"type": "string"},
        "problems": {"type": "object", "required": ["none", "undone"], "additionalProperties": False,
                     "description": "how a message says what a quarter lacks: no record, or no `done` date",
                     "properties": {"none": LABEL_SCHEMA, "undone": LABEL_SCHEMA}},
    },
}
QUARTERS = "一二三四"

FIELDS = SHEET | {"quarter", "problem"}


REASONS = {"not_evaluated": NOT_EVALUATED}


def columns(params: dict) -> list[ColumnUse]:
    types = {"date": DATE, "done": ()}
    return [(name, params[name], types[name]) for name in types if name in params]



def quarterly(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Every quarter of the audited year that has ended by as-of holds a dated record (and its `done` date)."""
    date_key, done_key = rule.params["date"], rule.params.get("done")
    missing = [c for c in (date_key, done_key) if c and c not in sheet.columns]
    if missing:
        yield from not_evaluated(sheet, missing, ctx)
        return
    dates = date_column(sheet, date_key).where(usable(sheet, [date_key, done_key]))
    done = sheet.present(done_key) if done_key else pd.Series(True, index=sheet.rows)
    for q in range(1, 5):
        first = dt.date(ctx.year, 3 * q - 2, 1)
        last = (pd.Timestamp(first) + pd.offsets.QuarterEnd(0)).date()
        if last > ctx.as_of:
            continue
        inside = (dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))
        if inside.any() and (inside & done).any():
            continue
        problem = "undone" if inside.any() else "none"
        yield Hit(
            subject=f"Q{q}",
            fields={
                "quarter": {"zh": f"{ctx.year}年第{QUARTERS[q - 1]}季度", "en": f"Q{q} {ctx.year}"},
                "problem": rule.params["problems"][problem],
            },
        )
