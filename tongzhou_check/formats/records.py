"""The one serialisation boundary: a Report as plain records (the JSON report contract)."""

from __future__ import annotations

import json
from typing import Any

import orjson

from tongzhou_check.model import Finding, Report

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


def finding_record(f: Finding, lang: str) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "name": f.name,
        "severity": f.severity.name,
        "file": f.file,
        "sheet": f.sheet,
        "row": f.row,
        "column": f.column,
        "cell": f.cell,
        "header": f.header,
        "message": f.message(lang),
        "clause": f.clause,
        "evidence": f.evidence,
        "subject": f.subject,
        "suppressed": {"by": f.suppressed.by, "reason": f.suppressed.text(lang)} if f.suppressed else None,
    }


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
        "findings": [finding_record(f, lang) for f in report.findings],
        "summary": report.summary(),
        "baseline": {
            "file": report.baseline_file,
            "unmatched": [json.loads(e) for e in report.baseline_unmatched],
        } if report.baseline_file else None,
    }
