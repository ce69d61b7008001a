"""`--format concise`: one line per finding — `文件:工作表!D7: TZ201 错误 消息 [slug 条款]` — like ruff's `concise`
and yamllint's `parsable`; the default when stdout is not a terminal (CI logs, pipes).

Like the table it is for a person: at most `report.table_limit` findings a sheet, then a line counting the rest;
a file's baselined findings are one line counting them (listed with --show-suppressed), the baseline's entries that
match nothing any more another.
It ends with the year and as-of used, the counts per rule (--statistics) and the summary line.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from tongzhou_check.formats.baseline_lines import baselined, elsewhere_line, folded_line, folds, stale, stale_line
from tongzhou_check.formats.summary import period_lines, statistics_lines, summary_line
from tongzhou_check.labels import LABELS, severity_label
from tongzhou_check.model import Finding, Report


def line(f: Finding, lang: str) -> str:
    """One finding: where (file, sheet, cell), rule, severity (or 已豁免, 基线), message, slug and clause."""
    where = f.file + (f":{f.sheet}" if f.sheet else "") + (f"!{f.cell}" if f.cell else "")
    severity = severity_label(f, lang)
    message = " ".join(f.message(lang).split())  # a message never breaks the one line
    return f"{where}: {f.rule} {severity} {message} [{f.name} {f.clause}]"


def _more(f: Finding, rest: list[str], lang: str) -> str:
    text = LABELS[lang]
    counts = sorted(Counter(rest).items())
    rules = text["more_sep"].join(text["more_rule"].format(rule=rule, count=n) for rule, n in counts)
    return f"{f.file}:{f.sheet}: " + text["more"].format(count=len(rest), rules=rules)


def render(report: Report, lang: str) -> str:
    lines: list[str] = []
    findings = report.findings
    rules = findings.column("rule").tolist()
    files, sheets = findings.column("file_index").tolist(), findings.column("sheet").tolist()
    names = findings.column("file").tolist()
    folded = baselined(findings) if folds(report) else [False] * len(findings)
    for _, in_file in groupby(range(len(findings)), key=lambda p: files[p]):
        hidden: list[int] = []  # the file's baselined findings, counted in one line
        for _, in_sheet in groupby(in_file, key=lambda p: sheets[p]):
            positions = []
            for position in in_sheet:
                (hidden if folded[position] else positions).append(position)
            if not positions:
                continue
            shown = positions if report.table_limit is None else positions[: report.table_limit]
            rows = findings.take(shown)
            lines += [line(f, lang) for f in rows]
            if len(shown) < len(positions):
                lines.append(_more(rows[-1], [rules[p] for p in positions[len(shown):]], lang))
        if hidden:
            lines.append(f"{names[hidden[0]]}: " + folded_line(len(hidden), lang))
    outdated = stale(report)
    for index, result in enumerate(report.files):
        if index in outdated.by_file:
            lines.append(f"{result.path}: " + stale_line(outdated.by_file[index], lang))
    if outdated.elsewhere:
        lines.append(elsewhere_line(outdated.elsewhere, lang))
    lines += period_lines(report, lang)
    if report.statistics:
        lines += statistics_lines(report, lang)
    lines.append(summary_line(report, lang))
    return "\n".join(lines) + "\n"
