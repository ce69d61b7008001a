"""The one serialisation boundary: a Report as plain records (the JSON report contract)."""

from __future__ import annotations

import json
from typing import Any

import orjson

from tongzhou_check.model import FindingTable, Report

SCHEMA_VERSION = 1


def dump_bytes(doc: Any) -> bytes:
    """A document as indented JSON in UTF-8, exactly as `json.dumps(doc, ensure_ascii=False, indent=2)` writes it,
    fast. What orjson refuses the standard library writes: an integer past 64 bits, or a lone surrogate (from a
    damaged cell), which UTF-8 cannot hold and is written as its JSON escape `\\udXXX`."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except (TypeError, orjson.JSONEncodeError):
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8", "backslashreplace")


def dumps(doc: Any) -> str:
    """dump_bytes as text."""
    return dump_bytes(doc).decode("utf-8")


def finding_records(t: FindingTable, lang: str) -> list[dict[str, Any]]:
    """The findings as records, made from the table's columns (the message in one language); a dict display per
    record, the fastest way CPython builds them."""
    suppressed = [{"by": s.by, "reason": s.text(lang)} if s else None for s in t.column("suppressed").tolist()]
    columns = (t.column("rule"), t.column("name"), t.severity_names(), t.column("file"), t.column("sheet"),
               t.column("row"), t.column("column"), t.cells(), t.column("header"), t.messages(lang),
               t.column("clause"), t.column("evidence"), t.column("subject"), suppressed)
    return [
        {"rule": rule, "name": name, "severity": severity, "file": file, "sheet": sheet, "row": row, "column": column,
         "cell": cell, "header": header, "message": message, "clause": clause, "evidence": evidence,
         "subject": subject, "suppressed": suppression}
        for rule, name, severity, file, sheet, row, column, cell, header, message, clause, evidence, subject,
        suppression in zip(*(c if isinstance(c, list) else c.tolist() for c in columns), strict=True)
    ]


def as_records(report: Report, lang: str = "zh") -> dict[str, Any]:
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
                "sheets": [
                    {"name": s.name, "kind": s.kind, "header_row": s.header_row, "rows": s.rows, "hidden": s.hidden}
                    for s in f.sheets
                ],
            }
            for f in report.files
        ],
        "findings": finding_records(report.findings, lang),
        "summary": report.summary(),
        "baseline": {
            "file": report.baseline_file,
            "unmatched": [json.loads(e) for e in report.baseline_unmatched],
        } if report.baseline_file else None,
    }
