"""TZ120/TZ121: does an agency's catalogue list the disclosures the plan assigned to it?"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tongzhou_check.checks.base import FILE, LABEL_SCHEMA, SHEET, ColumnUse, Context, Hit, Workbook
from tongzhou_check.dutymap import Duty
from tongzhou_check.packtypes import Rule
from tongzhou_check.reader.sheet import SheetData

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text", "uncertain"],
    "properties": {
        "text": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                 "description": "the columns of the rule's kind (the catalogue) matched, joined with |"},
        "uncertain": {**LABEL_SCHEMA, "description": "added to a finding all of whose duties are uncertain (info)"},
    },
}
# reported on the catalogue's header row, one finding per plan sentence: its duties' ids are the subject
FIELDS = SHEET | {"sentence", "items", "agency", "note"}
REASONS = {"duties_unchecked": FILE | {"count", "agency"}}  # no catalogue sheet at all: info
UNKNOWN_FIELDS = FILE | {"file"}


def columns(params: dict) -> list[ColumnUse]:
    return [(f"text[{i}]", col, ()) for i, col in enumerate(params.get("text", []))]


def _record_text(sheet: SheetData, columns: list[str]) -> pd.Series:
    parts = [sheet.values(c).fillna("").astype(str) for c in columns if c in sheet.columns]
    if not parts:
        return pd.Series("", index=sheet.rows)
    text = parts[0]
    for part in parts[1:]:
        text = text + "|" + part
    return text


def plan_duties(book: Workbook, rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Each duty the plan assigns to the workbook's agency is listed by some catalogue record."""
    duty_map = ctx.pack.duty_map
    if duty_map is None or book.error is not None or book.agency is None:
        return
    duties = [(d, uncertain) for d, uncertain in duty_map.duties_of(book.agency.id) if d.checked]
    if not duties:
        return
    sheets = [s for s in book.sheets if s.kind.key == rule.kind]
    agency = duty_map.agencies[book.agency.id]
    if not sheets:  # a log-only workbook: nothing to match, said once, never failing a warning gate
        yield Hit(reason="duties_unchecked", fields={"count": len(duties), "agency": agency.short}, lowered=True)
        return
    texts = pd.concat([_record_text(s, rule.params["text"]) for s in sheets], ignore_index=True)
    covered = duty_map.covered(texts, [d for d, _ in duties if not d.by_workbook])
    missing = [(d, uncertain) for d, uncertain in duties if not d.by_workbook and d.id not in covered]
    for group in _by_sentence(missing):
        uncertain = all(u for _, u in group)
        yield Hit(
            at=sheets[0],
            subject=",".join(d.id for d, _ in group),
            clause=group[0][0].clause,
            lowered=uncertain,
            fields={"sentence": group[0][0].sentence, "agency": agency.short,
                    "items": "、".join(dict.fromkeys(d.item for d, _ in group)),  # the plan's words, each once
                    "note": rule.params["uncertain"] if uncertain else ""},
        )


def _by_sentence(duties: list[tuple[Duty, bool]]) -> list[list[tuple[Duty, bool]]]:
    """The duties of each plan sentence, in the order of their first duty."""
    groups: dict[str, list[tuple[Duty, bool]]] = {}
    for duty, uncertain in duties:
        groups.setdefault(duty.sentence, []).append((duty, uncertain))
    return list(groups.values())


def agency_unknown(book: Workbook, rule: Rule, ctx: Context) -> Iterator[Hit]:
    if ctx.pack.duty_map is not None and book.error is None and book.agency is None:
        yield Hit(fields={"file": book.path.name})
