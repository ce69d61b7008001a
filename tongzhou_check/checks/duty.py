"""TZ120/TZ121: does an agency's catalogue list the disclosures the plan assigned to it?"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import Context, Hit, WorkbookData
from tongzhou_check.pack import Rule
from tongzhou_check.sheet import SheetData

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "kind": {"type": "string", "description": "the sheet kind that lists duties (default catalogue)"},
        "text": {"type": "array", "items": {"type": "string"}, "description": "the columns matched, joined with |"},
    },
}


def _record_text(sheet: SheetData, columns: list[str]) -> pd.Series:
    parts = [sheet.values(c).fillna("").astype(str) for c in columns if c in sheet.columns]
    if not parts:
        return pd.Series("", index=sheet.rows)
    text = parts[0]
    for part in parts[1:]:
        text = text + "|" + part
    return text


def plan_duties(book: WorkbookData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Each duty the plan assigns to the workbook's agency is listed by some catalogue record."""
    duty_map = ctx.pack.duty_map
    if duty_map is None or book.error is not None or book.agency is None:
        return
    duties = [(d, uncertain) for d, uncertain in duty_map.duties_of(book.agency.id) if d.checked]
    if not duties:
        return
    kind = rule.params.get("kind", "catalogue")
    sheets = [s for s in book.sheets if s.kind.key == kind]
    agency = duty_map.agencies[book.agency.id]
    if not sheets:
        yield Hit(message="duties_unchecked", fields={"count": len(duties), "agency": agency.short})
        return
    columns = rule.params.get("text", ["item_group", "item", "content"])
    texts = pd.concat([_record_text(s, columns) for s in sheets], ignore_index=True)
    covered = duty_map.covered(texts, [d for d, _ in duties if not d.by_workbook])
    for duty, uncertain in duties:
        if duty.by_workbook or duty.id in covered:
            continue
        yield Hit(
            at=sheets[0],
            subject=duty.id,
            clause=duty.clause,
            lowered=uncertain,
            fields={"duty": duty.id, "text": duty.text, "agency": agency.short,
                    "keywords": "、".join("+".join("/".join(slot) for slot in group) for group in duty.keywords[:2])},
        )


def agency_unknown(book: WorkbookData, rule: Rule, ctx: Context) -> Iterator[Hit]:
    if ctx.pack.duty_map is not None and book.error is None and book.agency is None:
        yield Hit(fields={"file": book.path.name})
