"""`--format table`: findings grouped by file and sheet in rich tables, then a one-line summary.

A table is for a person: at most `report.table_limit` findings a sheet (50; None with --show-all), then one line
counting the rest by rule. Every machine format carries every finding.
"""

from __future__ import annotations

import io
from collections import Counter
from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tongzhou_check.formats.records import period_record
from tongzhou_check.formats.summary import statistics_lines, summary_line
from tongzhou_check.labels import LABELS, period_text
from tongzhou_check.model import Finding, Report, Severity

STYLES = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}


def _table(findings: list[Finding], lang: str, title: str) -> Table:
    text = LABELS[lang]
    table = Table(title=title, title_justify="left", show_lines=False, expand=True)
    table.add_column(text["cell"], no_wrap=True)
    table.add_column(text["rule"], no_wrap=True)
    table.add_column(text["severity"], no_wrap=True)
    table.add_column(text["clause"], no_wrap=True)
    table.add_column(text["message"], ratio=1, overflow="fold")
    for f in findings:
        where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or text["file_level"])
        severity = f"[{STYLES[f.severity]}]{text[f.severity]}[/]"
        if f.suppressed:
            severity = f"[dim]{text['waived']}[/]"
        table.add_row(escape(where), f"{f.rule}\n{f.name}", severity, escape(f.clause), escape(f.message(lang)))
    return table


def _more(rest: list[str], text: dict) -> str:
    """The line that counts, by rule, the findings a table leaves out (`rest`: their rule ids)."""
    counts = sorted(Counter(rest).items())
    rules = text["more_sep"].join(text["more_rule"].format(rule=rule, count=n) for rule, n in counts)
    return "  " + escape(text["more"].format(count=len(rest), rules=rules))


def render(report: Report, lang: str, console: Console) -> None:
    text = LABELS[lang]
    table = report.findings
    places = zip(table.column("file_index").tolist(), table.column("sheet").tolist(), strict=True)
    by_file: dict[int, list[tuple[int, str | None]]] = {}  # file → (position, sheet) of its findings, in order
    for position, (index, sheet) in enumerate(places):
        by_file.setdefault(index, []).append((position, sheet))
    rules = table.column("rule")
    for index, result in enumerate(report.files):
        status = f" [red]({text['unreadable']})[/]" if result.status == "unreadable" else ""
        console.rule(f"[bold]{text['file']}: {escape(result.path)}[/]{status}", align="left")
        if result.period is not None:
            console.print("  " + escape(period_text(period_record(result.period), lang)), style="dim")
        findings = by_file.get(index, [])
        if not findings:
            console.print(f"  [green]{text['no_findings']}[/]")
            continue
        for sheet, group in groupby(findings, key=lambda p: p[1]):
            positions = [position for position, _ in group]
            shown = positions if report.table_limit is None else positions[: report.table_limit]
            console.print(_table(table.take(shown), lang, escape(sheet) if sheet else text["file_level"]))
            if len(shown) < len(positions):
                console.print(_more(rules[positions[len(shown):]].tolist(), text), soft_wrap=True)
    if report.statistics:
        for line in statistics_lines(report, lang):
            console.print(escape(line), soft_wrap=True)
    console.print(escape(summary_line(report, lang)), soft_wrap=True)


def render_text(report: Report, lang: str) -> str:
    buffer = io.StringIO()
    render(report, lang, Console(file=buffer, width=140, no_color=True, highlight=False))
    return buffer.getvalue()
