"""At least N working days from a start to an end date (a comment window), counted by the pack's convention."""

from __future__ import annotations

from collections.abc import Iterator

from tongzhou_check.checks.base import NOT_EVALUATED, ROW, ColumnUse, Context, Hit
from tongzhou_check.checks.periods import (
    DATE,
    DAYS,
    UNCOVERED,
    calendar_of,
    date_column,
    iso,
    not_evaluated,
    usable,
)
from tongzhou_check.checks.timed import param_series
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader import SheetData

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["start", "end", "days"],
    "properties": {
        "start": {"type": "string"},
        "end": {"type": "string"},
        "days": DAYS,
        "count_start_day": {"type": "boolean"},
        "reason": {"type": "string", "description": "a column whose value lowers the severity one step"},
    },
}
FIELDS = ROW | {"start", "end", "count", "days", "convention", "basis"}
REASONS = {"not_evaluated": NOT_EVALUATED, "calendar_not_covered": UNCOVERED}


def columns(params: dict) -> list[ColumnUse]:
    types = {"start": DATE, "end": DATE, "reason": ()}
    return [(name, params[name], types[name]) for name in types if name in params]



def min_window(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """At least N working days from start to end, counted by the pack's convention."""
    params, calendar = rule.params, calendar_of(ctx)
    start_key, end_key = params["start"], params["end"]
    missing = [c for c in (start_key, end_key) if c not in sheet.columns]
    if missing:
        if not sheet.rows.empty:
            yield from not_evaluated(sheet, missing, ctx)
        return
    start, end = date_column(sheet, start_key), date_column(sheet, end_key)
    ok = usable(sheet, [start_key, end_key]) & start.notna() & end.notna() & (end >= start)
    include = bool(params.get("count_start_day", False))
    count = calendar.count_series(start.where(ok), end.where(ok), include_start=include)
    need, basis = param_series(params["days"], start)
    uncovered = ok & count.isna()
    if uncovered.any():
        first_gap = ~calendar.covered(start.where(uncovered))
        yield from uncovered(calendar, sheet, uncovered & first_gap, start, start_key)
        yield from uncovered(calendar, sheet, uncovered & ~first_gap, end, end_key)
    short = ok & count.notna() & need.notna() & (count < need)
    if not short.any():
        return
    reason = params.get("reason")
    lowered = sheet.present(reason)[short] if reason and reason in sheet.columns else None
    convention = ({"zh": "开始当日计入", "en": "counting the first day"} if include
                  else {"zh": "开始当日不计入", "en": "not counting the first day"})
    yield Hit(
        rows=sheet.rows[short.to_numpy()],
        column=end_key,
        lowered=lowered,
        fields={
            "start": iso(start[short]),
            "end": iso(end[short]),
            "count": count[short].astype(int).astype(str),
            "days": need[short].astype(int).astype(str),
            "convention": convention,
            "basis": basis[short].map(lambda b: b or rule.clause),
        },
    )
