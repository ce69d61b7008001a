"""`--format html`: one self-contained page — the summary, then a table of findings per file (the appendix's HTML).

The title names the agencies and the year audited; rows are coloured by severity (waived and baselined ones grey);
the short columns (cell, rule, severity, clause) never wrap; a file without findings says so instead of showing an
empty table.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from tongzhou_check.formats.markdown import fields
from tongzhou_check.formats.records import as_records
from tongzhou_check.grids import Document, Table
from tongzhou_check.grids.html import render as render_page
from tongzhou_check.labels import LABELS, period_text, summary_text
from tongzhou_check.labels import REPORT_TEXT as TEXT
from tongzhou_check.masking import mask
from tongzhou_check.model import Finding, Report

COLUMNS = ("short", "short", "short severity", "short", "wide")  # cell, rule, severity, clause, problem
AGENCIES = 3  # agencies the title names; more are counted


def _row_class(f: Finding) -> str:
    return "suppressed" if f.suppressed else f.severity.name


def title(records: dict[str, Any], lang: str) -> str:
    """`tzcheck 检查报告:区民政局 · 2018年度`: the report's title with the agencies and years of its files."""
    text = TEXT[lang]
    agencies = list(dict.fromkeys(mask(f["agency"]["name"]) for f in records["files"]
                                  if f["agency"] and f["agency"]["name"]))
    years = sorted({f["period"]["year"] for f in records["files"] if f["period"]})
    parts = []
    if agencies:
        parts.append(text["sep"].join(agencies) if len(agencies) <= AGENCIES else
                     text["agencies"].format(first=text["sep"].join(agencies[:AGENCIES]), count=len(agencies),
                                             others=len(agencies) - AGENCIES))
    if years:
        parts.append("、".join(text["year"].format(year=year) for year in years))
    return text["title"] + (text["of"] + " · ".join(parts) if parts else "")


def render(report: Report, lang: str) -> str:
    labels, text = LABELS[lang], TEXT[lang]
    records = as_records(report, lang)
    pack = records["rule_pack"]
    context = text["context"].format(as_of=records["as_of"], pack=pack["id"], version=pack["version"],
                                     tool=records["tool"]["version"])
    by_file = {index: list(group) for index, group in groupby(report.findings, key=lambda f: f.file_index)}
    tables = []
    for index, file in enumerate(records["files"]):
        status = f"({labels['unreadable']})" if file["status"] == "unreadable" else ""
        findings = by_file.get(index, [])
        tables.append(Table(
            sheet=str(index + 1), title=f"{labels['file']}:{mask(file['path'])}{status}",
            grid=(text["headers"], *(fields(f, lang) for f in findings)), header_rows=1, formats=("text",) * 5,
            notes=(period_text(file["period"], lang),) if file["period"] else (),
            column_classes=COLUMNS, row_classes=tuple(_row_class(f) for f in findings), empty=labels["no_findings"],
        ))
    summary = summary_text(records["summary"], lang, baseline=report.baseline_file is not None)
    meta = (("", context), ("", summary))
    return render_page(Document(title=title(records, lang), tables=tuple(tables), meta=meta, lang=lang))
