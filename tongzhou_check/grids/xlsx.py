"""The appendix as a styled xlsx workbook: a cover sheet, then one printable sheet per table with merges and a chart."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tongzhou_check.grids import (
    HEADER_FILL,
    Chart,
    ColumnFormat,
    Document,
    Table,
    Value,
    display_width,
    text_widths,
)

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
LABEL_ALIGN = Alignment(horizontal="left", vertical="center", wrap_text=True)
NUMBER_ALIGN = Alignment(horizontal="right", vertical="center")
NUMBER_FORMATS: dict[ColumnFormat, str] = {"int": "0", "percent": "0.0%", "text": "@"}
FIRST_ROW = 2  # the sheet row of grid row 0 (row 1 holds the title)


def list_layout(ws: Worksheet, widths: Sequence[float], last_row: int) -> None:
    """A sheet listing findings (the export, the annotated copy's findings sheet) laid out to be read and printed:
    its column widths, the header row frozen, filtered and repeated on every printed page, A4 landscape. A
    write-only sheet takes it before its first row."""
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{last_row}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE


def write(appendix: Document, target: Path) -> None:
    """Write the appendix as a styled workbook: a cover sheet, then one sheet per table."""
    wb = Workbook()
    _cover(wb.active, appendix)
    for number, table in enumerate(appendix.tables, start=1):
        _table(wb.create_sheet(_sheet_name(table.sheet, number)), table)
    wb.save(target)


def _sheet_name(name: str, number: int) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31].strip("'") or f"附表{number}"


def _put(cell: Cell, value: Value) -> None:
    """Set a value; a str always stays text (never a formula, whatever it starts with)."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value


def _typed(value: Value, fmt: ColumnFormat) -> Value:
    """Counts as ints (3.0 → 3), shares as floats (1 → 1.0); anything else as it is."""
    if fmt == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if fmt == "percent" and isinstance(value, int):
        return float(value)
    return value


def _fit(width: int) -> int:
    return min(max(width + 2, 6), 60)


def _cover(ws: Worksheet, appendix: Document) -> None:
    ws.title = "说明"
    _put(ws["A1"], appendix.title)
    ws["A1"].font = Font(bold=True, size=16)
    for row, (label, value) in enumerate(appendix.meta, start=2):
        _put(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        _put(ws.cell(row=row, column=2), value)
        ws.cell(row=row, column=2).alignment = Alignment(vertical="top", wrap_text=True)
    labels = [display_width(label) for label, _ in appendix.meta]
    values = [display_width(value) for _, value in appendix.meta]
    ws.column_dimensions["A"].width = _fit(max(labels, default=0))
    ws.column_dimensions["B"].width = _fit(max(values, default=0))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _table(ws: Worksheet, table: Table) -> None:
    width, last = table.width, get_column_letter(table.width)
    _put(ws["A1"], table.title)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    if width > 1:
        ws.merge_cells(f"A1:{last}1")

    for m in table.merges:
        ws.merge_cells(start_row=m.top + FIRST_ROW, start_column=m.left + 1,
                       end_row=m.bottom + FIRST_ROW, end_column=m.right + 1)
    _, covered = table.spans()
    for r, row in enumerate(table.grid):
        for c, value in enumerate(row):
            cell = ws.cell(row=r + FIRST_ROW, column=c + 1)  # a MergedCell when covered: styled, never written
            if (r, c) not in covered:
                _put(cell, _typed(value, table.formats[c]))
            cell.border = BORDER
            if r < table.header_rows:
                cell.font = Font(bold=True)
                cell.fill = HEADER
                cell.alignment = HEADER_ALIGN
                continue
            cell.number_format = NUMBER_FORMATS[table.formats[c]]
            numeric = c >= table.label_columns and table.formats[c] != "text"
            cell.alignment = NUMBER_ALIGN if numeric else LABEL_ALIGN

    for c, width in enumerate(text_widths(table)):
        ws.column_dimensions[get_column_letter(c + 1)].width = _fit(width)

    below = len(table.grid) + FIRST_ROW + 1  # one empty row under the grid
    for i, note in enumerate(table.notes):
        _put(ws.cell(row=below + i, column=1), note)
    if table.footer:
        _put(ws.cell(row=below + len(table.notes), column=1), table.footer)
        ws.cell(row=below + len(table.notes), column=1).font = Font(italic=True, color="808080")

    ws.freeze_panes = f"{get_column_letter(table.label_columns + 1)}{FIRST_ROW + table.header_rows}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"1:{FIRST_ROW + table.header_rows - 1}"
    ws.print_options.horizontalCentered = True
    if table.footer:
        ws.oddFooter.center.text = table.footer.replace("&", "&&")
    if table.chart and table.body:  # under the notes: beside the table it would shrink the printed page
        _chart(ws, table, table.chart, f"A{below + len(table.notes) + bool(table.footer) + 1}")


def _chart(ws: Worksheet, table: Table, spec: Chart, anchor: str) -> None:
    first, last = FIRST_ROW + table.header_rows, FIRST_ROW + len(table.grid) - 1
    chart = BarChart()
    chart.type = "bar"
    chart.title = spec.title
    chart.legend = None
    chart.add_data(Reference(ws, min_col=spec.value_column + 1, min_row=first, max_row=last))
    chart.set_categories(Reference(ws, min_col=spec.label_column + 1, min_row=first, max_row=last))
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                     showPercent=False)
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first body row at the top, as in the table
    chart.y_axis.crosses = "max"  # and the value axis back at the bottom
    if table.formats[spec.value_column] == "percent":
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.number_format = "0%"
    chart.height = max(7.5, 0.6 * len(table.body) + 3)
    chart.width = 16
    ws.add_chart(chart, anchor)
