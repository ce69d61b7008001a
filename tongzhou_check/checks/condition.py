"""Row conditions as data: when the `when` predicates hold, the `require` predicate must hold.

A predicate names a column and one test: present, in, not_in, same_as (text equal after NFKC and
whitespace removal) or a comparison with another column (eq, ne, lt, le, gt, ge). A comparison with an
empty side is unknown: it never triggers `when` and never fails `require`. Rows where an input rule already
reported a column the rule reads are skipped (one defect, one finding).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import LABEL_SCHEMA, NOT_EVALUATED, ROW, ColumnUse, Context, Hit, unreported_missing
from tongzhou_check.packtypes import Kind, Rule
from tongzhou_check.reader.parse import normalised
from tongzhou_check.reader.sheet import SheetData

COMPARISONS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
               "gt": operator.gt, "ge": operator.ge}
_PREDICATE = {
    "type": "object",
    "required": ["column"],
    "additionalProperties": False,
    "minProperties": 2,
    "maxProperties": 3,
    "properties": {
        "column": {"type": "string"},
        "present": {"type": "boolean"},
        "in": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "not_in": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "same_as": {"type": "string"},
        "within_days_before_as_of": {"type": "integer", "minimum": 0},
        "absent_as_empty": {"type": "boolean", "description": "a missing column reads as empty (it narrows the rule)"},
        **{op: {"type": "string"} for op in COMPARISONS},
    },
}
_REQUIREMENT = {
    "oneOf": [
        _PREDICATE,
        {"type": "object", "required": ["any"], "additionalProperties": False,
         "properties": {"any": {"type": "array", "items": _PREDICATE, "minItems": 2}}},
    ]
}
PARAMS = {
    "type": "object",
    "oneOf": [{"required": ["require"]}, {"required": ["parts"]}],
    "additionalProperties": False,
    "properties": {
        "when": {"type": "array", "items": _PREDICATE},
        "require": _REQUIREMENT,
        "parts": {
            "type": "array",
            "minItems": 1,
            "description": "several requirements under one rule, each its own finding (e.g. 预算 and 决算)",
            "items": {"type": "object", "required": ["require", "subject"], "additionalProperties": False,
                      "properties": {"require": _REQUIREMENT, "subject": {"type": "string"}, "label": LABEL_SCHEMA}},
        },
        "lower_when": _PREDICATE,
        "if_absent": {"enum": ["report", "skip", "skip_optional"],
                      "description": "a missing column: reported once (default), not reported, or not reported "
                                     "when the kind does not require it (the template's optional columns)"},
    },
}


FIELDS = ROW | {"label"}
REASONS = {"not_evaluated": NOT_EVALUATED}
ORDERED = ("date", "int")  # the column types lt/le/gt/ge compare
TEXTUAL = ("text", "enum")  # the column types same_as compares


def _predicates(params: dict) -> list[tuple[str, dict]]:
    """Every single predicate of the params, with its JSON path (alternatives `any` flattened)."""
    preds = [(f"when[{i}]", p) for i, p in enumerate(params.get("when", []))]
    preds += [(name, params[name]) for name in ("require", "lower_when") if name in params]
    preds += [(f"parts[{i}].require", part["require"]) for i, part in enumerate(params.get("parts", []))]
    return [(f"{where}.any[{i}]", p) for where, pred in preds for i, p in enumerate(pred.get("any", []))] + [
        (where, pred) for where, pred in preds if "any" not in pred]


def columns(params: dict) -> list[ColumnUse]:
    """Every column the params name, with its JSON path (for pack validation)."""
    found: list[ColumnUse] = []
    for where, pred in _predicates(params):
        for test, value in pred.items():
            if test == "column":
                found.append((f"{where}.column", value, ("date",) if "within_days_before_as_of" in pred else ()))
            elif test in COMPARISONS or test == "same_as":
                found.append((f"{where}.{test}", value, ()))
    return found


def meaning(params: dict, kind: Kind) -> Iterator[tuple[str, str]]:
    """Comparisons of columns of one type (ordered ones for lt/le/gt/ge); `in` values an enum column allows."""
    for where, pred in _predicates(params):
        mine = kind.columns[pred["column"]]
        for test in [t for t in pred if t in COMPARISONS or t == "same_as"]:
            theirs = kind.columns[pred[test]]
            if test == "same_as":
                if mine.type not in TEXTUAL or theirs.type not in TEXTUAL:
                    yield f"{where}.same_as", f"same_as compares text: {mine.key} is {mine.type}, " \
                                              f"{theirs.key} is {theirs.type}"
            elif mine.type != theirs.type:
                yield f"{where}.{test}", f"{mine.key} ({mine.type}) cannot be compared with " \
                                         f"{theirs.key} ({theirs.type})"
            elif test not in ("eq", "ne") and mine.type not in ORDERED:
                yield f"{where}.{test}", f"{test} needs dates or numbers; {mine.key} is {mine.type}"
        for test in ("in", "not_in"):
            if test in pred and mine.type == "enum" and mine.values:
                unknown = [v for v in pred[test] if v not in mine.values]
                if unknown:
                    yield f"{where}.{test}", f"{unknown[0]!r} is not a value of {mine.key} " \
                                             f"({'、'.join(mine.values)})"


def _needed(pred: dict) -> list[str]:
    """Columns a predicate reads; of alternatives (`any`), only those present are needed unless none is."""
    if "any" in pred:
        return [c for p in pred["any"] for c in _needed(p)]
    other = [v for k, v in pred.items() if k in COMPARISONS or k == "same_as"]
    return [pred["column"], *other]


def evaluate(sheet: SheetData, pred: dict, ctx: Context) -> tuple[pd.Series, pd.Series]:
    """(holds, known) masks over the sheet's rows."""
    if "any" in pred:  # alternatives: holds where one known alternative holds (absent columns are skipped)
        results = [evaluate(sheet, p, ctx) for p in pred["any"] if p["column"] in sheet.columns]
        holds = pd.concat([h & k for h, k in results], axis=1).any(axis=1)
        return holds, pd.concat([k for _, k in results], axis=1).any(axis=1)
    known = pd.Series(True, index=sheet.rows)
    if pred["column"] not in sheet.columns:  # absent_as_empty: the column reads as empty
        values = pd.Series(None, index=sheet.rows, dtype=object)
    else:
        values = sheet.values(pred["column"])
    if "within_days_before_as_of" in pred:  # on or after as-of minus N days; empty is not
        since = ctx.as_of - dt.timedelta(days=pred["within_days_before_as_of"])
        dates = pd.to_datetime(values, errors="coerce")
        return (dates >= pd.Timestamp(since)).fillna(False).astype(bool), known
    if "present" in pred:
        return values.notna() == pred["present"], known
    if "in" in pred:
        return values.isin(pred["in"]), known
    if "not_in" in pred:
        return ~values.isin(pred["not_in"]), known
    if "same_as" in pred:
        mine, theirs = normalised(values), normalised(sheet.values(pred["same_as"]))
        known = mine.notna() & theirs.notna()
        return (mine == theirs) & known, known
    (test, other), = ((k, v) for k, v in pred.items() if k in COMPARISONS)
    theirs = sheet.values(other)
    known = values.notna() & theirs.notna()
    holds = pd.Series(False, index=sheet.rows)
    if known.any():
        holds[known] = COMPARISONS[test](values[known].to_numpy(), theirs[known].to_numpy())
    return holds, known


