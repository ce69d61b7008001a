"""`--format json`: the report contract of spec/product.md, validated by schemas/report.schema.json."""

from __future__ import annotations

from tongzhou_check.formats.records import as_records, dumps
from tongzhou_check.model import Report


def render(report: Report, lang: str) -> str:
    return dumps(as_records(report, lang))
