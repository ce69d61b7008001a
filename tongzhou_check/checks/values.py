"""Cell-value input checks: required values missing, unreadable dates and numbers, values not allowed."""

from __future__ import annotations

from collections.abc import Iterator

from tongzhou_check.checks.base import Context, Hit
from tongzhou_check.packtypes import Column, Rule
from tongzhou_check.reader.parse import month_only, number
from tongzhou_check.reader.sheet import SheetData

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
        parsed = sheet.parsed[key]
        bad = parsed.invalid
        if key in sheet.continuation:  # a merged value is reported once, at its top-left cell
            bad = bad & ~sheet.continuation[key]
        if not bad.any():
            continue
        if column.type == "date":  # a month alone is not a day: say so
            month = bad.copy()
            month[bad] = parsed.raw[bad].map(month_only).to_numpy(dtype=bool)
            if month.any():
                yield Hit(rows=sheet.rows[month.to_numpy()], column=key, reason="month_only")
                bad = bad & ~month
            if not bad.any():
                continue
        if column.type == "int":  # a whole number past what the column can mean says so
            huge = bad.copy()
            huge[bad] = parsed.raw[bad].map(lambda v: number(v) is not None).to_numpy(dtype=bool)
            if huge.any():
                yield Hit(rows=sheet.rows[huge.to_numpy()], column=key, fields={"max": column.max},
                          reason="out_of_range")
                bad = bad & ~huge
            if not bad.any():
                continue
        yield Hit(rows=sheet.rows[bad.to_numpy()], column=key, fields={"allowed": allowed(column)})


def allowed(column: Column) -> str | dict[str, str]:
    """The allowed values as a message lists them; a two-level list names its plain values and groups."""
    if not column.tree:
        return "、".join(column.values)
    plain = "、".join(g for g, leaves in column.tree if not leaves)
    groups = "、".join(g for g, leaves in column.tree if leaves)
    example = next(f"{g}/{leaves[0]}" for g, leaves in column.tree if leaves)
    return {
        "zh": f"{plain},或“类别/子项”(类别:{groups};子项按年度报告表三,如“{example}”)",
        "en": f"{plain}, or “group/item” (groups: {groups}; items as in Table 三 of the annual report, "
              f"e.g. “{example}”)",
    }
