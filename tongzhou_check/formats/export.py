"""The findings export: every finding of every audited workbook as one row of an .xlsx sheet or a .csv file — the
JSON report's fields in the report's order, headers in the report's language — for filtering in Excel or WPS.

`audit -o F.csv` is always the export; `audit -o F.xlsx` is the export unless the command line names exactly one
workbook file, which makes it that workbook's annotated copy (settings.annotated_copies).
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tongzhou_check.formats.records import finding_chunks
from tongzhou_check.grids import HEADER_FILL, SEVERITY_FILLS, SUPPRESSED_FILL
from tongzhou_check.grids.xlsx import list_layout
from tongzhou_check.labels import EXPORT_TEXT, LABELS
from tongzhou_check.linebreak import cells
from tongzhou_check.model import Report, Severity

FIELDS = ("file", "sheet", "cell", "row", "column", "header", "rule", "name", "severity", "clause", "message",
          "evidence", "subject", "state", "reason")
FILE_FIELDS = ("file", "status", "agency", "sheets", "rows", "findings", "errors", "warnings", "info", "suppressed")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula (CSV injection)
SHEET_ROWS = 1_048_575  # findings one sheet holds under its header row (Excel's 1,048,576 rows)
WIDEST = {"message": 80, "evidence": 40, "reason": 40}  # a column's width at most (others: DEFAULT_WIDEST)
DEFAULT_WIDEST = 50
FILTER_BUTTON = 2  # a header's autofilter drop-down takes about two characters


def guarded(value: Any) -> Any:
    """A text a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) with
    `'` before it; anything else as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def headers(lang: str) -> list[str]:
    names = EXPORT_TEXT[lang]["headers"]
    return [names[name] for name in FIELDS]


def file_headers(lang: str) -> list[str]:
    names = EXPORT_TEXT[lang]["file_headers"]
    return [names[name] for name in FILE_FIELDS]


def rows(report: Report, lang: str) -> Iterator[list[Any]]:
    """The export's rows, one per finding, in report order (FIELDS; text guarded against formulas)."""
    severities = {s.name: LABELS[lang][s] for s in Severity}
    states = EXPORT_TEXT[lang]["states"]
    for chunk in finding_chunks(report.findings, lang)():
        for r in chunk:
            suppressed = r["suppressed"]
            values = (r["file"], r["sheet"], r["cell"], r["row"], r["column"], r["header"], r["rule"], r["name"],
                      severities[r["severity"]], r["clause"], r["message"], r["evidence"], r["subject"],
                      states[suppressed and suppressed["by"]], suppressed and suppressed["reason"])
            yield [guarded(v) for v in values]


def write_csv(report: Report, lang: str, target: Path) -> None:
    """The export as CSV: UTF-8 with a byte-order mark (so Excel and WPS read it as UTF-8), RFC 4180 quoting and
    CRLF line ends; a lone surrogate from a damaged cell is written as its escape."""
    with target.open("w", encoding="utf-8-sig", errors="backslashreplace", newline="") as fh:
        writer = csv.writer(fh, dialect="excel")
        writer.writerow(headers(lang))
        writer.writerows(rows(report, lang))


def _widest(values: Iterable[Any]) -> int:
    """The display width of the widest distinct text (a CJK character counts 2), looking at the longest first."""
    best = 0
    for text in sorted({v for v in values if isinstance(v, str)}, key=len, reverse=True):
        if 2 * len(text) <= best:
            break
        best = max(best, max(cells(line) for line in text.split("\n")))
    return best


def widths(report: Report, lang: str) -> list[int]:
    """Each column's width in characters: its header's or its widest text's, whichever is wider, capped."""
    t = report.findings
    texts: dict[str, Iterable[Any]] = {
        name: t.column(name).tolist() for name in ("file", "sheet", "header", "rule", "name", "clause", "evidence",
                                                   "subject", "column")}
    texts["message"] = t.messages(lang).tolist()
    texts["cell"] = [f"{c}{r}" for c, r in set(zip(t.column("column").tolist(), t.column("row").tolist(),
                                                    strict=True)) if c and r]
    texts["row"] = [str(r) for r in set(t.column("row").tolist()) if r is not None]
    texts["severity"] = [LABELS[lang][s] for s in Severity]
    texts["state"] = list(EXPORT_TEXT[lang]["states"].values())
    texts["reason"] = [s.text(lang) for s in set(t.column("suppressed").tolist()) if s is not None]
    names = EXPORT_TEXT[lang]["headers"]
    return [min(max(cells(names[name]) + FILTER_BUTTON, _widest(texts[name])) + 2, WIDEST.get(name, DEFAULT_WIDEST))
            for name in FIELDS]


