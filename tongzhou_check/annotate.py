"""The annotated copy of one audited workbook (`audit --output F.xlsx`): comments and colours on the cells at fault,
a findings sheet linking to them, and a word on whatever of the original the copy could not carry over."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import REL_NS
from openpyxl.xml.functions import fromstring

from tongzhou_check.grids import HEADER_FILL, SEVERITY_FILLS, SUPPRESSED_FILL
from tongzhou_check.grids.xlsx import list_layout
from tongzhou_check.labels import LABELS, severity_label
from tongzhou_check.linebreak import wrap
from tongzhou_check.masking import mask
from tongzhou_check.model import Finding, Report, Severity
from tongzhou_check.reader.opening import OWN_SHEET
from tongzhou_check.text import visible

SHEET = {"zh": "tzcheck检查结果", "en": "tzcheck findings"}
HEADERS = ("cell", "rule", "severity", "clause", "message")  # LABELS keys
WIDTHS = (20, 32, 8, 8, 80)  # 148 units: A4 landscape at about 85 %; a rule's name fits on one line
FILLS = {s: SEVERITY_FILLS[s.name] for s in Severity}
LINE_HEIGHT = 15  # points: a line of 11-point text; rows are sized for their wrapped text (LibreOffice does not)
AUTHOR = "tzcheck"
READABLE = (".xlsx", ".xlsm")  # what openpyxl opens; .xls, .ods and .csv cannot be annotated
_OUR_NOTE = re.compile(r"TZ\d{3} \S+ \[")  # how each of our comments' paragraphs starts (_note)
_DRAWING = REL_NS + "/drawing"
_LOST = ("removed", "lost", "dropped", "not supported")  # openpyxl's warnings about what it does not keep

NOTES = {
    "zh": {
        "label": "副本说明",
        "shown": "工作表“{sheet}”在原工作簿中是隐藏的,副本中已取消隐藏,以便查看其中的问题。",
        "images": "工作表“{sheet}”中有 {count} 张图片无法复制到副本(格式不受支持),请以原工作簿为准。",
        "charts": "工作表“{sheet}”中有 {count} 个图表无法复制到副本,请以原工作簿为准。",
        "shapes": "工作表“{sheet}”中的 {count} 个形状、文本框或控件无法复制到副本,已省略,请以原工作簿为准。",
        "macros": "原工作簿中的宏(VBA)不会带入 .xlsx 副本。",
        "openpyxl": "写副本用的 openpyxl 读取原工作簿时提示,此项未能保留:{detail}",
    },
    "en": {
        "label": "About this copy",
        "shown": "Sheet “{sheet}” is hidden in the original workbook; the copy shows it, so that its findings can be "
                 "seen.",
        "images": "{count} images on sheet “{sheet}” could not be copied (an unsupported format); see the original.",
        "charts": "{count} charts on sheet “{sheet}” could not be copied; see the original.",
        "shapes": "{count} shapes, text boxes or controls on sheet “{sheet}” could not be copied and are left out; "
                  "see the original.",
        "macros": "The original's macros (VBA) are not carried into an .xlsx copy.",
        "openpyxl": "openpyxl, which writes the copy, could not keep this of the original: {detail}",
    },
}


class AnnotateError(Exception):
    """The workbook cannot be annotated (its format, or it could not be read)."""


@dataclass(frozen=True)
class Annotated:
    """What the copy holds: the cells annotated, and what a reader of the copy must know about it (`NOTES`)."""

    cells: int
    notes: tuple[str, ...]


def _note(f: Finding, lang: str) -> str:
    severity = severity_label(f, lang)
    return f"{f.rule} {f.name} [{severity}] {f.clause}\n{f.message(lang)}"


def _ref(f: Finding) -> str | None:
    """The cell a finding is noted on: its own, or for a sheet-level finding the first cell of the header row."""
    return f.cell or f"A{f.row}" if f.sheet and f.row else None


def annotate(report: Report, source: Path, target: Path, lang: str = "zh") -> Annotated:
    """Copy `source` to `target` with a comment on every cell a finding names (coloured by its worst active
    severity) and a findings sheet linking to them; a sheet holding findings is shown if it was hidden, and what
    the copy cannot carry over (shapes, unsupported images) is said, never dropped silently. `source` is only read.
    """
    if source.suffix.lower() not in READABLE:
        raise AnnotateError(f"{source}: 只有 .xlsx 和 .xlsm 工作簿可以生成批注副本 / "
                            "only .xlsx and .xlsm workbooks can be annotated")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            book = load_workbook(source)
        drawn = _drawn(source)
        with zipfile.ZipFile(source) as archive:
            macros = "xl/vbaProject.bin" in archive.namelist()
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        why = visible(str(exc))[:160] or type(exc).__name__
        raise AnnotateError(f"{source}: 无法打开 / cannot be opened: 写批注副本的 openpyxl 无法读取此工作簿({why}),"
                            "检查所用的 calamine 可以;请用 Excel 或 WPS 另存为 .xlsx 后重试 / openpyxl, which writes "
                            f"the annotated copy, cannot read it ({why}) though calamine, which audits, can; save it "
                            "again as .xlsx in Excel or WPS and retry") from None
    text = NOTES[lang]
    notes = _lost(book, drawn, text) + [text["openpyxl"].format(detail=visible(str(w.message))[:200])
                                        for w in caught if any(word in str(w.message) for word in _LOST)]
    if macros:
        notes.append(text["macros"])
    sheets = {ws.title: ws for ws in book.worksheets}
    if _unmark(book):  # a copy annotated again (a clerk's fixed copy resubmitted): our old marks go first
        for ws in sheets.values():
            _unnote(ws)
    findings = list(report.findings)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        ref = _ref(f)
        if ref and f.sheet in sheets:
            by_cell[(f.sheet, ref)].append(f)
    for sheet in dict.fromkeys(sheet for sheet, _ in by_cell):
        if sheets[sheet].sheet_state != "visible":  # a link to a hidden sheet goes nowhere
            sheets[sheet].sheet_state = "visible"
            notes.append(text["shown"].format(sheet=sheet))
    for (sheet, ref), found in by_cell.items():
        ws = sheets[sheet]
        cell = ws[ref]
        if isinstance(cell, MergedCell):  # inside a merged range: its top-left cell holds the text
            merged = next(r for r in ws.merged_cells.ranges if ref in r)
            cell = ws.cell(merged.min_row, merged.min_col)
        note = "\n\n".join(_note(f, lang) for f in found)
        if cell.comment is not None:  # the agency's own comment is kept, ours follows it
            note = f"{cell.comment.text}\n\n{note}"
        cell.comment = Comment(note, AUTHOR, width=360, height=160)
        active = [f.severity for f in found if f.suppressed is None]
        if active:
            colour = FILLS[max(active)]
            cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    notes = [mask(note) or "" for note in notes]  # they name sheets, and reach the terminal too
    _findings_sheet(book, findings, set(sheets), notes, lang)
    book.save(target)
    return Annotated(len(by_cell), tuple(notes))


def _drawn(source: Path) -> dict[str, Counter[str]]:
    """What each sheet's drawing holds in the original, by sheet name: pictures, charts and other things (shapes,
    text boxes, controls, SmartArt), which openpyxl does not keep."""
    drawn: dict[str, Counter[str]] = {}
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:  # a workbook part elsewhere: rare
            return drawn
        book = fromstring(archive.read("xl/workbook.xml"))
        parts = get_dependents(archive, "xl/_rels/workbook.xml.rels")
        for sheet in (node for node in book.iter() if str(node.tag).endswith("}sheet")):
            part = parts.get(sheet.get(f"{{{REL_NS}}}id"))
            rels = get_rels_path(part.target.lstrip("/")) if part is not None else ""
            if rels not in names:
                continue
            found: Counter[str] = Counter()
            for drawing in get_dependents(archive, rels).find(_DRAWING):
                path = drawing.target.lstrip("/")
                if path in names:
                    found += Counter(_kind(anchor) for anchor in fromstring(archive.read(path)))
            drawn[sheet.get("name")] = found
    return drawn


def _kind(anchor: Element) -> str:
    """An anchor of a drawing: a picture, a chart, or something else."""
    first = next((child for child in anchor if child.tag.rsplit("}", 1)[-1] not in
                  ("from", "to", "pos", "ext", "clientData")), None)
    tag = first.tag.rsplit("}", 1)[-1] if first is not None else ""
    if tag == "graphicFrame" and any(node.tag.endswith("}chart") for node in first.iter()):
        return "charts"
    return {"pic": "images"}.get(tag, "shapes")


def _lost(book: Workbook, drawn: dict[str, Counter[str]], text: dict[str, str]) -> list[str]:
    notes = []
    for ws in book.worksheets:
        found = drawn.get(ws.title, Counter())
        kept = Counter(images=len(ws._images), charts=len(ws._charts))
        for what in ("images", "charts", "shapes"):
            if found[what] > kept[what]:
                notes.append(text[what].format(sheet=ws.title, count=found[what] - kept[what]))
    return notes


def _unmark(book: Workbook) -> bool:
    """Remove a findings sheet an earlier run wrote (the sheet OWN_SHEET refers to); whether there was one."""
    name = book.defined_names.pop(OWN_SHEET, None)
    if name is None:
        return False
    for sheet, _ in name.destinations:
        if sheet in book.sheetnames:
            del book[sheet]
    return True


def _unnote(ws: Worksheet) -> None:
    """Take an earlier run's comments and fills off the cells of a copy, keeping the agency's own comments."""
    colours = {f"00{c}" for c in FILLS.values()} | set(FILLS.values()) | {f"FF{c}" for c in FILLS.values()}
    for row in ws.iter_rows():
        for cell in row:
            if cell.comment is None or cell.comment.author != AUTHOR:
                continue
            own = [p for p in cell.comment.text.split("\n\n") if not _OUR_NOTE.match(p)]
            cell.comment = Comment("\n\n".join(own), "", width=360, height=160) if own else None
            if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb in colours:
                cell.fill = PatternFill(fill_type=None)


def _lines(row: tuple[Cell, ...]) -> int:
    """The lines a row's wrapped text takes: a CJK character is about two units of column width, as in `wrap`."""
    return max((len(wrap(str(c.value), WIDTHS[c.column - 1])) for c in row if c.value not in (None, "")), default=1)


