"""`--format markdown`: a report to paste into a pull-request comment — summary, then a table per file and sheet."""

from __future__ import annotations

import re
from itertools import groupby

from tongzhou_check.formats.records import as_records
from tongzhou_check.labels import LABELS, period_text, severity_label, summary_text
from tongzhou_check.labels import REPORT_TEXT as TEXT
from tongzhou_check.masking import mask
from tongzhou_check.model import Finding, Report

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")  # Markdown punctuation that could format or split a cell


def cell(text: str) -> str:
    """Text safe inside a table cell: punctuation escaped, line breaks as <br>."""
    escaped = _SPECIAL.sub(r"\\\1", text.strip())
    return re.sub(r"\r\n|\r|\n", "<br>", escaped)


def code(text: str) -> str:
    """A code span that survives backticks in the text."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fields(f: Finding, lang: str) -> tuple[str, str, str, str, str]:
    """A finding as a row of a report table: where, rule, severity (or 已豁免, 基线), clause, problem (+ why
    suppressed: the waiver's reason, or that the baseline records it)."""
    labels, text = LABELS[lang], TEXT[lang]
    where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or labels["file_level"])
    problem = f.message(lang)
    if f.suppressed:
        reason = mask(f.suppressed.text(lang)) or ""
        problem += "(" + (reason if f.suppressed.by == "baseline" else text["reason"].format(reason=reason)) + ")"
    return where, f"{f.rule} {f.name}", severity_label(f, lang), f.clause, problem


def _row(f: Finding, lang: str) -> str:
    return "| " + " | ".join(cell(value) for value in fields(f, lang)) + " |"


def render(report: Report, lang: str) -> str:
    labels, text = LABELS[lang], TEXT[lang]
    records = as_records(report, lang)
    pack = records["rule_pack"]
    lines = [
        f"## {text['title']}",
        "",
        text["context"].format(as_of=records["as_of"], pack=pack["id"], version=pack["version"],
                               tool=records["tool"]["version"]),
        "",
        f"**{summary_text(records['summary'], lang, baseline=report.baseline_file is not None)}**",
    ]
    by_file = {index: list(group) for index, group in groupby(report.findings, key=lambda f: f.file_index)}
    for index, file in enumerate(records["files"]):
        status = f"({labels['unreadable']})" if file["status"] == "unreadable" else ""
        lines += ["", f"### {labels['file']}:{code(file['path'])}{status}"]
        if file["period"]:
            lines += ["", cell(period_text(file["period"], lang))]
        findings = by_file.get(index, [])
        if not findings:
            lines += ["", labels["no_findings"]]
            continue
        for sheet, group in groupby(findings, key=lambda f: f.sheet):
            lines += ["", f"#### {cell(sheet) if sheet else labels['file_level']}", "",
                      "| " + " | ".join(text["headers"]) + " |", "|" + " --- |" * len(text["headers"])]
            lines += [_row(f, lang) for f in group]
    return "\n".join(lines) + "\n"
