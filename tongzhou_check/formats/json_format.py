"""`--format json`: the report contract of spec/product.md, validated by schemas/report.schema.json."""

from __future__ import annotations

import io
from typing import BinaryIO

from tongzhou_check.formats.jsontext import Streamed
from tongzhou_check.formats.records import as_records, finding_items
from tongzhou_check.model import Report


def write(report: Report, lang: str, out: BinaryIO) -> None:
    """The report as UTF-8 JSON, its findings serialised a chunk at a time."""
    document = Streamed()
    document.write(as_records(report, lang, findings=document.array(finding_items(report.findings, lang))), out)


def render_bytes(report: Report, lang: str) -> bytes:
    buffer = io.BytesIO()
    write(report, lang, buffer)
    return buffer.getvalue()


def render(report: Report, lang: str) -> str:
    return render_bytes(report, lang).decode("utf-8")
