"""The Word appendix writer: real tables written as .docx, read back with python-docx and as raw XML; and the report
command writing the same appendix as .docx and .xlsx."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm

from tests.helpers import ROOT, cli
from tests.test_appendix_xlsx import APPENDIX, INJECTIONS, TABLE_3, TABLE_ON_TIME
from tongzhou_check.grids import Document, Table
from tongzhou_check.grids.docx import write


@pytest.fixture
def word(tmp_path: Path) -> WordDocument:
    target = tmp_path / "附表.docx"
    write(APPENDIX, target)
    return docx.Document(str(target))


def _captions(doc: WordDocument) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Caption"]


def test_title_meta_and_one_captioned_table_per_appendix_table(word: WordDocument) -> None:
    assert word.paragraphs[0].text == APPENDIX.title and word.paragraphs[0].style.name == "Title"
    assert [p.text for p in word.paragraphs[1:4]] == [f"{label}:{value}" for label, value in APPENDIX.meta]
    assert _captions(word) == [TABLE_3.title, TABLE_ON_TIME.title]
    grid_3, grid_on_time = word.tables[0], word.tables[1]
    assert (len(grid_3.rows), len(grid_3.columns)) == (len(TABLE_3.grid), TABLE_3.width)
    assert (len(grid_on_time.rows), len(grid_on_time.columns)) == (len(TABLE_ON_TIME.grid), TABLE_ON_TIME.width)


def test_a4_pages_landscape_only_for_the_wide_table(word: WordDocument) -> None:
    sections = word.sections
    assert len(sections) == 3  # the title page, then one section (a new page) per table
    for section in sections:
        assert {round(section.page_width.cm, 1), round(section.page_height.cm, 1)} == {21.0, 29.7}
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert sections[1].page_width > sections[1].page_height


def test_merges_are_reproduced(word: WordDocument) -> None:
    grid = word.tables[0]
    for m in TABLE_3.merges:
        origin = grid.cell(m.top, m.left)._tc
        for r in range(m.top, m.bottom + 1):
            for c in range(m.left, m.right + 1):
                assert grid.cell(r, c)._tc is origin, (m, r, c)
    assert grid.cell(0, 3)._tc is not grid.cell(1, 3)._tc  # 申请人情况 spans one header row only
    assert grid.cell(0, 0).text == TABLE_3.grid[0][0]  # the merged text is the origin's, written once
    assert grid.cell(5, 0).text == "三、本年度办理结果" and grid.cell(8, 2).text == "2．其他法律行政法规禁止公开"


def test_header_rows_repeat_on_every_page_and_are_shaded(word: WordDocument) -> None:
    grid = word.tables[0]
    flags = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in grid.rows]
    assert flags == [True] * TABLE_3.header_rows + [False] * (len(TABLE_3.grid) - TABLE_3.header_rows)
    fills = {grid.cell(0, 3)._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")),
             grid.cell(2, 4)._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))}
    assert fills == {"D9D9D9"}
    assert grid.cell(3, 3)._tc.tcPr.find(qn("w:shd")) is None  # the body is not shaded
    assert all(run.bold for run in grid.cell(1, 9).paragraphs[0].runs)


def test_numbers_are_formatted_and_aligned_as_in_html(word: WordDocument) -> None:
    grid, on_time = word.tables[0], word.tables[1]
    assert grid.cell(3, 3).text == "120" and grid.cell(8, 3).text == "2"  # 2.0 in an int column
    assert [on_time.cell(r, 3).text for r in range(1, 6)] == ["95.0%", "100.0%", "75.0%", "50.0%", "0.0%"]
    assert grid.cell(3, 3).paragraphs[0].alignment == 2  # right
    assert grid.cell(5, 1).paragraphs[0].alignment is None  # a label: left, as the style has it


def test_widths_fit_the_page_and_short_columns_keep_theirs(word: WordDocument) -> None:
    section = word.sections[1]
    usable = section.page_width - section.left_margin - section.right_margin
    grid = word.tables[0]
    widths = [column.width for column in grid.columns]
    assert sum(widths) <= usable + Cm(0.01)
    assert widths[9] >= Cm(0.4 + 0.17 * 4 - 0.01)  # 总计 keeps its natural width; the long labels are narrowed
    assert widths[2] > widths[9]
    layout = grid._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_text_stays_text_and_bad_characters_are_dropped(tmp_path: Path) -> None:
    table = Table(sheet="s", title="标题\x07", grid=(("名称", "数"), ("甲\x00乙\x1f", 1), (INJECTIONS[0], 2)),
                  header_rows=1, formats=("text", "int"), notes=("✗ 不符:总计(3 ≠ 4)", "✓ 相符"))
    target = tmp_path / "t.docx"
    write(Document(title="t", tables=(table,), meta=()), target)
    doc = docx.Document(str(target))
    assert _captions(doc) == ["标题"]
    assert doc.tables[0].cell(1, 0).text == "甲乙" and doc.tables[0].cell(2, 0).text == INJECTIONS[0]
    bad, good = (p for p in doc.paragraphs if p.text in table.notes)
    assert bad.runs[0].bold and str(bad.runs[0].font.color.rgb) == "B00020"
    assert not good.runs[0].bold and good.runs[0].font.color.rgb is None
    with zipfile.ZipFile(target) as z:
        body = z.read("word/document.xml").decode()
    assert "<w:t>" + INJECTIONS[0] in body  # plain text, never a field
    assert not any(tag in body for tag in ("w:fldChar", "w:instrText", "w:fldSimple"))


def test_page_numbers_and_chinese_fonts(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    write(APPENDIX, target)
    with zipfile.ZipFile(target) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        styles = z.read("word/styles.xml").decode()
    assert any('fldCharType="begin"' in f and "PAGE" in f for f in footers)
    assert 'w:eastAsia="宋体"' in styles


def test_a_chart_becomes_text_bars(word: WordDocument) -> None:
    bars = word.tables[2]  # after the on-time table, whose spec has a chart
    assert len(bars.rows) == len(TABLE_ON_TIME.body)
    assert bars.cell(0, 0).text == "北京市通州区人民政府办公室"
    assert bars.cell(1, 1).text == "█" * 30 + " 100.0%" and bars.cell(4, 1).text == " 0.0%"


def test_report_writes_the_same_appendix_as_docx_and_xlsx(tmp_path: Path) -> None:
    out_docx, out_xlsx = tmp_path / "附录.docx", tmp_path / "附录.xlsx"
    code, _, err = cli("report", str(ROOT / "sample_lists"), "--year", "2018", "-o", str(out_docx), "-o", str(out_xlsx))
    assert code == 0, err
    doc, book = docx.Document(str(out_docx)), openpyxl.load_workbook(out_xlsx)
    sheets = book.worksheets[1:]
    assert _captions(doc) == [ws["A1"].value for ws in sheets]
    assert doc.paragraphs[0].text == book["说明"]["A1"].value
    table_3 = next(t for t in doc.tables if t.cell(0, 3).text == "申请人情况")
    ws_3 = next(ws for ws in sheets if ws["A1"].value.startswith("附表3"))
    assert table_3.cell(3, 9).text == str(ws_3["J5"].value)  # 一、本年新收 … 总计


def test_report_refuses_other_suffixes_and_names_docx(tmp_path: Path) -> None:
    code, _, err = cli("report", str(ROOT / "sample_lists"), "--year", "2018", "-o", str(tmp_path / "a.pdf"))
    assert code == 2
    assert ".docx" in err and not (tmp_path / "a.pdf").exists()
