"""`--format concise`: one line per finding — `文件:工作表!D7: TZ201 错误 消息 [slug 条款]` — like ruff's `concise`
and yamllint's `parsable`; the default when stdout is not a terminal (CI logs, pipes).

Like the table it is for a person: at most `report.table_limit` findings a sheet, then a line counting the rest.
It ends with the year and as-of used, the counts per rule (--statistics) and the summary line.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from tongzhou_check.formats.summary import period_lines, statistics_lines, summary_line
from tongzhou_check.labels import LABELS
from tongzhou_check.model import Finding, Report


def line(f: Finding, lang: str) -> str:
    """One finding: where (file, sheet, cell), rule, severity (or waived), message, slug and clause."""
    text = LABELS[lang]
    where = f.file + (f":{f.sheet}" if f.sheet else "") + (f"!{f.cell}" if f.cell else "")
    severity = text["waived"] if f.suppressed else text[f.severity]
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
    places = zip(findings.column("file_index").tolist(), findings.column("sheet").tolist(), strict=True)
    for _, group in groupby(enumerate(places), key=lambda p: p[1]):
        positions = [position for position, _ in group]
        shown = positions if report.table_limit is None else positions[: report.table_limit]
        rows = findings.take(shown)
        lines += [line(f, lang) for f in rows]
        if len(shown) < len(positions):
            lines.append(_more(rows[-1], [rules[p] for p in positions[len(shown):]], lang))
    lines += period_lines(report, lang)
    if report.statistics:
        lines += statistics_lines(report, lang)
    lines.append(summary_line(report, lang))
    return "\n".join(lines) + "\n"
