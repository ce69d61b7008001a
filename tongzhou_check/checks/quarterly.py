"""Every quarter of the audited year that has ended by as-of holds a dated record (and its `done` date).

A workbook-level check over the sheets of the rule's kind. The date decides a record's quarter; a row whose
`label` column names another quarter (季度 `2018年第一季度` beside a date in April) is named in the message of the
quarter it is labelled with. A workbook with no such sheet is judged as an empty one when the plan assigns the
agency the duty the sheet records, or when the workbook holds every other kind of the template (the sheet was left
out of a full submission); otherwise a missing sheet is no finding (a log-only workbook).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import LABEL_SCHEMA, NOT_EVALUATED, SHEET, ColumnUse, Context, Hit, Workbook
from tongzhou_check.checks.periods import DATE, date_column, not_evaluated, usable
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader import SheetData
from tongzhou_check.text import squash

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["date", "problems"],
    "properties": {
        "date": {"type": "string"},
        "done": {"type": "string"},
        "label": {"type": "string", "description": "a column naming the quarter a record is meant for (季度)"},
        "problems": {"type": "object", "required": ["none", "undone"], "additionalProperties": False,
                     "description": "how a message says what a quarter lacks: no record, no `done` date, or (a "
                                    "workbook without the sheet) no sheet",
                     "properties": {"none": LABEL_SCHEMA, "undone": LABEL_SCHEMA, "no_sheet": LABEL_SCHEMA}},
        "no_sheet": {
            "type": "array",
            "items": {"enum": ["duty", "full_submission"]},
            "description": "when a workbook without the kind's sheet is judged as one with an empty sheet: the "
                           "agency has a duty whose record is that sheet (duties.yaml `rec: …[kind]`), or the "
                           "workbook has a sheet of every other kind",
        },
    },
}
QUARTERS = "一二三四"
MENTIONS = 3  # mislabelled rows a message names, at most

FIELDS = SHEET | {"quarter", "problem", "note"}
REASONS = {"not_evaluated": NOT_EVALUATED}

# 2018年第一季度, 第1季度, 一季度, 2018Q1, Q1 (after NFKC and with whitespace removed)
_LABEL = re.compile(r"(?:(\d{4})年?)?(?:第?([一二三四1-4])季度|[Qq]([1-4]))")
_NOTE = {  # one mislabelled row; the rows are joined by `sep` inside `wrap`
    "zh": {"row": "第{row}行标为第{labelled}季度,但「{header}」{date} 属于{actual}", "sep": ";", "wrap": "({})"},
    "en": {"row": "row {row} is labelled Q{n}, but its “{header}” {date} falls in {actual_en}", "sep": "; ",
           "wrap": " ({})"},
}


def columns(params: dict) -> list[ColumnUse]:
    types = {"date": DATE, "done": (), "label": ()}
    return [(name, params[name], types[name]) for name in types if name in params]


def _due(ctx: Context) -> list[tuple[int, dt.date, dt.date]]:
    """The quarters of the audited year that have ended by as-of: (number, first day, last day)."""
    out = []
    for q in range(1, 5):
        first = dt.date(ctx.year, 3 * q - 2, 1)
        last = (pd.Timestamp(first) + pd.offsets.QuarterEnd(0)).date()
        if last <= ctx.as_of:
            out.append((q, first, last))
    return out


def _quarter_label(q: int, year: int) -> dict[str, str]:
    return {"zh": f"{year}年第{QUARTERS[q - 1]}季度", "en": f"Q{q} {year}"}


def labelled_quarters(labels: pd.Series, year: int) -> pd.Series:
    """The quarter (1-4) of the audited year each label names; 0 where it names none, or another year's."""
    def quarter(text: object) -> int:
        if not isinstance(text, str):
            return 0
        m = _LABEL.search(squash(text))
        if m is None or (m[1] and int(m[1]) != year):
            return 0
        digit = m[2] or m[3]
        return QUARTERS.index(digit) + 1 if digit in QUARTERS else int(digit)
    return labels.map(quarter)


