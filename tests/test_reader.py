"""Reading real, messy agency workbooks: kinds, headers, matrices, notes rows, merged cells, values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from helpers import audit_json, cells, rules_found, write_xlsx

CATALOGUE_HEADER = [
    ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
     "公开对象", None, "公开方式", None],
    [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请"],
]
CATALOGUE_MERGES = ["A3:A4", "D3:D4", "E3:E4", "F3:F4", "G3:G4", "H3:H4", "B3:C3", "I3:J3", "K3:L3"]


def _catalogue(tmp_path: Path, rows: list[list], extra_merges: tuple[str, ...] = ()) -> dict:
    sheet = [["通州区教委2018年政务公开清单"], ["填报单位:北京市通州区教育委员会"], *CATALOGUE_HEADER, *rows]
    merges = ["A1:L1", *CATALOGUE_MERGES, *extra_merges]
    path = write_xlsx(tmp_path / "区教委.xlsx", {"公开清单": sheet}, {"公开清单": merges})
    return audit_json(path)


def test_two_row_header_with_check_mark_matrices(tmp_path: Path) -> None:
    report = _catalogue(tmp_path, [
        [1, "政策文件", "入学政策", "入学政策文件", "条例", "20个工作日", "区教委", "■政府网站 □政府公报", "√", None, "√", None],
        [2, None, "学籍档案", "学生学籍", None, "实时", "区教委", "□政府网站", None, "√", None, "√"],
        [3, "财政", "部门预算", "预算", "预算法", "20日", "区教委", "t政府网站 □政府公报", "√", None, "✓", None],
        ["注:公开方式一栏勾选"],
        ["填表人:李明   审核人:王芳"],
    ], extra_merges=("B5:B6",))
    (sheet,) = report["files"][0]["sheets"]
    assert (sheet["kind"], sheet["header_row"], sheet["rows"]) == ("catalogue", 4, 3)
    # row 6: 依申请 (a mark under 依申请) with no 公开依据; every 主动 row names a ticked channel
    assert cells(report, "TZ101") == ["公开清单!E6"]
    # the sheet keeps no 属性审查日期 (optional in the template) although it has a 依申请 item: TZ103 does not run
    assert cells(report, "TZ103") == []
    assert rules_found(report) == {"TZ101"}


def test_single_choice_matrix_with_two_marks_names_both(tmp_path: Path) -> None:
    report = _catalogue(tmp_path, [
        [1, "政策文件", "入学政策", "入学政策文件", "条例", "20个工作日", "区教委", "■政府网站", "√", None, "√", "√"],
    ])
    (finding,) = report["findings"]
    assert (finding["rule"], finding["cell"]) == ("TZ007", "K5")
    assert "主动公开、依申请公开" in finding["message"]


def test_no_mark_in_a_required_matrix_is_a_missing_value(tmp_path: Path) -> None:
    report = _catalogue(tmp_path, [
        [1, "政策文件", "入学政策", "入学政策文件", "条例", "20个工作日", "区教委", "■政府网站", "√", None, None, None],
    ])
    assert [(f["rule"], f["cell"]) for f in report["findings"]] == [("TZ004", "K5")]


def test_channel_check_list_with_nothing_ticked_is_empty(tmp_path: Path) -> None:
    report = _catalogue(tmp_path, [
        [1, "政策文件", "入学政策", "入学政策文件", "条例", "20个工作日", "区教委", "□政府网站 口两微一端", "√", None, "√", None],
        [2, "口岸", "口岸项目进展", "进展", "条例", "20个工作日", "区商务委", "口岸公示栏", "√", None, "√", None],
    ])
    assert cells(report, "TZ102") == ["公开清单!H5"]  # `口岸公示栏` is a channel name, not a check-list


def test_alias_headers_with_spaces_line_breaks_and_full_width_brackets(tmp_path: Path) -> None:
    rows = [
        ["事项 名称", "公开内容（要素）", "公开\n属性*", "时限(必填)", "责任单位", "公开渠道"],
        ["入学政策", "政策文件", " 主动 ", "20个工作日", "区教委", "政府网站"],
    ]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"Sheet1": rows}))
    (sheet,) = report["files"][0]["sheets"]
    assert sheet["kind"] == "catalogue"
    assert report["findings"] == []


def test_sheet_name_containing_a_kind_name(tmp_path: Path) -> None:
    rows = [["信息名称", "发布单位", "形成日期", "公开日期"], ["低保标准调整", "区民政局", "2018-03-01", "2018-03-05"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"低保救助信息公开登记": rows}))
    assert report["files"][0]["sheets"][0]["kind"] == "publication"


def test_missing_required_column_is_one_finding_on_the_header_row(tmp_path: Path) -> None:
    rows = [["通州区发改委2018年意见征集"], [], ["决策事项", "征求意见开始日期", "征求意见截止日期"],
            ["草案一", "2018-09-03", "2018-09-14"], ["草案二", "2018-10-08", "2018-10-19"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"意见征集": rows}))
    found = [(f["rule"], f["row"], f["cell"], f["subject"]) for f in report["findings"]]
    # the counts are optional columns, but a rule that needs them says once that it could not run
    assert found == [("TZ003", 3, None, "owner"), ("TZ203", 3, None, "feedback_date"),
                     ("TZ204", 3, None, "received"), ("TZ205", 3, None, "adopted")]
    assert "无法检查" in report["findings"][1]["message"]


def test_title_rows_and_leading_empty_columns_keep_excel_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "政策解读"
    sheet["C3"] = "通州区教委政策解读登记"
    sheet.merge_cells("C3:F3")
    for col, header in zip("CDEFG", ["政策文件", "起草单位", "解读单位", "文件公开日期", "解读公开日期"], strict=True):
        sheet[f"{col}5"] = header
    for col, value in zip("CDEFG", ["入学意见", "区教委", "区政府办", "2018-04-12", "2018-04-12"], strict=True):
        sheet[f"{col}7"] = value  # row 6 is empty inside the table
    book.save(tmp_path / "a.xlsx")
    report = audit_json(tmp_path / "a.xlsx")
    assert report["files"][0]["sheets"][0]["header_row"] == 5
    assert cells(report) == ["政策解读!E7"]  # TZ602 on the interpreter cell, Excel numbering


def test_dates_in_every_accepted_form(tmp_path: Path) -> None:
    forms = [dt.date(2018, 9, 3), dt.datetime(2018, 9, 3, 10, 30), 43346, "2018-09-03", "2018/9/3", "2018.9.3",
             "20180903", "2018年9月3日", "2018年9月3", "２０１８年９月３日", "2018-09-03 10:30:00"]
    rows = [["收到日期", "处理日期"], *[[form, "2018-09-04"] for form in forms]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows}))
    assert report["findings"] == []


def test_unreadable_and_impossible_dates(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期"], ["2018-02-30", None], ["九月三日", None], ["2018-09-03", "明天"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows}))
    assert [(f["rule"], f["cell"], f["evidence"]) for f in report["findings"]] == [
        ("TZ005", "A2", "2018-02-30"), ("TZ005", "A3", "九月三日"), ("TZ005", "B4", "明天")
    ]


def test_numbers(tmp_path: Path) -> None:
    head = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "收到意见数", "采纳意见数", "未采纳理由", "采纳情况公开日期"]
    good = [["A", "区发改委", "2018-09-03", "2018-09-14", n, 0, "不符合规划", "2018-09-28"] for n in (12, 12.0, "12", "１２", "12.0")]
    bad = [["B", "区发改委", "2018-09-03", "2018-09-14", n, 0, "x", "2018-09-28"] for n in (-1, 2.5, "十二")]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"意见征集": [head, *good, *bad]}))
    assert cells(report, "TZ006") == ["意见征集!E7", "意见征集!E8", "意见征集!E9"]
    assert cells(report, "TZ010")  # B rows repeat each other
    assert set(rules_found(report)) == {"TZ006", "TZ010"}


def test_placeholders_in_required_cells(tmp_path: Path) -> None:
    rows = [["政策文件", "起草单位", "文件公开日期"], ["入学意见", "无", "2018-04-12"], ["N/A", "区教委", "/"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"政策解读": rows}))
    assert cells(report, "TZ004") == ["政策解读!B2", "政策解读!A3", "政策解读!C3"]


def test_merged_invalid_value_is_reported_once_at_its_top_left(tmp_path: Path) -> None:
    rows = [["事项名称", "公开内容", "公开属性", "公开时限", "公开渠道"],
            ["A", "a", "部分", "20日", "网站"], ["B", "b", None, "20日", "网站"], ["C", "c", None, "20日", "网站"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"公开清单": rows}, {"公开清单": ["C2:C4"]}))
    assert [(f["rule"], f["cell"]) for f in report["findings"]] == [("TZ007", "C2")]


def test_notes_row_ends_the_table(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期"], ["2018-09-03", "2018-09-04"], ["备注：以上为全年纠错"],
            ["本表无误"], ["2018-99-99", None]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows}))
    assert report["files"][0]["sheets"][0]["rows"] == 1
    assert report["findings"] == []


def test_banner_row_merged_across_the_table_is_not_a_record(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期", "纠错内容"], ["2018-09-03", "2018-09-04", "链接失效"], ["以下为第四季度"],
            ["2018-10-08", "2018-10-09", "错别字"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows}, {"网民纠错": ["A3:C3"]}))
    assert report["files"][0]["sheets"][0]["rows"] == 2  # a banner before more data is skipped, not an end


def test_hidden_sheets_are_audited(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期"], ["2018-09-05", "2018-09-04"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows, "封面": [["通州区"]]}, hidden=["网民纠错"]))
    assert report["files"][0]["sheets"][0]["hidden"] is True
    assert cells(report, "TZ008") == ["网民纠错!B2"]


def test_csv_in_utf8_and_gb18030(tmp_path: Path) -> None:
    text = "收到日期,处理日期\n2018-09-05,2018-09-04\n"
    (tmp_path / "utf8-网民纠错.csv").write_text(text, encoding="utf-8-sig")
    (tmp_path / "gbk-网民纠错.csv").write_bytes(text.encode("gb18030"))
    report = audit_json(tmp_path)
    assert [f["file"].rsplit("/", 1)[-1] for f in report["findings"]] == ["gbk-网民纠错.csv", "utf8-网民纠错.csv"]
    assert rules_found(report) == {"TZ008"}


def test_recognition_by_header_when_the_name_says_nothing(tmp_path: Path) -> None:
    rows = [["部门", "是否使用财政资金", "预算批复日期", "预算公开日期", "决算批复日期", "决算公开日期"],
            ["区教委", "是", "2018-02-01", "2018-02-12", "2018-07-20", "2018-08-03"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"Sheet1": rows, "Sheet2": []}))
    kinds = [s["kind"] for s in report["files"][0]["sheets"]]
    assert kinds == ["budget", None]  # the empty Sheet2 is listed, not reported
    assert report["findings"] == []


def test_application_outcome_forms(tmp_path: Path) -> None:
    head = ["申请人类型", "收到日期", "答复日期", "处理结果"]
    ok = ["予以公开", "不予公开/属于国家秘密", "重复申请", "不予处理-2", "不予公开1.属于国家秘密", "其他处理",
          '危及"三安全一稳定"', "危及三安全一稳定"]
    rows = [head, *[["自然人", "2018-09-03", "2018-09-10", v] for v in ok], ["个人", "2018-09-03", "2018-09-10", "已办"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"依申请公开": rows}))
    assert cells(report) == [f"依申请公开!D{len(rows)}"]


def test_date_order_message_quotes_the_rows_own_dates(tmp_path: Path) -> None:
    rows = [["申请编号", "申请人类型", "收到日期", "答复日期", "处理结果"],
            ["1", "自然人", "２０１８年９月３日", "2018-09-05", "予以公开"],
            ["2", "自然人", "2018-09-04", "2018-09-06", "予以公开"],
            ["3", "自然人", "2018-09-10", "2018-09-05", "予以公开"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"依申请公开": rows}))
    (finding,) = report["findings"]
    assert finding["cell"] == "D4"
    assert finding["message"] == "「答复日期」(2018-09-05)早于「收到日期」(2018-09-10),日期先后颠倒。"


def test_headers_with_line_breaks_are_quoted_without_them(tmp_path: Path) -> None:
    rows = [["政策\n文件", "起草 单位", "文件公开日期", "解读公开日期"], ["入学意见", "无", "2018-04-12", "2018-04-12"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"政策解读": rows}))
    assert [(f["rule"], f["header"]) for f in report["findings"]] == [("TZ004", "起草单位")]


def test_reading_leaves_no_file_open(tmp_path: Path) -> None:
    import gc
    import warnings

    from tongzhou_check.reader.workbook import read_workbook

    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": [["收到日期", "处理日期"], ["2018-09-03", "2018-09-04"]]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        read_workbook(path)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
