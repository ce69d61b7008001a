"""Periods on the official calendar: deadlines after a trigger, minimum windows, quarterly coverage.

Every count is a column operation on the calendar's cumulative working-day index. A date the calendar does not
cover is reported under calendar-not-covered (TZ009) on the cell that needed it, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import LABEL_SCHEMA, NOT_EVALUATED, ROW, SHEET, ColumnUse, Context, Hit
from tongzhou_check.checks.timed import param_series
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader.sheet import SheetData
from tongzhou_check.workdays import Calendar

_DAYS = {
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
                    "basis": {"type": "string"},
                },
            },
        },
    ]
}
DEADLINE_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["days"],
    "properties": {
        "trigger": {"type": "string"},
        "event": {"type": "string"},
        "pairs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["trigger", "event", "label"],
                "additionalProperties": False,
                "properties": {"trigger": {"type": "string"}, "event": {"type": "string"}, "label": LABEL_SCHEMA},
            },
        },
        "restart": {"type": "string", "description": "a later trigger that restarts the clock (补正收到日期)"},
        "waits_on": {"type": "string", "description": "with restart: while this is set and restart is not, the "
                                                      "clock is stopped (补正告知日期 sent, amendment not received)"},
        "days": _DAYS,
        "unit": {"enum": ["working", "calendar"]},
        "extension": {
            "type": "object",
            "required": ["column", "in", "days"],
            "additionalProperties": False,
            "properties": {"column": {"type": "string"}, "in": {"type": "array", "items": {"type": "string"}},
                           "days": _DAYS},
        },
        "paused": {"type": "string", "description": "a column of working days not counted"},
        "pending": {"enum": ["late", "skip"], "description": "an empty event past its deadline: late, or not judged"},
        "if_absent": {"enum": ["report", "skip"], "description": "a missing trigger or event column"},
    },
    "oneOf": [{"required": ["trigger", "event"]}, {"required": ["pairs"]}],
}
WINDOW_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["start", "end", "days"],
    "properties": {
        "start": {"type": "string"},
        "end": {"type": "string"},
        "days": _DAYS,
        "count_start_day": {"type": "boolean"},
        "reason": {"type": "string", "description": "a column whose value lowers the severity one step"},
    },
}
QUARTERLY_PARAMS = {
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
UNITS = {"working": {"zh": "个工作日", "en": "working days"}, "calendar": {"zh": "日", "en": "days"}}
QUARTERS = "一二三四"


DATE, INT = ("date",), ("int",)
UNCOVERED = ROW | {"year", "source"}  # calendar_not_covered: reported under the rule raised by it (TZ009)
DEADLINE_FIELDS = ROW | {"trigger_header", "trigger", "deadline", "days", "base_days", "extended_days",
                         "paused_days", "used", "unit", "basis", "label", "as_of", "event_header"}
DEADLINE_REASONS = {"pending": DEADLINE_FIELDS, "not_evaluated": NOT_EVALUATED, "calendar_not_covered": UNCOVERED}
WINDOW_FIELDS = ROW | {"start", "end", "count", "days", "convention", "basis"}
WINDOW_REASONS = {"not_evaluated": NOT_EVALUATED, "calendar_not_covered": UNCOVERED}
QUARTERLY_FIELDS = SHEET | {"quarter", "problem"}


def deadline_columns(params: dict) -> list[ColumnUse]:
    types = {"trigger": DATE, "event": DATE, "restart": DATE, "paused": INT, "waits_on": ()}
    found = [(name, params[name], types[name]) for name in types if name in params]
    found += [(f"pairs[{i}].{k}", p[k], DATE) for i, p in enumerate(params.get("pairs", []))
              for k in ("trigger", "event")]
    if "extension" in params:
        found.append(("extension.column", params["extension"]["column"], ()))
    return found


def window_columns(params: dict) -> list[ColumnUse]:
    types = {"start": DATE, "end": DATE, "reason": ()}
    return [(name, params[name], types[name]) for name in types if name in params]


def quarterly_columns(params: dict) -> list[ColumnUse]:
    types = {"date": DATE, "done": ()}
    return [(name, params[name], types[name]) for name in types if name in params]


def _iso(days: pd.Series) -> pd.Series:
    return pd.to_datetime(days).dt.strftime("%Y-%m-%d")


def _dates(sheet: SheetData, key: str) -> pd.Series:
    if key not in sheet.columns:
        return pd.Series(pd.NaT, index=sheet.rows, dtype="datetime64[s]")
    return pd.to_datetime(sheet.values(key), errors="coerce")


def _numbers(sheet: SheetData, key: str | None) -> pd.Series:
    if key is None or key not in sheet.columns:
        return pd.Series(0.0, index=sheet.rows)
    return pd.to_numeric(sheet.values(key), errors="coerce").fillna(0.0)


def _usable(sheet: SheetData, keys: list[str | None]) -> pd.Series:
    ok = pd.Series(True, index=sheet.rows)
    for key in keys:
        if key is not None and key in sheet.columns:
            ok &= ~sheet.input_problem(key)
    return ok


def _not_evaluated(sheet: SheetData, missing: list[str]) -> Hit:
    return Hit(subject=missing[0], reason="not_evaluated",
               fields={"missing": "、".join(sheet.kind.columns[c].header for c in missing)})


def _uncovered(calendar: Calendar, sheet: SheetData, rows: pd.Series, days: pd.Series, column: str
               ) -> Iterator[Hit]:
    """TZ009 on the cells whose computation needs a year the calendar lacks."""
    if not rows.any():
        return
    needed = days[rows].map(lambda day: calendar.missing_year(day.date()))  # only the uncovered rows
    yield Hit(rows=sheet.rows[rows.to_numpy()], column=column, reason="calendar_not_covered",
              fields={"year": needed.astype(int).astype(str), "source": calendar.source})


def _calendar(ctx: Context) -> Calendar:
    if ctx.calendar is None:
        raise RuntimeError("a period rule needs the working-day calendar in the audit context")
    return ctx.calendar


def deadline(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """An event within N working (or calendar) days after its trigger; an empty event is late once N has passed."""
    params = rule.params
    pairs = params.get("pairs") or [{"trigger": params["trigger"], "event": params["event"], "label": None}]
    for pair in pairs:
        yield from _deadline(sheet, rule, ctx, pair["trigger"], pair["event"], pair["label"])


def _deadline(sheet: SheetData, rule: Rule, ctx: Context, trigger: str, event: str, label: dict | None
              ) -> Iterator[Hit]:
    params, calendar = rule.params, _calendar(ctx)
    missing = [c for c in (trigger, event) if c not in sheet.columns]
    if missing:
        # a pair the sheet does not keep at all (no 决算 columns) is left to the rule that requires it (TZ801)
        skip = params.get("if_absent") == "skip" or (label is not None and len(missing) == 2)
        if not sheet.rows.empty and not skip:
            yield _not_evaluated(sheet, missing)
        return
    restart, paused = params.get("restart"), params.get("paused")
    extension = params.get("extension")
    ok = _usable(sheet, [trigger, event, restart, paused, extension and extension["column"]])
    start = _dates(sheet, trigger)
    start_column = pd.Series(trigger, index=sheet.rows)
    if restart:
        restarted = _dates(sheet, restart).notna()
        start = start.where(~restarted, _dates(sheet, restart))
        start_column = start_column.where(~restarted, restart)
    done = _dates(sheet, event)
    base, basis = param_series(params["days"], start)
    ok &= start.notna() & base.notna() & ~(done < start)  # an event before its trigger is TZ008's
    if params.get("waits_on") in sheet.columns:  # asked to amend, amendment not yet received: clock stopped
        ok &= ~(sheet.present(params["waits_on"]) & ~_dates(sheet, restart).notna())
    extended = pd.Series(0.0, index=sheet.rows)
    if extension and extension["column"] in sheet.columns:
        more, _ = param_series(extension["days"], start)
        extended = more.where(sheet.values(extension["column"]).isin(extension["in"]), 0.0).fillna(0.0)
    stopped = _numbers(sheet, paused)
    days = base + extended + stopped
    unit = params.get("unit", "working")
    if unit == "working":
        due = calendar.add_series(start.where(ok), days.where(ok)).where(days > 0, start)
    else:
        due = calendar.roll_forward_series(start.where(ok) + pd.to_timedelta(days.where(ok), unit="D"))
    covered = due.notna() & calendar.covered(start.where(ok))
    # N working (or calendar) days never end before N calendar days: an event by then is on time on any calendar
    surely_on_time = done <= start + pd.to_timedelta(days, unit="D")
    ok &= covered | ~surely_on_time
    for column in dict.fromkeys(start_column[ok & ~covered]):
        yield from _uncovered(calendar, sheet, ok & ~covered & (start_column == column), start, column)
    ok &= covered
    late = ok & done.notna() & (done > due)
    pending = ok & done.isna() & (due < pd.Timestamp(ctx.as_of))
    if params.get("pending") == "skip":
        pending &= False
    for rows, reason in ((late, None), (pending, "pending")):
        if not rows.any():
            continue
        used = calendar.count_series(start[rows], done[rows])
        yield Hit(
            rows=sheet.rows[rows.to_numpy()],
            column=event,
            reason=reason,
            subject=label["en"] if label else None,
            fields={
                "trigger_header": start_column[rows].map(sheet.header),
                "trigger": _iso(start[rows]),
                "deadline": _iso(due[rows]),
                "days": days[rows].astype(int).astype(str),
                "base_days": base[rows].astype(int).astype(str),
                "extended_days": extended[rows].astype(int).astype(str),
                "paused_days": stopped[rows].astype(int).astype(str),
                "used": used.map(lambda v: "?" if pd.isna(v) else str(int(v))),
                "unit": UNITS[unit],
                "basis": basis[rows].where(basis[rows] != "", rule.basis or rule.clause),
                "label": label or "",
                "as_of": ctx.as_of.isoformat(),
                "event_header": sheet.header(event),
            },
        )


def min_window(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """At least N working days from start to end, counted by the pack's convention."""
    params, calendar = rule.params, _calendar(ctx)
    start_key, end_key = params["start"], params["end"]
    missing = [c for c in (start_key, end_key) if c not in sheet.columns]
    if missing:
        if not sheet.rows.empty:
            yield _not_evaluated(sheet, missing)
        return
    start, end = _dates(sheet, start_key), _dates(sheet, end_key)
    ok = _usable(sheet, [start_key, end_key]) & start.notna() & end.notna() & (end >= start)
    include = bool(params.get("count_start_day", False))
    count = calendar.count_series(start.where(ok), end.where(ok), include_start=include)
    need, basis = param_series(params["days"], start)
    uncovered = ok & count.isna()
    if uncovered.any():
        first_gap = ~calendar.covered(start.where(uncovered))
        yield from _uncovered(calendar, sheet, uncovered & first_gap, start, start_key)
        yield from _uncovered(calendar, sheet, uncovered & ~first_gap, end, end_key)
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
            "start": _iso(start[short]),
            "end": _iso(end[short]),
            "count": count[short].astype(int).astype(str),
            "days": need[short].astype(int).astype(str),
            "convention": convention,
            "basis": basis[short].where(basis[short] != "", rule.clause),
        },
    )


def quarterly(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Every quarter of the audited year that has ended by as-of holds a dated record (and its `done` date)."""
    date_key, done_key = rule.params["date"], rule.params.get("done")
    missing = [c for c in (date_key, done_key) if c and c not in sheet.columns]
    if missing:
        yield _not_evaluated(sheet, missing)
        return
    dates = _dates(sheet, date_key).where(_usable(sheet, [date_key, done_key]))
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