def quarterly(book: Workbook, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Each ended quarter of the audited year has a dated record with its `done` date, on the kind's sheets."""
    if book.error is not None:
        return
    sheets = [s for s in book.sheets if s.kind.key == rule.kind]
    if not sheets:
        yield from _no_sheet(book, rule, ctx)
    for sheet in sheets:
        for hit in _sheet(sheet, rule, ctx):
            yield dataclasses.replace(hit, at=sheet)


def _sheet(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    date_key, done_key, label_key = rule.params["date"], rule.params.get("done"), rule.params.get("label")
    missing = [c for c in (date_key, done_key) if c and c not in sheet.columns]
    if missing:
        yield from not_evaluated(sheet, missing, ctx)
        return
    dates = date_column(sheet, date_key).where(usable(sheet, [date_key, done_key]))
    done = sheet.present(done_key) if done_key else pd.Series(True, index=sheet.rows)
    labelled = (labelled_quarters(sheet.values(label_key), ctx.year) if label_key in sheet.columns
                else pd.Series(0, index=sheet.rows))
    for q, first, last in _due(ctx):
        inside = (dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))
        if inside.any() and (inside & done).any():
            continue
        problem = "undone" if inside.any() else "none"
        elsewhere = (labelled == q) & dates.notna() & ~inside  # labelled with this quarter, dated in another
        yield Hit(
            subject=f"Q{q}",
            fields={
                "quarter": _quarter_label(q, ctx.year),
                "problem": rule.params["problems"][problem],
                "note": _note(sheet, date_key, dates[elsewhere], q, ctx.year),
            },
        )


def _note(sheet: SheetData, date_key: str, dates: pd.Series, q: int, year: int) -> dict[str, str] | str:
    """The rows labelled with quarter q whose date puts them in another quarter, as the message names them."""
    if dates.empty:
        return ""
    header = sheet.header(date_key)
    parts: dict[str, list[str]] = {"zh": [], "en": []}
    for row, day in list(dates.items())[:MENTIONS]:
        n = (day.month - 1) // 3 + 1
        actual = f"第{QUARTERS[n - 1]}季度" if day.year == year else f"{day.year}年第{QUARTERS[n - 1]}季度"
        values = {"row": row, "labelled": QUARTERS[q - 1], "n": q, "header": header, "date": day.date().isoformat(),
                  "actual": actual, "actual_en": f"Q{n}" if day.year == year else f"Q{n} {day.year}"}
        for lang in parts:
            parts[lang].append(_NOTE[lang]["row"].format(**values))
    return {lang: _NOTE[lang]["wrap"].format(_NOTE[lang]["sep"].join(rows)) for lang, rows in parts.items()}


def _no_sheet(book: Workbook, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """No sheet of the kind: every ended quarter is missing when the workbook owes the sheet (see the module)."""
    when, problem = rule.params.get("no_sheet", []), rule.params["problems"].get("no_sheet")
    if not when or problem is None or not _owes_sheet(book, rule, ctx, when):
        return
    for q, _, _ in _due(ctx):
        yield Hit(subject=f"Q{q}", fields={"quarter": _quarter_label(q, ctx.year), "problem": problem, "note": ""})


def _owes_sheet(book: Workbook, rule: Rule, ctx: Context, when: list[str]) -> bool:
    duty_map = ctx.pack.duty_map
    if "duty" in when and duty_map is not None and book.agency is not None:
        record = f"[{rule.kind}]"
        duties = duty_map.duties_of(book.agency.id)
        if any(record in duty.rec.split("+") and not uncertain for duty, uncertain in duties):
            return True
    if "full_submission" in when and book.sheets:
        others = set(ctx.pack.kinds) - {rule.kind}
        return others <= {s.kind.key for s in book.sheets}
    return False
