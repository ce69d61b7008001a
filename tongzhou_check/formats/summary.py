"""The closing lines of the formats a person reads (table, concise): the year and as-of each file was audited
at, the counts per rule (--statistics) and the one-line summary."""

from __future__ import annotations

from collections import Counter

from tongzhou_check.formats.records import period_record
from tongzhou_check.labels import STATISTICS, period_text, summary_text
from tongzhou_check.model import Report


def period_lines(report: Report, lang: str) -> list[str]:
    """One line per distinct year and as-of (with its reason); the file count when several files share it."""
    groups: dict[tuple, list[dict]] = {}
    for result in report.files:
        if result.period is not None:
            record = period_record(result.period)
            key = (record["year"], record["as_of"], record["year_from"], record["as_of_from"])
            groups.setdefault(key, []).append(record)
    lines = []
    for records in groups.values():
        if len(records) == 1:
            lines.append(period_text(records[0], lang))
        else:
            lines.append(period_text(records[0], lang, detail=False)
                         + STATISTICS[lang]["files"].format(count=len(records)))
    return lines


def statistics_lines(report: Report, lang: str) -> list[str]:
    """The active findings counted per rule, most first (ruff's --statistics): count, rule, slug, title."""
    table = report.findings
    active = table.active()
    counts = Counter(rule for rule, on in zip(table.column("rule").tolist(), active.tolist(), strict=True) if on)
    if not counts:
        return []
    docs = {doc.id: doc for doc in report.rule_docs}
    names = dict(zip(table.column("rule").tolist(), table.column("name").tolist(), strict=True))
    width = len(str(max(counts.values())))
    lines = [STATISTICS[lang]["title"]]
    for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        doc = docs.get(rule)
        title = doc.title(lang) if doc else ""
        lines.append(f"{count:>{width}}  {rule}  {doc.slug if doc else names[rule]}  {title}".rstrip())
    return lines


def summary_line(report: Report, lang: str) -> str:
    return summary_text(report.summary(), lang, baseline=report.baseline_file is not None)
