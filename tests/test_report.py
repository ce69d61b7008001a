"""tzcheck report: Table 三 counted cell by cell from application logs, cross-checks, and the appendix files."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tests.helpers import ROOT, cli, write_xlsx

TYPES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
# The leaf rows of Table 三 (国办公开办函〔2021〕30号), in the table's order, as regulatory-notes.md lists them.
LEAVES = [
    "予以公开", "部分公开",
    *(f"不予公开/{x}" for x in ["属于国家秘密", "其他法律行政法规禁止公开", '危及"三安全一稳定"', "保护第三方合法权益",
                               "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]),
    *(f"无法提供/{x}" for x in ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]),
    *(f"不予处理/{x}" for x in ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                               "要求行政机关确认或重新出具已获取信息"]),
    *(f"其他处理/{x}" for x in ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                               "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                               "其他"]),
]
HEADER = ["申请编号", "申请人类型", "收到日期", "答复日期", "处理结果"]
ID_NUMBER = "11010519491231002X"


def _applications() -> tuple[list[list], Counter]:
    """Application rows and, for each, the Table 三 cells it must count: (row, applicant type) → n."""
    rows: list[list] = []
    expected: Counter = Counter()

    def add(kind: str, received: str | None, replied: str | None, outcome: str | None, *cells: str) -> None:
        rows.append([f"2018-{len(rows) + 1:03d}", kind, received, replied, outcome])
        expected.update((cell, kind) for cell in cells)

    for i, leaf in enumerate(LEAVES):  # every outcome, received and replied in the year
        add(TYPES[i % 6], f"2018-03-{i + 1:02d}", f"2018-04-{i + 1:02d}", leaf, "一", leaf)
    add("自然人", "2018-05-02", "2018-05-10", "不予公开-1", "一", "不予公开/属于国家秘密")  # numbered form
    add("商业企业", "2018-05-03", "2018-05-11", "重复申请", "一", "不予处理/重复申请")  # a unique leaf alone
    add("其他", "2018-05-04", "2018-05-14", "其他处理", "一", "其他处理/其他")  # 其他处理 = 其他处理/其他
    add("自然人", "2017-12-20", "2018-01-10", "予以公开", "二", "予以公开")  # carried over, replied this year
    add("商业企业", "2017-12-25", None, None, "二", "四")  # carried over, still open
    add("科研机构", "2017-11-01", "2017-11-20", "予以公开")  # closed last year: not counted
    add("法律服务机构", "2018-12-20", None, None, "一", "四")  # new, still open
    add("其他", "2018-12-25", "2019-01-08", "部分公开", "一", "四")  # replied after the year: carried forward
    add("社会公益组织", "2019-01-03", None, None)  # next year's
    return rows, expected


def _unplaced_rows() -> list[list]:
    return [
        ["X-1", "外国人", "2018-06-01", "2018-06-05", "予以公开"],  # applicant type not one of the six
        ["X-2", "自然人", "2018-06-02", "2018-06-06", f"已办结 {ID_NUMBER}"],  # outcome that matches no row
        ["X-3", "自然人", None, "2018-07-01", "予以公开"],  # no date received
        ["X-4", "科研机构", "2018-08-01", "8月3日", "予以公开"],  # a reply date that is not a date
        ["X-5", "科研机构", "2018-08-02", "2017-08-03", "予以公开"],  # replied before the year it was received in
    ]


def _table_rows(fmt: str) -> list[str]:
    leaves = LEAVES if fmt == "2021" else [*LEAVES[:-3], "其他处理"]
    return ["一", "二", *leaves, "七", "四"]


def _read_table3(path: Path, fmt: str) -> tuple[dict[str, list[int]], list[str], Worksheet]:
    book = openpyxl.load_workbook(path)
    sheet = book["附表3 依申请公开"]
    first = 5  # title row, three header rows
    numbers = {}
    labels = []
    for key, row in zip(_table_rows(fmt), sheet.iter_rows(min_row=first), strict=False):
        labels.append(" ".join(str(c.value) for c in row[:3] if c.value))
        numbers[key] = [c.value for c in row[3:10]]
    notes = [str(c.value) for c in sheet["A"] if c.value and str(c.value).startswith(("勾稽", "未能", "Check"))]
    return numbers, notes, sheet


def _expected_cells(expected: Counter, fmt: str) -> dict[str, list[int]]:
    rows = {}
    for key in _table_rows(fmt):
        if key == "七":
            sums = [sum(expected[(leaf, t)] for leaf in LEAVES) for t in TYPES]
        elif key == "其他处理":
            sums = [sum(expected[(leaf, t)] for leaf in LEAVES if leaf.startswith("其他处理/")) for t in TYPES]
        else:
            sums = [expected[(key, t)] for t in TYPES]
        rows[key] = [*sums, sum(sums)]
    return rows


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_table3_every_cell(tmp_path: Path, fmt: str) -> None:
    rows, expected = _applications()
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER, *rows]})
    target = tmp_path / "appendix.xlsx"
    code, _, err = cli("report", str(book), "--year", "2018", "--table-format", fmt, "-o", str(target))
    assert code == 0, err
    numbers, notes, sheet = _read_table3(target, fmt)
    assert numbers == _expected_cells(expected, fmt)
    assert sheet["A1"].value == f"附表3 依申请公开办理情况(2018年度,{fmt}年格式)"
    assert all(line.endswith(("✓ 各列相符", "✓ 各行相符")) for line in notes[:3]), notes
    assert sheet.cell(5 + len(_table_rows(fmt)) - 1, 1).value == "四、结转下年度继续办理"
    assert "未能归入" not in "".join(notes)


def test_table3_lists_what_it_cannot_place_and_the_checks_show_it(tmp_path: Path) -> None:
    rows, expected = _applications()
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER, *rows, *_unplaced_rows()]})
    target = tmp_path / "appendix.md"
    code, _, err = cli("report", str(book), "--year", "2018", "-o", str(target))
    assert code == 0, err
    text = target.read_text("utf-8")
    first = len(rows) + 2  # the unplaced rows follow the header and the placed rows
    assert f"· 依申请公开登记 · B{first}:申请人类型缺失或不在六类之中(填写为“外国人”)" in text
    assert f"· 依申请公开登记 · E{first + 1}:已答复但处理结果缺失或无法对应本表各项" in text
    assert f"· 依申请公开登记 · C{first + 2}:收到日期缺失或无法识别" in text
    assert f"· 依申请公开登记 · D{first + 3}:答复日期无法识别或早于本年度,无法判断是否已办结(填写为“8月3日”)" in text
    assert f"· 依申请公开登记 · D{first + 4}:答复日期无法识别或早于本年度" in text
    assert "未能归入本表的申请共 5 件" in text
    # X-2 is counted as received (一, 自然人) but no outcome row takes it: the balance check names the column
    one = expected[("一", "自然人")] + 1
    seven = sum(expected[(leaf, "自然人")] for leaf in LEAVES) + expected[("四", "自然人")]
    research = expected[("一", "科研机构")] + 2  # are received in the year, neither handled nor open
    done = sum(expected[(leaf, "科研机构")] for leaf in LEAVES) + expected[("四", "科研机构")]
    assert (f"勾稽关系 一+二 = (七)总计+四:✗ 不符:自然人({one + expected[('二', '自然人')]} ≠ {seven})、"
            f"科研机构({research} ≠ {done})") in text
    assert ID_NUMBER not in text and "110105********002X" in text


def test_report_without_output_prints_markdown_and_defaults(tmp_path: Path) -> None:
    rows, _ = _applications()
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER, *rows]})
    code, out, err = cli("report", str(book), "--as-of", "2018-12-31")
    assert code == 0, err
    assert out.startswith("# 政府信息公开工作年度报告附件:政务公开合规检查情况(2018年度)")
    for title in ("附表1 合规概况", "附表2 规则执行情况", "附表3 依申请公开办理情况", "附表4 重点领域公开情况",
                  "附表5 要点职责落实情况"):
        assert f"## {title}(2018年度" in out
    assert "规则包 tongzhou-2018" in out
    assert f"统计来源:1 张依申请公开登记表,共 {len(rows)} 条记录。" in out
    code, out, _ = cli("report", str(book), "--year", "2018", "--lang", "en")
    assert code == 0 and "## Table 3 Applications for disclosure (2018, 2021 format)" in out
    page = tmp_path / "en.html"
    code, _, _ = cli("report", str(book), "--year", "2018", "--lang", "en", "-o", str(page))
    assert code == 0 and '<html lang="en">' in page.read_text("utf-8")


@pytest.mark.parametrize("args, message", [
    (["-o", "appendix.pdf"], "unsupported report format"),
    (["--table-format", "2020"], "2020"),
    (["--as-of", "2018-13-01"], "YYYY-MM-DD"),
])
def test_report_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"依申请公开登记": [HEADER]})
    code, _, err = cli("report", str(book), *[str(tmp_path / a) if a.endswith(".pdf") else a for a in args])
    assert code == 2 and message in err


def test_report_never_overwrites_an_input(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER, *_applications()[0]]})
    before = book.read_bytes()
    code, _, err = cli("report", str(tmp_path), "--year", "2018", "-o", str(book))
    assert code == 2 and "overwrite" in err
    assert book.read_bytes() == before


AGENCY_TEXT = ["<script>alert(1)</script>", '=HYPERLINK("http://evil.example","x")', "+1", "@SUM(A1)",
               "联系人手机13812345678"]


@pytest.fixture
def agency_text_book(tmp_path: Path) -> Path:
    """A publication log whose 重点领域 cells hold markup, formulas and a mobile number."""
    header = ["信息名称", "发布单位", "形成日期", "公开日期", "重点领域"]
    rows = [[f"信息{i}", "区民政局", "2018-03-01", "2018-03-02", area] for i, area in enumerate(AGENCY_TEXT)]
    apps = [HEADER, ["X-9", "自然人", "2018-06-02", "2018-06-06", f"<b>办结</b> {ID_NUMBER}"]]
    path = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"信息发布登记": [header, *rows], "依申请公开登记": apps})
    book = openpyxl.load_workbook(path)
    for cell in book["信息发布登记"]["E"]:
        cell.data_type = "s"  # as a clerk's text cell, not a formula openpyxl would otherwise write
    book.save(path)
    return path


def test_xlsx_appendix_keeps_agency_text_as_text(agency_text_book: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "appendix.xlsx"
    target.parent.mkdir()
    code, _, err = cli("report", str(agency_text_book), "--year", "2018", "-o", str(target))
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["说明", "附表1 合规概况", "附表2 规则执行情况", "附表3 依申请公开", "附表4 重点领域",
                               "附表5 职责落实情况"]
    areas = book["附表4 重点领域"]
    written = {c.value: c.data_type for c in areas["A"] if c.value}
    for text in AGENCY_TEXT[:4]:
        assert written[text] == "s"  # text, never a formula
    assert "联系人手机138****5678" in written
    with zipfile.ZipFile(target) as archive:
        xml = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")}
    assert not [n for n, text in xml.items() if n.startswith("xl/worksheets/") and "<f>" in text]  # no formula cell
    assert not [n for n, text in xml.items() if "13812345678" in text or ID_NUMBER in text]
    overview = book["附表1 合规概况"]
    assert len(overview._charts) == 1
    assert "A3:B4" not in {str(r) for r in overview.merged_cells.ranges}
    table3 = book["附表3 依申请公开"]
    merged = {str(r) for r in table3.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merged  # the national table's header
    assert table3.freeze_panes == "D5"


def test_html_appendix_is_self_contained_and_escaped(agency_text_book: Path, tmp_path: Path) -> None:
    target = tmp_path / "appendix.html"
    code, _, err = cli("report", str(agency_text_book), "--year", "2018", "-o", str(target))
    assert code == 0, err
    page = target.read_text("utf-8")
    assert page.count("<table") == 5 and "<svg" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;办结&lt;/b&gt;" in page
    assert re.findall(r"https?://[a-z0-9./-]*", page) == ["http://www.w3.org/2000/svg", "http://evil.example"]
    assert 'href="http://evil.example"' not in page and "src=" not in page and "<link" not in page
    assert "13812345678" not in page and ID_NUMBER not in page


def test_markdown_appendix_escapes_agency_text(agency_text_book: Path, tmp_path: Path) -> None:
    target = tmp_path / "appendix.md"
    code, _, err = cli("report", str(agency_text_book), "--year", "2018", "-o", str(target))
    assert code == 0, err
    text = target.read_text("utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "13812345678" not in text and ID_NUMBER not in text
    area_rows = [line for line in text.splitlines() if line.startswith("| &lt;script&gt;")]
    assert len(area_rows) == 1 and area_rows[0].count(" | ") == 3  # one row of four cells: no pipe broke it


def test_sample_appendix(tmp_path: Path) -> None:
    """The samples' appendix: agencies by name, a clean agency at 100%, the duty gaps of sample_lists/README.md."""
    target = tmp_path / "appendix.xlsx"
    code, _, err = cli("report", str(ROOT / "sample_lists"), "--year", "2018", "-o", str(target))
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    overview = {row[0]: row for row in book["附表1 合规概况"].iter_rows(min_row=3, max_row=5, values_only=True)}
    assert set(overview) == {"区教委", "区民政局", "区发展改革委"}
    assert overview["区教委"][4:9] == (0, 0, 0, 0, 1.0)  # errors, warnings, info, records with error, share
    assert overview["区民政局"][4] > 0 and overview["区民政局"][8] < 1
    duties = {row[0]: row for row in book["附表5 职责落实情况"].iter_rows(min_row=3, max_row=5, values_only=True)}
    assert duties["区教委"][3] == duties["区教委"][2] and duties["区教委"][4] == 0
    assert duties["区民政局"][4] == 2 and duties["区民政局"][5].startswith("D094 ")
    assert duties["区发展改革委"][5] == "无公开清单,未核对"
    areas = [row for row in book["附表4 重点领域"].iter_rows(min_row=3, values_only=True) if row[0]]
    assert ("教育", 14, 6, 1) in areas
    rules = {row[0]: row for row in book["附表2 规则执行情况"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert rules["TZ202"][4:6] == (0, 1)  # the waived finding is counted apart
    table3 = book["附表3 依申请公开"]
    assert table3["J5"].value == 11  # 一、本年新收, 总计: 区民政局's eleven applications
    notes = [str(c.value) for c in table3["A"] if c.value]
    assert any("依申请公开登记 · H11:已答复但处理结果缺失" in n for n in notes)
    assert any("依申请公开登记 · H13:" in n and "已办结" in n for n in notes)
    assert any(n.startswith("勾稽关系 一+二 = (七)总计+四:✗ 不符:商业企业") and "法律服务机构" in n for n in notes)


def test_unreadable_workbook_is_listed_not_fatal(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER, *_applications()[0]]})
    (tmp_path / "区教委-2018.xlsx").write_bytes(b"not a workbook")
    code, out, err = cli("report", str(tmp_path), "--year", "2018")
    assert code == 0, err
    assert "| 区教委 | " + (tmp_path / "区教委-2018.xlsx").as_posix() + " | (无法读取) | 0 | 1 | 0 | 0 | 0 |  |" in out


