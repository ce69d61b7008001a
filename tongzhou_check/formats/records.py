"""The one serialisation boundary: a Report as plain records (the JSON report contract)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import orjson

from tongzhou_check.model import FindingTable, Period, Report

SCHEMA_VERSION = 1
CHUNK = 10_000  # records serialised at a time when a document is streamed


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


Chunks = Callable[[], Iterator[list[Any]]]  # the items of one array of a document, a list at a time


class Streamed:
    """A document whose large arrays are written a chunk at a time: bytes identical to dump_bytes of the whole
    document, with the memory of one chunk. `array(chunks)` is a placeholder that stands in the document for an
    array; `write(doc, out)` writes the document with each array's items in its place.
    """

    def __init__(self) -> None:
        self._arrays: dict[bytes, Chunks] = {}

    def array(self, chunks: Chunks) -> str:
        marker = f"\x00{secrets.token_hex(16)}\x00"  # no text of the document can hold it by chance
        self._arrays[dump_bytes(marker).rstrip(b"\n")] = chunks
        return marker

    def write(self, doc: Any, out: BinaryIO) -> None:
        rest = dump_bytes(doc)
        for marker, chunks in self._arrays.items():
            head, rest = rest.split(marker, 1)
            out.write(head)
            line = head[head.rfind(b"\n") + 1:]
            _write_array(chunks(), b" " * (len(line) - len(line.lstrip(b" "))), out)
        out.write(rest)


def _write_array(chunks: Iterator[list[Any]], pad: bytes, out: BinaryIO) -> None:
    """Items as the array an indented dump writes on a line indented by `pad`: each chunk dumped alone, its lines
    moved right (a JSON string never holds a raw line break, so every b"\\n" is one between lines)."""
    started = False
    for chunk in chunks:
        if not chunk:
            continue
        body = dump_bytes(chunk)[2:-3]  # without "[\n" and "\n]\n"
        out.write((b",\n" if started else b"[\n") + pad + body.replace(b"\n", b"\n" + pad))
        started = True
    out.write(b"\n" + pad + b"]" if started else b"[]")


def finding_records(t: FindingTable, lang: str, part: slice = slice(None)) -> list[dict[str, Any]]:
    """The findings (a part of them) as records, made from the table's columns (the message in one language); a
    dict display per record, the fastest way CPython builds them."""
    suppressed = [{"by": s.by, "reason": s.text(lang)} if s else None for s in t.column("suppressed")[part].tolist()]
    cells = [f"{c}{r}" if c and r else None
             for c, r in zip(t.column("column")[part].tolist(), t.column("row")[part].tolist(), strict=True)]
    columns = [t.column("rule"), t.column("name"), t.severity_names(), t.column("file"), t.column("sheet"),
               t.column("row"), t.column("column"), None, t.column("header"), t.messages(lang),
               t.column("clause"), t.column("evidence"), t.column("subject")]
    columns = [*(cells if c is None else c[part] for c in columns), suppressed]
    return [
        {"rule": rule, "name": name, "severity": severity, "file": file, "sheet": sheet, "row": row, "column": column,
         "cell": cell, "header": header, "message": message, "clause": clause, "evidence": evidence,
         "subject": subject, "suppressed": suppression}
        for rule, name, severity, file, sheet, row, column, cell, header, message, clause, evidence, subject,
        suppression in zip(*(c if isinstance(c, list) else c.tolist() for c in columns), strict=True)
    ]


def finding_chunks(t: FindingTable, lang: str) -> Chunks:
    """The findings' records, CHUNK at a time."""
    return lambda: (finding_records(t, lang, slice(i, i + CHUNK)) for i in range(0, len(t), CHUNK))


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
