"""Row conditions as data: when the `when` predicates hold, the `require` predicate must hold.

A predicate names a column and one test: present, in, not_in, same_as (text equal after NFKC and
whitespace removal) or a comparison with another column (eq, ne, lt, le, gt, ge). A comparison with an
empty side is unknown: it never triggers `when` and never fails `require`. Rows where an input rule already
reported a column the rule reads are skipped (one defect, one finding).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import Context, Hit
from tongzhou_check.pack import Rule
from tongzhou_check.parse import normalised
from tongzhou_check.sheet import SheetData

COMPARISONS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
               "gt": operator.gt, "ge": operator.ge}
_PREDICATE = {
    "type": "object",
    "required": ["column"],
    "additionalProperties": False,
    "minProperties": 2,
    "maxProperties": 2,
    "properties": {
        "column": {"type": "string"},
        "present": {"type": "boolean"},
        "in": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "not_in": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "same_as": {"type": "string"},
        **{op: {"type": "string"} for op in COMPARISONS},
    },
}
PARAMS = {
    "type": "object",
    "required": ["require"],
    "additionalProperties": False,
    "properties": {
        "when": {"type": "array", "items": _PREDICATE},
        "require": _PREDICATE,
        "lower_when": _PREDICATE,
        "if_absent": {"enum": ["report", "skip"]},
    },
}


def columns(params: dict) -> list[tuple[str, str]]:
    """Every column the params name, with its JSON path (for pack validation)."""
    found = []
    preds = [(f"when[{i}]", p) for i, p in enumerate(params.get("when", []))]
    preds += [(name, params[name]) for name in ("require", "lower_when") if name in params]
    for where, pred in preds:
        for test, value in pred.items():
            if test == "column" or test in COMPARISONS or test == "same_as":
                found.append((f"{where}.{test}", value))
    return found


def _needed(pred: dict) -> list[str]:
    other = [v for k, v in pred.items() if k in COMPARISONS or k == "same_as"]
    return [pred["column"], *other]


def evaluate(sheet: SheetData, pred: dict) -> tuple[pd.Series, pd.Series]:
    """(holds, known) masks over the sheet's rows."""
    values = sheet.values(pred["column"])
    known = pd.Series(True, index=sheet.rows)
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


def condition(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    params = rule.params
    when, require = params.get("when", []), params["require"]
    needed = [c for p in [*when, require] for c in _needed(p)]
    absent = [c for c in dict.fromkeys(needed) if c not in sheet.columns]
    if absent:
        yield from _not_evaluated(sheet, rule, when, absent)
        return
    applies = pd.Series(True, index=sheet.rows)
    for column in dict.fromkeys(needed):
        applies &= ~sheet.input_problem(column)
    for pred in when:
        holds, known = evaluate(sheet, pred)
        applies &= holds & known
    holds, known = evaluate(sheet, require)
    failed = applies & known & ~holds
    if not failed.any():
        return
    lowered = None
    lower = params.get("lower_when")
    if lower and lower["column"] in sheet.columns:
        lowered = evaluate(sheet, lower)[0][failed]
    yield Hit(rows=sheet.rows[failed.to_numpy()], column=require["column"], lowered=lowered)


def _not_evaluated(sheet: SheetData, rule: Rule, when: list[dict], absent: list[str]) -> Iterator[Hit]:
    """A needed column is missing: report once on the header row — a sheet cannot pass by deleting it."""
    if rule.params.get("if_absent") == "skip" or sheet.rows.empty:
        return
    when_columns = [c for p in when for c in _needed(p)]
    if all(c in sheet.columns for c in when_columns):
        applies = pd.Series(True, index=sheet.rows)
        for pred in when:
            holds, known = evaluate(sheet, pred)
            applies &= holds & known
        if not applies.any():
            return
    yield Hit(
        subject=absent[0],
        message="not_evaluated",
        fields={"missing": "、".join(sheet.kind.columns[c].header for c in absent)},
    )
