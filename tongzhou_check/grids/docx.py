"""The appendix as a Word document (python-docx): a title page, then each table on its own page, with a caption, the
merged header repeated on every page, widths that fit the text, and A4 paper turned landscape for a wide table."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from tongzhou_check.grids import FAILED, HEADER_FILL, Chart, Document, Table, Value, format_value, text_widths

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
FONT = "宋体"  # SimSun: the font of Chinese government documents' tables; Word and WPS substitute their own if absent
LATIN = "Times New Roman"
TABLE_PT = 9  # 小五 is 9 pt: Table 三 fits landscape A4 at this size
CM_PER_COLUMN = 0.17  # one display column (half a Chinese character) at 9 pt, with a little air
PADDING_CM = 0.4  # a cell's left and right margins
WIDEST = 60  # display columns: a longer text wraps, as in the xlsx appendix
BAD = RGBColor(0xB0, 0x00, 0x20)  # a failed cross-check (✗) in the notes
GREY = RGBColor(0x80, 0x80, 0x80)
BAR = "█"
BAR_COLUMNS = 30  # the longest bar of a text chart, in characters
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # python-docx refuses these in text


def write(appendix: Document, target: Path) -> None:
    """Write the appendix as a .docx document."""
    doc = new_document()
    _fonts(doc)
    section = doc.sections[0]
    _page(section, landscape=False)
    _page_number(section)
    _cover(doc, appendix)
    for table in appendix.tables:
        natural = [PADDING_CM + CM_PER_COLUMN * min(max(width, 4), WIDEST) for width in text_widths(table)]
        landscape = sum(natural) > _usable_cm(landscape=False)
        _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=landscape)
        _table(doc, table, _fit(natural, _usable_cm(landscape)))
    doc.save(str(target))


def _clean(text: str) -> str:
    return XML_ILLEGAL.sub("", text)


def _fonts(doc: WordDocument) -> None:
    """宋体 for Chinese, Times New Roman for Latin letters and digits, in every style the document uses."""
    for name in ("Normal", "Title", "Caption"):
        style = doc.styles[name]
        style.font.name = LATIN
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.styles["Normal"].font.size = Pt(10.5)  # 五号
    title = doc.styles["Title"]
    title.font.size, title.font.color.rgb = Pt(22), RGBColor(0, 0, 0)  # 二号, black as in a government document
    caption = doc.styles["Caption"]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(12), True, False
    caption.font.color.rgb = RGBColor(0, 0, 0)


def _page(section: Section, landscape: bool) -> None:
    short, long = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _usable_cm(landscape: bool) -> float:
    return (A4[1 if landscape else 0] - 2 * MARGIN) / Cm(1)


def _fit(natural: list[float], usable: float) -> list[float]:
    """Natural widths when they fit the page; else the widest columns are narrowed to one cap, so that short columns
    (counts, 总计) keep their width and the long labels wrap."""
    remaining, left = usable, len(natural)
    for width in sorted(natural):
        if width * left > remaining:
            return [min(w, remaining / left) for w in natural]
        remaining, left = remaining - width, left - 1
    return natural


def _page_number(section: Section) -> None:
    """A centred page number in the footer (a PAGE field); later sections inherit the footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _cover(doc: WordDocument, appendix: Document) -> None:
    title = doc.add_paragraph(_clean(appendix.title), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for label, value in appendix.meta:
        line = doc.add_paragraph()
        line.add_run(_clean(f"{label}:" if appendix.lang == "zh" else f"{label}: ")).bold = True
        line.add_run(_clean(value))


def _table(doc: WordDocument, table: Table, widths: list[float]) -> None:
    caption = doc.add_paragraph(_clean(table.title), style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=len(table.grid), cols=table.width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for m in table.merges:  # merge first: python-docx joins the texts of the cells it merges
        grid.cell(m.top, m.left).merge(grid.cell(m.bottom, m.right))
    _, covered = table.spans()
    for r, row in enumerate(table.grid):
        if r < table.header_rows:
            _repeat_as_header(grid, r)
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.width = Cm(widths[c])
            if (r, c) not in covered:
                _fill(cell, table, r, c, value)
    _widths(grid, widths)
    for note in table.notes:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(_clean(note))
        if FAILED in note:  # a failed cross-check
            run.bold, run.font.color.rgb = True, BAD
    if table.chart is not None and table.body:
        _chart(doc, table, table.chart)
    if table.footer:
        footer = doc.add_paragraph().add_run(_clean(table.footer))
        footer.font.size, footer.font.color.rgb = Pt(9), GREY


def _fill(cell: _Cell, table: Table, r: int, c: int, value: Value) -> None:
    header = r < table.header_rows
    fmt = "text" if header else table.formats[c]
    paragraph: Paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_clean(format_value(value, fmt)))
    run.font.size = Pt(TABLE_PT)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if header:
        run.bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, HEADER_FILL)
    elif c >= table.label_columns and fmt != "text":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(grid: WordTable, r: int) -> None:
    """The row repeats at the top of every page the table runs onto, and never splits across pages."""
    properties = grid.rows[r]._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        properties.append(OxmlElement(tag))


def _widths(grid: WordTable, widths: list[float]) -> None:
    """Column widths in the table grid too: LibreOffice and WPS lay a fixed table out from <w:tblGrid>."""
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)


def _chart(doc: WordDocument, table: Table, chart: Chart) -> None:
    """A bar chart as text (python-docx writes no native chart): label, a bar of █ in proportion, the value."""
    fmt = table.formats[chart.value_column]
    rows = [(row[chart.label_column], row[chart.value_column]) for row in table.body]
    numbers = [value for _, value in rows if isinstance(value, int | float)]
    top = 1.0 if fmt == "percent" else max(numbers, default=0) or 1
    title = doc.add_paragraph()
    title.add_run(_clean(chart.title)).bold = True
    title.paragraph_format.keep_with_next = True
    bars = doc.add_table(rows=len(rows), cols=2)
    for (label, value), row in zip(rows, bars.rows, strict=True):
        row.cells[0].paragraphs[0].add_run(_clean(format_value(label, "text"))).font.size = Pt(TABLE_PT)
        length = round(BAR_COLUMNS * value / top) if isinstance(value, int | float) else 0
        run = row.cells[1].paragraphs[0].add_run(BAR * max(length, 0))
        run.font.size, run.font.color.rgb = Pt(TABLE_PT), RGBColor(0x4A, 0x78, 0xB0)
        row.cells[1].paragraphs[0].add_run(f" {format_value(value, fmt)}").font.size = Pt(TABLE_PT)
