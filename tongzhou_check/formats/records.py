"""The one serialisation boundary: a Report as plain records (the JSON report contract)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from tongzhou_check.formats.jsontext import Items, objects, texts
from tongzhou_check.model import FindingTable, Period, Report

SCHEMA_VERSION = 1
CHUNK = 10_000  # records serialised at a time when a document is streamed


FINDING_FIELDS = ("rule", "name", "severity", "file", "sheet", "row", "column", "cell", "header", "message", "clause",
                  "evidence", "subject", "suppressed")  # a finding record's members, in this order


def finding_columns(t: FindingTable, lang: str, part: slice = slice(None)) -> list[list[Any]]:
    """The values of a part of the findings' records, one list per member of FINDING_FIELDS."""
    suppressed = [{"by": s.by, "reason": s.text(lang)} if s else None for s in t.column("suppressed")[part].tolist()]
    rows = t.column("row")[part].tolist()
    cells = [f"{c}{r}" if c and r else None for c, r in zip(t.column("column")[part].tolist(), rows, strict=True)]
    columns = [t.column("rule"), t.column("name"), t.severity_names(), t.column("file"), t.column("sheet"), rows,
               t.column("column"), cells, t.column("header"), t.messages_of(lang, part).tolist(), t.column("clause"),
               t.column("evidence"), t.column("subject"), suppressed]
    return [c if isinstance(c, list) else c[part].tolist() for c in columns]


def finding_records(t: FindingTable, lang: str, part: slice = slice(None)) -> list[dict[str, Any]]:
    """The findings (a part of them) as records, made from the table's columns (the message in one language)."""
    return [dict(zip(FINDING_FIELDS, row, strict=True)) for row in zip(*finding_columns(t, lang, part), strict=True)]


def finding_chunks(t: FindingTable, lang: str) -> Callable[[], Iterator[list[dict[str, Any]]]]:
    """The findings' records, CHUNK at a time."""
    return lambda: (finding_records(t, lang, slice(i, i + CHUNK)) for i in range(0, len(t), CHUNK))


def _record(*values: Any) -> dict[str, Any]:
    return dict(zip(FINDING_FIELDS, values, strict=True))


def finding_items(t: FindingTable, lang: str) -> Items:
    """The findings' records as JSON array items, CHUNK at a time, written from the columns (no dict a record)."""
    def run(i: int, indent: bytes) -> bytes:
        columns = finding_columns(t, lang, slice(i * CHUNK, (i + 1) * CHUNK))
        return objects(_record, [texts(c) for c in columns], indent)
    return Items(-(-len(t) // CHUNK), run)


def period_record(period: Period | None) -> dict[str, Any] | None:
    """The year and as-of a file was audited at, and where each came from."""
    if period is None:
        return None
    return {"year": period.year, "as_of": period.as_of.isoformat(), "year_from": period.year_from,
            "as_of_from": period.as_of_from, "detail": period.detail}


def as_records(report: Report, lang: str = "zh", findings: Any = None) -> dict[str, Any]:
    """The report contract as plain records; `findings` stands in for the findings' records when given (a
    Streamed document's placeholder)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "tzcheck", "version": report.tool_version},
        "rule_pack": {"id": report.pack_id, "version": report.pack_version, "sha256": report.pack_sha256},
        "calendar": {
            "source": report.calendar_source,
            "covers": list(report.calendar_covers) if report.calendar_covers else None,
            "missing_years": list(report.calendar_missing_years),
        },
        "as_of": report.as_of,
        "files": [
            {
                "path": f.path,
                "sha256": f.sha256,
                "status": f.status,
                "agency": dict(zip(("id", "name", "from"), f.agency, strict=True)) if f.agency else None,
                "period": period_record(f.period),
                "sheets": [
                    {"name": s.name, "kind": s.kind, "header_row": s.header_row, "rows": s.rows, "hidden": s.hidden}
                    | ({"unused_columns": [{"column": c, "header": h} for c, h in s.unused]} if s.unused else {})
                    for s in f.sheets
                ],
            }
            for f in report.files
        ],
        "findings": finding_records(report.findings, lang) if findings is None else findings,
        "summary": report.summary(),
        "baseline": {
            "file": report.baseline_file,
            "unmatched": [json.loads(e) for e in report.baseline_unmatched],
        } if report.baseline_file else None,
    }
