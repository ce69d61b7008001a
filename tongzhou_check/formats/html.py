"""`--format html`: one self-contained page — the summary, then a table of findings per file (the appendix's HTML)."""

from __future__ import annotations

from itertools import groupby

from tongzhou_check.formats.markdown import fields
from tongzhou_check.formats.records import as_records
from tongzhou_check.grids import Document, Table
from tongzhou_check.grids.html import render as render_page
from tongzhou_check.labels import LABELS, period_text
from tongzhou_check.labels import REPORT_TEXT as TEXT
from tongzhou_check.masking import mask
from tongzhou_check.model import Report


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
            notes=(*((period_text(file["period"], lang),) if file["period"] else ()),
                   *(() if findings else (labels["no_findings"],))),
        ))
    summary = labels["summary"].format(**records["summary"])
    meta = (("", context), ("", summary))
    return render_page(Document(title=text["title"], tables=tuple(tables), meta=meta, lang=lang))