def _findings_sheet(book: Workbook, findings: list[Finding], sheets: set[str], notes: list[str],
                    lang: str) -> None:
    name = SHEET[lang]
    n = 2
    while name in book.sheetnames:  # the agency's own sheet of that name stays
        name, n = f"{SHEET[lang]}({n})", n + 1
    ws = book.create_sheet(name, 0)
    labels = LABELS[lang]
    ws.append([labels[key] for key in HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for f in findings:
        ref = _ref(f)
        where = f"{f.sheet}!{ref}" if ref else (f.sheet or labels["file_level"])
        severity = severity_label(f, lang)
        ws.append([where, f"{f.rule} {f.name}", severity, f.clause, f.message(lang)])
        colour = SUPPRESSED_FILL if f.suppressed else FILLS[f.severity]
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # messages echo cells: text, never a formula
            cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        if ref and f.sheet in sheets:
            link = ws.cell(ws.max_row, 1)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(f.sheet)}!{ref}")
            link.font = Font(color="0563C1", underline="single")
    last = ws.max_row
    if notes:  # below the table, outside its filter
        ws.append([])
        for note in notes:
            ws.append([NOTES[lang]["label"], None, None, None, note])
            ws.cell(ws.max_row, 1).font = Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        ws.row_dimensions[row[0].row].height = _lines(row) * LINE_HEIGHT
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    list_layout(ws, WIDTHS, last)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.tabColor = "C00000"
    book.defined_names[OWN_SHEET] = DefinedName(OWN_SHEET, attr_text=f"{quote_sheetname(name)}!$A$1", hidden=True)
    for other in book.worksheets:  # the findings sheet opens first, and alone (two selected tabs are grouped)
        other.sheet_view.tabSelected = other is ws
    book.active = 0
    if book.views:
        book.views[0].firstSheet = 0
