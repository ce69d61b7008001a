"""The annotated copy of one audited workbook (`audit --output F.xlsx`): comments and colours on the cells at fault."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from tongzhou_check.labels import LABELS
from tongzhou_check.model import Finding, Report, Severity
from tongzhou_check.text import visible

SHEET = {"zh": "tzcheck检查结果", "en": "tzcheck findings"}
HEADERS = ("cell", "rule", "severity", "clause", "message")  # LABELS keys
FILLS = {Severity.error: "FFC7CE", Severity.warning: "FFEB9C", Severity.info: "DDEBF7"}
READABLE = (".xlsx", ".xlsm")  # what openpyxl opens; .xls, .ods and .csv cannot be annotated


class AnnotateError(Exception):
    """The workbook cannot be annotated (its format, or it could not be read)."""


def _note(f: Finding, lang: str) -> str:
    labels = LABELS[lang]
    severity = labels["waived"] if f.suppressed else labels[f.severity]
    return f"{f.rule} {f.name} [{severity}] {f.clause}\n{f.message(lang)}"


def _ref(f: Finding) -> str | None:
    """The cell a finding is noted on: its own, or for a sheet-level finding the first cell of the header row."""
    return f.cell or f"A{f.row}" if f.sheet and f.row else None


def annotate(report: Report, source: Path, target: Path, lang: str = "zh") -> int:
    """Copy `source` to `target` with a comment on every cell a finding names (coloured by its worst active
    severity) and a findings sheet linking to them. Returns the number of cells annotated. `source` is only read.
    """
    if source.suffix.lower() not in READABLE:
        raise AnnotateError(f"{source}: 只有 .xlsx 和 .xlsm 工作簿可以生成批注副本 / "
                            "only .xlsx and .xlsm workbooks can be annotated")
    try:
        book = load_workbook(source)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        why = visible(str(exc))[:160] or type(exc).__name__
        raise AnnotateError(f"{source}: 无法打开 / cannot be opened: 写批注副本的 openpyxl 无法读取此工作簿({why}),"
                            "检查所用的 calamine 可以;请用 Excel 或 WPS 另存为 .xlsx 后重试 / openpyxl, which writes "
                            f"the annotated copy, cannot read it ({why}) though calamine, which audits, can; save it "
                            "again as .xlsx in Excel or WPS and retry") from None
    findings = list(report.findings)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        ref = _ref(f)
        if ref and f.sheet in book.sheetnames:
            by_cell[(f.sheet, ref)].append(f)
    for (sheet, ref), found in by_cell.items():
        ws = book[sheet]
        cell = ws[ref]
        if isinstance(cell, MergedCell):  # inside a merged range: its top-left cell holds the text
            merged = next(r for r in ws.merged_cells.ranges if ref in r)
            cell = ws.cell(merged.min_row, merged.min_col)
        text = "\n\n".join(_note(f, lang) for f in found)
        if cell.comment is not None:  # the agency's own comment is kept, ours follows it
            text = f"{cell.comment.text}\n\n{text}"
        cell.comment = Comment(text, "tzcheck", width=360, height=160)
        active = [f.severity for f in found if f.suppressed is None]
        if active:
            colour = FILLS[max(active)]
            cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    _findings_sheet(book, findings, lang)
    book.save(target)
    return len(by_cell)


def _findings_sheet(book: Workbook, findings: list[Finding], lang: str) -> None:
    name = SHEET[lang]
    if name in book.sheetnames:
        del book[name]
    ws = book.create_sheet(name, 0)
    ws.append([LABELS[lang][key] for key in HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    labels = LABELS[lang]
    for f in findings:
        ref = _ref(f)
        where = f"{f.sheet}!{ref}" if ref else (f.sheet or labels["file_level"])
        severity = labels["waived"] if f.suppressed else labels[f.severity]
        ws.append([where, f"{f.rule} {f.name}", severity, f.clause, f.message(lang)])
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # messages echo cells: text, never a formula
        if ref and f.sheet in book.sheetnames:
            link = ws.cell(ws.max_row, 1)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(f.sheet)}!{ref}")
            link.font = Font(color="0563C1", underline="single")
    for i, width in enumerate((18, 28, 8, 8, 100), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
