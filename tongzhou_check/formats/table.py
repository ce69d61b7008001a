"""`--format table`: findings grouped by file and sheet in rich tables, then a one-line summary.

A table is for a person: at most `report.table_limit` findings a sheet (50; None with --show-all), then one line
counting the rest by rule. A file's baselined findings are one line counting them (listed with --show-suppressed);
the baseline's entries that match nothing any more are counted under their file. Every machine format carries every
finding.
"""

from __future__ import annotations

import io
from collections import Counter
from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tongzhou_check.formats.baseline_lines import baselined, elsewhere_line, folded_line, folds, stale, stale_line
from tongzhou_check.formats.records import period_record
from tongzhou_check.formats.summary import statistics_lines, summary_line
from tongzhou_check.labels import LABELS, period_text, severity_label
from tongzhou_check.linebreak import cells, wrap
from tongzhou_check.model import Finding, Report, Severity

STYLES = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}


NARROW = 100  # below this many columns the rule column shows the id alone


def _table(findings: list[Finding], lang: str, title: str, width: int) -> Table:
    """A sheet's findings; messages wrapped at punctuation to the width left for them on a `width` console."""
    text = LABELS[lang]
    table = Table(title=title, title_justify="left", show_lines=False, expand=True)
    table.add_column(text["cell"], no_wrap=True)
    table.add_column(text["rule"], no_wrap=True)
    table.add_column(text["severity"], no_wrap=True)
    table.add_column(text["clause"], no_wrap=True)
    table.add_column(text["message"], ratio=1, overflow="fold")
    rows = []
    for f in findings:
        where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or text["file_level"])
        severity = severity_label(f, lang)
        rule = f.rule if width < NARROW else f"{f.rule}\n{f.name}"
        rows.append((f, where, rule, severity))
    fixed = [max([cells(text[key]), *(cells(line) for row in rows for line in row[i].split("\n"))])
             for i, key in ((1, "cell"), (2, "rule"), (3, "severity"))]
    fixed.append(max([cells(text["clause"]), *(cells(row[0].clause) for row in rows)]))
    room = width - sum(fixed) - 2 * 5 - 6  # the other columns, a space either side of each, six borders
    for f, where, rule, severity in rows:
        message = f.message(lang)
        if room >= 12:
            message = "\n".join(wrap(message, room))
        style = "dim" if f.suppressed else STYLES[f.severity]
        table.add_row(escape(where), rule, f"[{style}]{escape(severity)}[/]", escape(f.clause), escape(message))
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
    folded = baselined(table) if folds(report) else None
    outdated = stale(report)
    for index, result in enumerate(report.files):
        status = f" [red]({text['unreadable']})[/]" if result.status == "unreadable" else ""
        console.rule(f"[bold]{text['file']}: {escape(result.path)}[/]{status}", align="left")
        if result.period is not None:
            for line in wrap(period_text(period_record(result.period), lang), console.width - 2):
                console.print("  " + escape(line), style="dim", soft_wrap=True)
        findings = by_file.get(index, [])
        hidden = [position for position, _ in findings if folded[position]] if folded else []
        if hidden:
            findings = [(position, sheet) for position, sheet in findings if not folded[position]]
        if not findings and not hidden:
            console.print(f"  [green]{text['no_findings']}[/]")
        for sheet, group in groupby(findings, key=lambda p: p[1]):
            positions = [position for position, _ in group]
            shown = positions if report.table_limit is None else positions[: report.table_limit]
            console.print(_table(table.take(shown), lang, escape(sheet) if sheet else text["file_level"],
                                 console.width))
            if len(shown) < len(positions):
                console.print(_more(rules[positions[len(shown):]].tolist(), text), soft_wrap=True)
        notes = [folded_line(len(hidden), lang)] if hidden else []
        if index in outdated.by_file:
            notes.append(stale_line(outdated.by_file[index], lang))
        for note in notes:
            for part in wrap(note, console.width - 2):
                console.print("  " + escape(part), soft_wrap=True)
    if outdated.elsewhere:
        console.print(escape(elsewhere_line(outdated.elsewhere, lang)), soft_wrap=True)
    if report.statistics:
        for line in statistics_lines(report, lang):
            console.print(escape(line), soft_wrap=True)
    console.print(escape(summary_line(report, lang)), soft_wrap=True)


def render_text(report: Report, lang: str) -> str:
    buffer = io.StringIO()
    render(report, lang, Console(file=buffer, width=140, no_color=True, highlight=False))
    return buffer.getvalue()