def test_report_in_worker_processes_matches_serial(tmp_path: Path) -> None:
    rows, _ = _applications()
    write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER, *rows]})
    write_xlsx(tmp_path / "区教委-2018.xlsx", {"依申请公开登记": [HEADER, *rows[:5]]})
    serial = cli("report", str(tmp_path), "--year", "2018", "--jobs", "1")
    parallel = cli("report", str(tmp_path), "--year", "2018", "--jobs", "2")
    assert serial[0] == parallel[0] == 0
    assert serial[1] == parallel[1] and "| 二、上年结转政府信息公开申请数量 |  |  | 1 | 1 | 0 |" in serial[1]


def test_long_unplaced_lists_are_cut_and_counted_by_reason(tmp_path: Path) -> None:
    bad_type = [[f"T-{i}", "外国人", "2018-06-01", "2018-06-05", "予以公开"] for i in range(55)]
    no_outcome = [[f"O-{i}", "自然人", "2018-06-01", "2018-06-05", None] for i in range(3)]
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER, *bad_type, *no_outcome]})
    code, out, err = cli("report", str(book), "--year", "2018")
    assert code == 0, err
    assert "未能归入本表的申请共 58 件" in out
    assert out.count("· 依申请公开登记 · B") == 50  # the first 50, one by one
    assert "另有 8 件未逐条列出:申请人类型 5 件、处理结果 3 件。" in out


def test_a_sheet_without_the_outcome_column_is_one_line(tmp_path: Path) -> None:
    rows = [[f"A-{i}", "自然人", "2018-06-01", "2018-06-05"] for i in range(4)]
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [HEADER[:4], *rows]})
    code, out, err = cli("report", str(book), "--year", "2018", "--lang", "en")
    assert code == 0, err
    assert "· 依申请公开登记: no “处理结果” column, 4 applications cannot be placed" in out
    assert "Check 1 + 2 = 3 (total) + 4: ✗ differs: Natural persons (4 ≠ 0), Total (4 ≠ 0)" in out


def test_no_application_log_is_said_not_shown_as_zero_applications(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "区教委-2018.xlsx", {"信息发布登记": [["信息名称", "发布单位", "形成日期", "公开日期"]]})
    code, out, err = cli("report", str(book), "--year", "2018")
    assert code == 0, err
    assert "未读到依申请公开登记表,本表各项均为 0。" in out and "统计来源" not in out