def file_rows(report: Report, lang: str) -> list[list[Any]]:
    """One row per audited file, those without findings too (FILE_FIELDS): what it was, what was found in it."""
    t = report.findings
    counts = Counter(zip(t.column("file").tolist(), t.severity_names().tolist(), t.active().tolist(), strict=True))
    statuses = EXPORT_TEXT[lang]["statuses"]
    found = []
    for f in report.files:
        active = [counts[(f.path, s.name, True)] for s in reversed(Severity)]
        suppressed = sum(counts[(f.path, s.name, False)] for s in Severity)
        values = (f.path, statuses.get(f.status, f.status), f.agency[1] if f.agency else None,
                  sum(1 for s in f.sheets if s.kind), sum(s.rows for s in f.sheets), sum(active) + suppressed,
                  *active, suppressed)
        found.append([guarded(v) for v in values])
    return found


def write_xlsx(report: Report, lang: str, target: Path, sheet_rows: int = SHEET_ROWS) -> None:
    """The export as a workbook (openpyxl's write-only mode, a row at a time): on each sheet a header row, frozen,
    bold on grey, an autofilter over the data and columns as wide as their text; the severity cell coloured by
    severity (grey when suppressed); every text a text, never a formula. Past `sheet_rows` findings the rows go on
    to another sheet; a last sheet lists every audited file, those without findings too."""
    from openpyxl import Workbook  # loaded only when an export is written
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill

    def fill(colour: str) -> PatternFill:
        return PatternFill(fill_type="solid", start_color=colour, end_color=colour)

    def text(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a damaged cell: XML cannot hold it
            value = value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value

    bold, grey, centred = Font(bold=True), fill(HEADER_FILL), Alignment(horizontal="center", vertical="center")
    book = Workbook(write_only=True)

    def sheet(title: str, titles: list[str], sizes: list[int], count: int) -> Any:  # a write-only sheet
        """A sheet with its header row written, ready for `count` rows of data."""
        ws = book.create_sheet(title)
        list_layout(ws, sizes, count + 1)
        head = []
        for title in titles:
            cell = WriteOnlyCell(ws, title)
            cell.font, cell.fill, cell.alignment = bold, grey, centred
            head.append(cell)
        ws.append(head)
        return ws

    severity_at, state_at = FIELDS.index("severity"), FIELDS.index("state")
    active = {LABELS[lang][s]: fill(SEVERITY_FILLS[s.name]) for s in Severity}
    active_state = EXPORT_TEXT[lang]["states"][None]
    suppressed = fill(SUPPRESSED_FILL)
    sizes = widths(report, lang)
    total, found = len(report.findings), rows(report, lang)
    name = EXPORT_TEXT[lang]["sheet"]
    for part in range(max(1, -(-total // sheet_rows))):
        count = min(sheet_rows, total - part * sheet_rows)
        ws = sheet(name if part == 0 else f"{name} ({part + 1})", headers(lang), sizes, count)
        for values in itertools.islice(found, count):
            values = [text(v) for v in values]
            cell = WriteOnlyCell(ws, values[severity_at])
            cell.fill = active[values[severity_at]] if values[state_at] == active_state else suppressed
            values[severity_at] = cell
            ws.append(values)
    files = file_rows(report, lang)
    titles = file_headers(lang)
    sizes = [min(max(cells(h) + FILTER_BUTTON, _widest("" if row[i] is None else str(row[i]) for row in files)) + 2,
                 DEFAULT_WIDEST) for i, h in enumerate(titles)]
    ws = sheet(EXPORT_TEXT[lang]["files_sheet"], titles, sizes, len(files))
    for values in files:
        ws.append([text(v) for v in values])
    book.save(target)


WRITERS = {".xlsx": write_xlsx, ".csv": write_csv}


def write(report: Report, lang: str, target: Path) -> None:
    """The export in the format its suffix names (.xlsx or .csv)."""
    WRITERS[target.suffix.lower()](report, lang, target)
