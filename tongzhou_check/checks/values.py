"""Cell-value input checks: required values missing, unreadable dates and numbers, values not allowed."""

from __future__ import annotations

from collections.abc import Iterator

from tongzhou_check.checks.base import Context, Hit
from tongzhou_check.packtypes import Column, Rule
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
        bad = sheet.parsed[key].invalid
        if key in sheet.continuation:  # a merged value is reported once, at its top-left cell
            bad = bad & ~sheet.continuation[key]
        if bad.any():
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
