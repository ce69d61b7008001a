"""The xlsx appendix writer: written with real tables, read back with openpyxl and as raw XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart
from openpyxl.workbook.workbook import Workbook

from tongzhou_check.grids import Chart, Document, Merge, Table
from tongzhou_check.grids.xlsx import write

INJECTIONS = ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)")

# Like Table 三 of the national annual report: 3 label columns, 7 numeric columns, 3 header rows.
TABLE_3 = Table(
    sheet="附表3 收到和处理申请情况",
    title="三、2024年收到和处理政府信息公开申请情况",
    grid=(
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None, None, "申请人情况", None, None, None, None, None, None),
        (None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"),
        (None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None),
        ("一、本年新收政府信息公开申请数量", None, None, 120, 8, 1, 0, 2, 1, 132),
        ("二、上年结转政府信息公开申请数量", None, None, 6, 0, 0, 0, 0, 0, 6),
        ("三、本年度办理结果", "（一）予以公开", None, 50, 3, 0, 0, 1, 0, 54),
        (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, 10, 1, 0, 0, 0, 0, 11),
        (None, "（三）不予公开", "1．属于国家秘密", 1, 0, 0, 0, 0, 0, 1),
        (None, None, "2．其他法律行政法规禁止公开", 2.0, 0, 0, 0, 0, 0, 2),
        ("四、结转下年度继续办理", None, None, 63, 4, 1, 0, 1, 1, 70),
    ),
    header_rows=3,
    formats=("text", "text", "text", "int", "int", "int", "int", "int", "int", "int"),
    label_columns=3,
    merges=(
        Merge(0, 0, 2, 2), Merge(0, 3, 0, 9), Merge(1, 3, 2, 3), Merge(1, 4, 1, 8), Merge(1, 9, 2, 9),
        Merge(3, 0, 3, 2), Merge(4, 0, 4, 2), Merge(5, 0, 8, 0), Merge(5, 1, 5, 2), Merge(6, 1, 6, 2),
        Merge(7, 1, 8, 1), Merge(9, 0, 9, 2),
    ),
    notes=("勾稽关系：第一项加第二项之和（138）等于第三项加第四项之和（138），一致。", "=1+1 未归入本表的记录：无"),
    footer="2024年度 · 规则包 tongzhou-2018 v1.2 & 补充 · 截至2024-12-31",
)

TABLE_ON_TIME = Table(
    sheet="附表2: 按期*答复率?",
    title="2024年各单位依申请公开按期答复率",
    grid=(
        ("单位", "办结数", "按期数", "按期率"),
        ("北京市通州区人民政府办公室", 40, 38, 0.95),
        (INJECTIONS[0], 10, 10, 1),
        (INJECTIONS[1], 4, 3, 0.75),
        (INJECTIONS[2], 2, 1, 0.5),
        (INJECTIONS[3], 1, 0, 0.0),
    ),
    header_rows=1,
    formats=("text", "int", "int", "percent"),
    chart=Chart(title="按期答复率", label_column=0, value_column=3),
    footer="2024年度",
)

APPENDIX = Document(
    title="2024年政府信息公开工作年度报告附表",
    tables=(TABLE_3, TABLE_ON_TIME),
    meta=(("年度", "2024"), ("数据截至", "2024-12-31"), ("来源文件", "=cmd|' /C calc'!A0")),
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "附表.xlsx"
    write(APPENDIX, target)
    return target


@pytest.fixture
def book(path: Path) -> Workbook:
    return load_workbook(path)


def test_sheets_are_the_cover_then_one_per_table_with_safe_names(book: Workbook) -> None:
    assert book.sheetnames == ["说明", "附表3 收到和处理申请情况", "附表2 按期答复率"]


def test_cover_has_the_title_and_the_meta_lines(book: Workbook) -> None:
    ws = book["说明"]
    assert ws["A1"].value == APPENDIX.title
    assert ws["A1"].font.b and ws["A1"].font.sz > 11
    assert [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(2, 5)] == list(APPENDIX.meta)
    assert ws["B4"].data_type == "s"
    assert ws.max_row == 4 and ws.max_column == 2


def test_merges_are_reproduced_with_the_title_across_the_width(book: Workbook) -> None:
    ws = book["附表3 收到和处理申请情况"]
    assert {str(r) for r in ws.merged_cells.ranges} == {
        "A1:J1",
        "A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4",
        "A5:C5", "A6:C6", "A7:A10", "B7:C7", "B8:C8", "B9:B10", "A11:C11",
    }
    assert ws["A1"].value == TABLE_3.title
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["D2"].value == "申请人情况" and ws["E3"].value == "法人或其他组织" and ws["J3"].value == "总计"
    assert ws["A7"].value == "三、本年度办理结果" and ws["C10"].value == "2．其他法律行政法规禁止公开"
    assert {str(r) for r in book["附表2 按期答复率"].merged_cells.ranges} == {"A1:D1"}


def test_header_and_body_styles(book: Workbook) -> None:
    ws = book["附表3 收到和处理申请情况"]
    for coord in ("A2", "D2", "E4", "J3"):
        cell = ws[coord]
        assert cell.font.b
        assert cell.fill.fgColor.rgb.endswith("D9D9D9")
        assert (cell.alignment.horizontal, cell.alignment.vertical, cell.alignment.wrap_text) == ("center", "center", True)
    label = ws["B9"]
    assert (label.alignment.horizontal, label.alignment.vertical, label.alignment.wrap_text) == ("left", "center", True)
    assert not label.font.b and label.fill.fill_type is None
    assert ws["D5"].alignment.horizontal == "right" and ws["J11"].alignment.horizontal == "right"


def _styles_by_cell(path: Path, book: Workbook, sheet_index: int) -> dict[str, int]:
    with zipfile.ZipFile(path) as z:
        xml = z.read(f"xl/worksheets/sheet{sheet_index}.xml").decode()
    return {coord: int(style) for coord, style in re.findall(r'<c r="([A-Z]+\d+)"[^>]*? s="(\d+)"', xml)}


def test_every_grid_cell_has_thin_borders_even_under_merges(path: Path, book: Workbook) -> None:
    styles = _styles_by_cell(path, book, 2)
    for row in range(2, 12):
        for col in "ABCDEFGHIJ":
            border = book._borders[book._cell_styles[styles[f"{col}{row}"]].borderId]
            assert [s.style for s in (border.left, border.right, border.top, border.bottom)] == ["thin"] * 4, f"{col}{row}"
    assert "B3" in styles and "I4" in styles  # inside A2:C4 and under E3:I3, not only on their edges


def test_freeze_panes_below_header_right_of_labels(book: Workbook) -> None:
    assert book["附表3 收到和处理申请情况"].freeze_panes == "D5"
    assert book["附表2 按期答复率"].freeze_panes == "B3"


def test_column_widths_fit_chinese_text(book: Workbook) -> None:
    ws = book["附表3 收到和处理申请情况"]
    widths = {col: ws.column_dimensions[col].width for col in "ABCDEFGHIJ"}
    # A: only '三、本年度办理结果' counts (the other A cells start merges across columns; title and notes never count)
    assert widths["A"] == 9 * 2 + 2
    assert widths["B"] == 7 * 2 + 2  # '（三）不予公开'; the wider '（二）部分公开…' spans B:C
    assert widths["C"] == 1 + 2 + 12 * 2 + 2  # '2．其他法律行政法规禁止公开': '2' counts 1, '．' 2
    assert widths["G"] == 6 * 2 + 2  # '社会公益组织'
    assert widths["I"] == 6  # '其他' and one-digit counts: the minimum
    assert widths["C"] > widths["G"] > widths["I"]
    on_time = book["附表2 按期答复率"]
    assert on_time.column_dimensions["A"].width == 13 * 2 + 2
    assert on_time.column_dimensions["D"].width == len("100.0%") + 2


def test_long_text_widths_are_clamped(tmp_path: Path) -> None:
    table = Table(sheet="长", title="长", grid=(("名称", "数"), ("很长" * 40, 1)), header_rows=1, formats=("text", "int"))
    write(Document(title="t", tables=(table,), meta=()), tmp_path / "long.xlsx")
    ws = load_workbook(tmp_path / "long.xlsx")["长"]
    assert ws.column_dimensions["A"].width == 60
    assert ws.column_dimensions["B"].width == 6


def test_number_formats_and_types(book: Workbook) -> None:
    ws = book["附表3 收到和处理申请情况"]
    assert ws["D5"].value == 120 and ws["D5"].data_type == "n" and ws["D5"].number_format == "0"
    assert ws["D10"].value == 2 and isinstance(ws["D10"].value, int)  # 2.0 in an int column is written as 2
    on_time = book["附表2 按期答复率"]
    assert on_time["D3"].value == pytest.approx(0.95) and on_time["D3"].number_format == "0.0%"
    assert on_time["D7"].number_format == "0.0%" and on_time["B3"].number_format == "0"
    assert on_time["A3"].number_format == "@"


def test_text_is_never_a_formula(path: Path) -> None:
    for data_only in (False, True):
        book = load_workbook(path, data_only=data_only)
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
        ws = book["附表2 按期答复率"]
        assert [ws.cell(row=r, column=1).value for r in range(4, 8)] == list(INJECTIONS)
        assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(4, 8))
        assert book["说明"]["B4"].value == "=cmd|' /C calc'!A0"
        assert book["附表3 收到和处理申请情况"]["A14"].value == "=1+1 未归入本表的记录：无"
    with zipfile.ZipFile(path) as z:
        sheets = [name for name in z.namelist() if name.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3
        for name in sheets:
            assert not re.search(r"<f[\s>/]", z.read(name).decode()), name


def test_bar_chart_of_the_value_column(book: Workbook) -> None:
    assert book["附表3 收到和处理申请情况"]._charts == []
    ws = book["附表2 按期答复率"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert isinstance(chart, BarChart) and chart.type == "bar"
    assert chart.title.tx.rich.p[0].r[0].t == "按期答复率"
    assert chart.legend is None
    (series,) = chart.series
    assert series.val.numRef.f == "'附表2 按期答复率'!$D$3:$D$7"
    assert series.cat.numRef.f == "'附表2 按期答复率'!$A$3:$A$7"
    assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == (0, 1)
    assert chart.y_axis.numFmt.formatCode == "0%"
    assert chart.dataLabels.showVal and not chart.dataLabels.showSerName
    assert (chart.anchor._from.col, chart.anchor._from.row) == (0, 10)  # A11: under the footer (row 9)
    assert chart.anchor.ext.width == 16 * 360000 and chart.anchor.ext.height == 7.5 * 360000


def test_chart_height_grows_with_bars(tmp_path: Path) -> None:
    rows = tuple((f"单位{i}", i) for i in range(20))
    table = Table(sheet="多", title="多", grid=(("单位", "数"), *rows), header_rows=1, formats=("text", "int"),
                  chart=Chart(title="数", label_column=0, value_column=1))
    write(Document(title="t", tables=(table,), meta=()), tmp_path / "bars.xlsx")
    chart = load_workbook(tmp_path / "bars.xlsx")["多"]._charts[0]
    assert chart.anchor.ext.height == pytest.approx((0.6 * 20 + 3) * 360000)
    assert chart.y_axis.scaling.max is None and chart.y_axis.numFmt is None  # not a percent column


def test_page_setup(book: Workbook) -> None:
    ws = book["附表3 收到和处理申请情况"]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$4"
    assert ws.print_options.horizontalCentered
    assert ws.oddFooter.center.text == TABLE_3.footer.replace("&", "&&")
    assert book["附表2 按期答复率"].print_title_rows == "$1:$2"


def test_notes_and_footer_below_the_grid(book: Workbook) -> None:
    ws = book["附表3 收到和处理申请情况"]
    assert not [cell for (row, _), cell in ws._cells.items() if row == 12]  # the empty row
    assert ws["A13"].value == TABLE_3.notes[0] and ws["A14"].value == TABLE_3.notes[1]
    assert not ws["A13"].alignment.wrap_text and ws["A13"].border.left.style is None
    assert not any("A13" in r or "A14" in r for r in ws.merged_cells.ranges)
    assert ws["A15"].value == TABLE_3.footer
    assert ws["A15"].font.i and ws["A15"].font.color.rgb.endswith("808080")
    assert (ws.max_row, ws.max_column) == (15, 10)  # nothing written or styled outside
    assert {col for (row, col) in ws._cells if row > 11} == {1}
