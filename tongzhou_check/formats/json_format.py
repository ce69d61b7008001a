"""`--format json`: the report contract of spec/product.md, validated by schemas/report.schema.json."""

from __future__ import annotations

from tongzhou_check.formats.records import as_records, dump_bytes
from tongzhou_check.model import Report


def render_bytes(report: Report, lang: str) -> bytes:
    """The report as UTF-8 bytes, as they are written (no text copy of a large report)."""
    return dump_bytes(as_records(report, lang))


def render(report: Report, lang: str) -> str:
    return render_bytes(report, lang).decode("utf-8")