def _absent(sheet: SheetData, pred: dict) -> list[str]:
    """Columns a predicate needs that the sheet lacks (alternatives: only when every one is missing)."""
    if pred.get("absent_as_empty"):
        return []
    missing = [c for c in dict.fromkeys(_needed(pred)) if c not in sheet.columns]
    if "any" in pred and len(missing) < len(set(_needed(pred))):
        return []
    return missing


def _target(sheet: SheetData, require: dict) -> str:
    """The column a failed requirement points at: its own, or the first alternative present."""
    if "any" in require:
        return next(p["column"] for p in require["any"] if p["column"] in sheet.columns)
    return require["column"]


def condition(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    params = rule.params
    when = params.get("when", [])
    parts = params.get("parts") or [{"require": params["require"]}]
    for part in parts:
        require = part["require"]
        absent = list(dict.fromkeys(c for p in [*when, require] for c in _absent(sheet, p)))
        if absent:
            yield from _not_evaluated(sheet, rule, ctx, when, absent)
            continue
        applies = pd.Series(True, index=sheet.rows)
        for column in dict.fromkeys(c for p in [*when, require] for c in _needed(p)):
            if column in sheet.columns:
                applies &= ~sheet.input_problem(column)
        for pred in when:
            holds, known = evaluate(sheet, pred, ctx)
            applies &= holds & known
        holds, known = evaluate(sheet, require, ctx)
        failed = applies & known & ~holds
        if not failed.any():
            continue
        lowered = None
        lower = params.get("lower_when")
        if lower and lower["column"] in sheet.columns:
            lowered = evaluate(sheet, lower, ctx)[0][failed]
        yield Hit(rows=sheet.rows[failed.to_numpy()], column=_target(sheet, require), lowered=lowered,
                  subject=part.get("subject"), fields={"label": part.get("label", "")})


def _not_evaluated(sheet: SheetData, rule: Rule, ctx: Context, when: list[dict], absent: list[str]
                   ) -> Iterator[Hit]:
    """A needed column is missing: report once on the header row — a sheet cannot pass by deleting it.

    `if_absent: skip_optional`: a missing column the kind does not require is not reported (the template calls it
    optional, so its absence is no defect); the rule does not run on the sheet.
    """
    if_absent = rule.params.get("if_absent")
    if if_absent == "skip" or sheet.rows.empty:
        return
    if if_absent == "skip_optional" and any(not sheet.kind.columns[c].required for c in absent):
        return
    if not any(_absent(sheet, p) for p in when):
        applies = pd.Series(True, index=sheet.rows)
        for pred in when:
            holds, known = evaluate(sheet, pred, ctx)
            applies &= holds & known
        if not applies.any():
            return
    absent = unreported_missing(sheet, ctx, absent)  # one missing column, one finding: TZ003's
    if absent:
        yield Hit(
            subject=absent[0],
            reason="not_evaluated",
            fields={"missing": "、".join(sheet.kind.columns[c].header for c in absent)},
        )
