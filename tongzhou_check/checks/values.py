"""Cell-value input checks: required values missing, unreadable dates and numbers, values not allowed."""

from __future__ import annotations

from collections.abc import Iterator

from tongzhou_check.checks.base import Context, Hit
from tongzhou_check.pack import Rule
from tongzhou_check.sheet import SheetData

TYPES = {"date": ("date",), "int": ("int",), "enum": ("enum", "multi_enum")}
INVALID_PARAMS = {
    "type": "object",
    "required": ["type"],
    "additionalProperties": False,
    "properties": {"type": {"enum": list(TYPES)}},
}


def missing_value(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    for key in sheet.columns:
        if sheet.kind.columns[key].required:
            parsed = sheet.parsed[key]
            empty = parsed.values.isna() & ~parsed.invalid
            if empty.any():
                yield Hit(rows=sheet.rows[empty.to_numpy()], column=key)


def invalid_value(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    types = TYPES[rule.params["type"]]
    for key in sheet.columns:
        column = sheet.kind.columns[key]
        if column.type not in types:
            continue
        bad = sheet.parsed[key].invalid
        if key in sheet.continuation:  # a merged value is reported once, at its top-left cell
            bad = bad & ~sheet.continuation[key]
        if bad.any():
            yield Hit(rows=sheet.rows[bad.to_numpy()], column=key, fields={"allowed": "、".join(column.values)})
