"""`--format json`: the report contract of spec/product.md, validated by schemas/report.schema.json."""

from __future__ import annotations

import json

from tongzhou_check.formats.records import as_records
from tongzhou_check.model import Report


def render(report: Report, lang: str) -> str:
    return json.dumps(as_records(report, lang), ensure_ascii=False, indent=2) + "\n"
