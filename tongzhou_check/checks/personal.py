"""TZ402: personal information published without de-identification, in every `published` text column."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import ROW, ColumnUse, Context, Hit
from tongzhou_check.packtypes import Rule
from tongzhou_check.privacy import KINDS, scan
from tongzhou_check.reader.sheet import SheetData

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "exempt": {
            "type": "object",
            "required": ["column", "in"],
            "additionalProperties": False,
            "description": "rows the plan exempts (惩戒性公示公告, 强制性信息披露): counted, not reported",
            "properties": {"column": {"type": "string"}, "in": {"type": "array", "items": {"type": "string"}}},
        },
        "partial": {"enum": ["warning", "error"], "description": "severity of an insufficiently masked ID"},
    },
}
FIELDS = ROW | {"pi", "evidence"}


def columns(params: dict) -> list[ColumnUse]:
    return [("exempt.column", params["exempt"]["column"], ())] if "exempt" in params else []


def personal_info(sheet: SheetData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    exempt_rule = rule.params.get("exempt")
    exempt = pd.Series(False, index=sheet.rows)
    if exempt_rule and exempt_rule["column"] in sheet.columns:
        exempt = sheet.values(exempt_rule["column"]).isin(exempt_rule["in"])
    lower_partial = rule.params.get("partial", "warning") == "warning"
    for column in sheet.kind.published:
        if column not in sheet.columns:
            continue
        found = scan(sheet.values(column), ctx.as_of)
        for kind, group in found.groupby("kind", sort=False):
            rows = pd.Index(group.index)
            yield Hit(
                rows=rows,
                column=column,
                subject=str(kind),
                fields={"pi": KINDS[str(kind)], "evidence": group["evidence"]},
                lowered=pd.Series(kind == "resident_id_partial" and lower_partial, index=rows),
                exempt=exempt.loc[rows],
            )
