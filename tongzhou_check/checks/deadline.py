"""An event within N working (or calendar) days of its trigger; an empty event is late once N have passed."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import LABEL_SCHEMA, NOT_EVALUATED, ROW, ColumnUse, Context, Hit
from tongzhou_check.checks.periods import (
    DATE,
    DAYS,
    INT,
    UNCOVERED,
    calendar_of,
    date_column,
    iso,
    not_evaluated,
    numbers,
    uncovered,
    usable,
)
from tongzhou_check.checks.timed import param_series
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader import SheetData

PARAMS = {
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
        "days": DAYS,
        "unit": {"enum": ["working", "calendar"]},
        "extension": {
            "type": "object",
            "required": ["column", "in", "days"],
            "additionalProperties": False,
            "properties": {"column": {"type": "string"}, "in": {"type": "array", "items": {"type": "string"}},
                           "days": DAYS},
        },
        "paused": {"type": "string", "description": "a column of working days not counted"},
        "pending": {"enum": ["late", "skip"], "description": "an empty event past its deadline: late, or not judged"},
        "if_absent": {"enum": ["report", "skip"], "description": "a missing trigger or event column"},
    },
    "oneOf": [{"required": ["trigger", "event"]}, {"required": ["pairs"]}],
}
UNITS = {"working": {"zh": "个工作日", "en": "working days"}, "calendar": {"zh": "日", "en": "days"}}

FIELDS = ROW | {"trigger_header", "trigger", "deadline", "days", "base_days", "extended_days",
                         "paused_days", "used", "unit", "basis", "label", "as_of", "event_header"}
REASONS = {"pending": FIELDS, "not_evaluated": NOT_EVALUATED, "calendar_not_covered": UNCOVERED}


def columns(params: dict) -> list[ColumnUse]:
    types = {"trigger": DATE, "event": DATE, "restart": DATE, "paused": INT, "waits_on": ()}
    found = [(name, params[name], types[name]) for name in types if name in params]
    found += [(f"pairs[{i}].{k}", p[k], DATE) for i, p in enumerate(params.get("pairs", []))
              for k in ("trigger", "event")]
    if "extension" in params:
        found.append(("extension.column", params["extension"]["column"], ()))
    return found



def deadline(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """An event within N working (or calendar) days after its trigger; an empty event is late once N has passed."""
    params = rule.params
    pairs = params.get("pairs") or [{"trigger": params["trigger"], "event": params["event"], "label": None}]
    for pair in pairs:
        yield from _deadline(sheet, rule, ctx, pair["trigger"], pair["event"], pair["label"])


def _deadline(sheet: SheetData, rule: Rule, ctx: Context, trigger: str, event: str, label: dict | None
              ) -> Iterator[Hit]:
    params, calendar = rule.params, calendar_of(ctx)
    missing = [c for c in (trigger, event) if c not in sheet.columns]
    if missing:
        # a pair the sheet does not keep at all (no 决算 columns) is left to the rule that requires it (TZ801)
        skip = params.get("if_absent") == "skip" or (label is not None and len(missing) == 2)
        if not sheet.rows.empty and not skip:
            yield from not_evaluated(sheet, missing, ctx)
        return
    restart, paused = params.get("restart"), params.get("paused")
    extension = params.get("extension")
    ok = usable(sheet, [trigger, event, restart, paused, extension and extension["column"]])
    start = date_column(sheet, trigger)
    start_column = pd.Series(trigger, index=sheet.rows)
    if restart:
        restarted = date_column(sheet, restart).notna()
        start = start.where(~restarted, date_column(sheet, restart))
        start_column = start_column.where(~restarted, restart)
    done = date_column(sheet, event)
    base, basis = param_series(params["days"], start)
    ok &= start.notna() & base.notna() & ~(done < start)  # an event before its trigger is TZ008's
    if params.get("waits_on") in sheet.columns:  # asked to amend, amendment not yet received: clock stopped
        ok &= ~(sheet.present(params["waits_on"]) & ~date_column(sheet, restart).notna())
    extended = pd.Series(0.0, index=sheet.rows)
    if extension and extension["column"] in sheet.columns:
        more, _ = param_series(extension["days"], start)
        extended = more.where(sheet.values(extension["column"]).isin(extension["in"]), 0.0).fillna(0.0)
    stopped = numbers(sheet, paused)
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
        yield from uncovered(calendar, sheet, ok & ~covered & (start_column == column), start, column)
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
                "trigger": iso(start[rows]),
                "deadline": iso(due[rows]),
                "days": days[rows].astype(int).astype(str),
                "base_days": base[rows].astype(int).astype(str),
                "extended_days": extended[rows].astype(int).astype(str),
                "paused_days": stopped[rows].astype(int).astype(str),
                "used": used.map(lambda v: "?" if pd.isna(v) else str(int(v))),
                "unit": UNITS[unit],
                # the law of the period applied, else the clause: rule.basis is for explain and the docs
                "basis": basis[rows].map(lambda b: b or rule.clause),
                "label": label or "",
                "as_of": ctx.as_of.isoformat(),
                "event_header": sheet.header(event),
            },
        )
