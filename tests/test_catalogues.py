"""Catalogues as real agencies publish them (issue 13): stacked tables, item hierarchies, their header words,
sheet names, 主动-only catalogues, dates as clerks write them, agencies of other places, Table 三's own labels."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from helpers import audit_json, cells, cli, rules_found, write_xlsx

from tongzhou_check.pack import load_pack
from tongzhou_check.reader import Workbook, read_book

TWO_ROW = [
    ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
     "公开对象", None, "公开方式", None],
    [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请"],
]


def _two_row_merges(row: int) -> list[str]:
    """The merges of TWO_ROW printed at Excel row `row` (its upper row)."""
    low = row + 1
    return [f"{c}{row}:{c}{low}" for c in "ADEFGH"] + [f"B{row}:C{row}", f"I{row}:J{row}", f"K{row}:L{row}"]


def _item(n: int, group: str | None, item: str, mark: str = "主动") -> list:
    marks = ["√", None] if mark == "主动" else [None, "√"]
    return [n, group, item, f"{item}的内容", "《中华人民共和国政府信息公开条例》", "20个工作日", "区民政局",
            "■政府网站 □政府公报", "√", None, *marks]


def test_stacked_tables_each_under_its_banner_with_its_header_printed_again(tmp_path: Path) -> None:
    rows = [
        ["北京市通州区民政局政务公开标准目录"],                        # 1: title
        ["一、政策文件领域"],                                          # 2: banner
        *TWO_ROW,                                                      # 3-4: header
        _item(1, "政策文件", "规范性文件"),                            # 5
        _item(2, None, "政策解读"),                                    # 6 (group merged down from 5)
        ["二、社会救助领域"],                                          # 7: banner
        *TWO_ROW,                                                      # 8-9: header again
        _item(1, "最低生活保障", "低保标准"),                          # 10
        _item(2, None, "低保对象"),                                    # 11
        ["三、养老服务领域"],                                          # 12: banner
        *TWO_ROW,                                                      # 13-14: header again
        _item(1, "养老服务", "养老机构名单"),                          # 15
        [3, "养老服务", "养老补贴", "补贴标准", None, "20个工作日", "区民政局", "■政府网站", "√", None, None, "√"],  # 16
    ]
    merges = ["A1:L1", "A2:L2", *_two_row_merges(3), "B5:B6", "A7:L7", *_two_row_merges(8), "B10:B11",
              "A12:L12", *_two_row_merges(13)]
    path = write_xlsx(tmp_path / "区民政局.xlsx", {"政务公开标准目录": rows}, {"政务公开标准目录": merges})
    report = audit_json(path)
    (sheet,) = report["files"][0]["sheets"]
    assert (sheet["kind"], sheet["header_row"], sheet["rows"]) == ("catalogue", 4, 6)
    # nothing on the banners or on the printed-again headers: only row 16 (依申请 without 公开依据), at its own row
    assert cells(report, "TZ101") == ["政务公开标准目录!E16"]
    assert not {"TZ004", "TZ006", "TZ007", "TZ010"} & rules_found(report)


def test_a_stacked_table_of_another_header_starts_a_table_of_its_own_kind(tmp_path: Path) -> None:
    rows = [
        ["通州区民政局2018年政务公开"],                                  # 1: title
        ["一、主动公开事项"],                                            # 2: banner
        ["序号", "公开事项", "公开内容", "公开属性", "公开时限", "公开主体"],  # 3
        [1, "低保标准", "标准文件", "主动公开", "20个工作日", "区民政局"],    # 4
        [2, "低保对象", "名单", "主动", "20个工作日", "区民政局"],            # 5
        ["二、政策解读"],                                                # 6: banner
        ["序号", "政策文件", "起草单位", "解读单位", "文件公开日期", "解读公开日期"],  # 7: another kind
        [1, "低保标准调整通知", "区民政局", "区民政局", "2018-03-01", "2018-03-02"],   # 8
        [2, "临时救助办法", "区民政局", "区民政局", "2018-04-02", "2018/4/30"],         # 9: late interpretation
        ["三、主动公开事项(续)"],                                       # 10: banner
        ["序号", "公开事项", "公开内容", "公开属性", "公开时限", "公开主体", "公开渠道"],  # 11: other columns
        ["一", "养老补贴", "补贴标准", "主动公开", "20个工作日", "区民政局", "政府网站"],  # 12: 序号 not a number
    ]
    merges = ["A1:F1", "A2:F2", "A6:F6", "A10:G10"]
    report = audit_json(write_xlsx(tmp_path / "区民政局.xlsx", {"公开目录": rows}, {"公开目录": merges}))
    listed = [(s["name"], s["kind"], s["header_row"], s["rows"]) for s in report["files"][0]["sheets"]]
    assert listed == [("公开目录", "catalogue", 3, 2), ("公开目录", "interpretation", 7, 2),
                      ("公开目录", "catalogue", 11, 1)]
    assert cells(report, "TZ006") == ["公开目录!A12"]
    assert "TZ004" not in rules_found(report)
    # the interpretation rules judge the middle table, at its own rows
    assert all(f["row"] in (8, 9) for f in report["findings"] if f["rule"].startswith("TZ6"))


def test_header_words_of_real_catalogues_notes_and_a_second_column_for_one_header(tmp_path: Path) -> None:
    rows = [
        ["序号", "业务事项", "内容规范", "公开方式(勾选)", None, "公开时限(最低1年)", "责任主体", "公开形式", "公开渠道"],
        [None, None, None, "主动", "依申请", None, None, None, None],
        [1, "低保标准", "标准文件", "√", None, "20个工作日", "区民政局", "政府网站", "公告栏"],
        [2, "低保对象", "名单", "√", None, "20个工作日", "区民政局", None, "公告栏"],
    ]
    merges = ["D1:E1", *(f"{c}1:{c}2" for c in "ABCFGHI")]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"政府信息公开标准": rows}, {"政府信息公开标准": merges}))
    (sheet,) = report["files"][0]["sheets"]
    assert (sheet["kind"], sheet["header_row"], sheet["rows"]) == ("catalogue", 2, 2)
    # 公开形式 and 公开渠道 both name the channel: the first wins, the second is listed and not read
    assert sheet["unused_columns"] == [{"column": "I", "header": "公开渠道"}]
    # row 4 has no channel in the column read (公开形式), although 公开渠道 holds one
    assert cells(report, "TZ102") == ["政府信息公开标准!H4"]
    assert rules_found(report) == {"TZ102"}


def test_item_and_owner_words(tmp_path: Path) -> None:
    rows = [["信息类别", "内容标准", "公开属性", "公开时限", "公开责任", "公开渠道"],
            ["财政预算", "部门预算", "主动公开", "20个工作日", "区民政局", "政府网站"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"标准目录": rows}))
    (sheet,) = report["files"][0]["sheets"]
    assert sheet["kind"] == "catalogue" and "unused_columns" not in sheet
    assert report["findings"] == []


def test_sheet_names_of_standard_and_item_catalogues(tmp_path: Path) -> None:
    header = ["事项", "要素", "属性", "时限"]  # no header word a kind knows: only the name says what it is
    names = ["政府信息公开标准", "区民政局政务公开标准目录(2018版)", "社会救助领域事项目录"]
    path = write_xlsx(tmp_path / "a.xlsx", {n: [header, ["a", "b", "c", "d"]] for n in names})
    report = audit_json(path)
    assert [s["kind"] for s in report["files"][0]["sheets"]] == ["catalogue"] * 3
    assert {f["sheet"] for f in report["findings"] if f["rule"] == "TZ003"} == set(names)


def test_dates_as_clerks_write_them(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期", "纠错内容"],
            ["2018年10月8号", "2018年10月9日", "链接失效"],
            ["2018年4月", "2018-04", "错别字"],
            ["2018年4月31号", None, "错别字"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows}))
    found = {f["cell"]: f["message"] for f in report["findings"] if f["rule"] == "TZ005"}
    assert list(found) == ["A3", "B3", "A4"]
    assert "只写到月份" in found["A3"] and "只写到月份" in found["B3"]
    assert "不是有效日期" in found["A4"]  # an impossible day is still not a valid date
    en = audit_json(tmp_path / "a.xlsx", extra=["--lang", "en"])
    assert "a month but not a day" in next(f["message"] for f in en["findings"] if f["cell"] == "A3")


def _read(path: Path) -> Workbook:
    book = read_book(path, load_pack())
    assert book.error is None
    return book


def test_four_level_item_hierarchy_with_levels_merged_down(tmp_path: Path) -> None:
    rows = [
        ["通州区民政局政务公开事项目录"],
        ["序号", "一级目录", "二级目录", "三级目录", "四级目录", "公开内容", "公开属性", "公开时限", "公开主体", "公开渠道"],
        [1, "社会救助", "最低生活保障", "城市低保", "低保标准", "标准文件", "主动公开", "20个工作日", "区民政局", "政府网站"],
        [2, None, None, None, "低保对象", "名单", "主动公开", "20个工作日", "区民政局", "政府网站"],
        [3, None, None, "农村低保", None, "标准文件", "主动公开", "20个工作日", "区民政局", "政府网站"],
        [4, None, "临时救助", None, None, "救助办法", "依申请公开", "20个工作日", "区民政局", "政府网站"],
        [5, "养老服务", "养老机构", "机构名单", "养老机构名单", "机构名单", "主动公开", "20个工作日", "区民政局", "政府网站"],
        [6, None, None, None, None, "机构名单", "主动公开", "20个工作日", "区民政局", "政府网站"],
        [7, None, None, None, "低保标准", "标准文件", "主动公开", "20个工作日", "区民政局", "政府网站"],
    ]
    # 社会救助 spans rows 3-6, 最低生活保障 rows 3-5, 城市低保 rows 3-4; 养老服务 … rows 7-9
    merges = ["A1:J1", "B3:B6", "C3:C5", "D3:D4", "B7:B9", "C7:C9", "D7:D9"]
    path = write_xlsx(tmp_path / "区民政局.xlsx", {"事项目录": rows}, {"事项目录": merges})
    (sheet,) = _read(path).sheets
    assert sheet.values("item").tolist() == ["低保标准", "低保对象", "农村低保", "临时救助", "养老机构名单",
                                             "机构名单", "低保标准"]
    assert sheet.values("item_group").tolist() == [
        "社会救助/最低生活保障/城市低保", "社会救助/最低生活保障/城市低保", "社会救助/最低生活保障",
        "社会救助", "养老服务/养老机构/机构名单", "养老服务/养老机构", "养老服务/养老机构/机构名单"]
    report = audit_json(path)
    assert "TZ004" not in rules_found(report)  # every row has an item at some level
    # the 四级 item 低保标准 under 养老服务 repeats row 3's item and content: a duplicate record
    assert cells(report, "TZ010") == ["事项目录!I9"]


def test_three_level_items_under_a_two_row_header_and_topics(tmp_path: Path) -> None:
    rows = [
        ["序号", "公开事项", None, None, "公开内容", "公开属性", "公开时限"],
        [None, "一级事项", "二级事项", "三级事项", None, None, None],
        [1, "政策文件", "规范性文件", "低保规定", "文件全文", "主动公开", "20个工作日"],
        [2, None, "政策解读", None, "解读", "主动公开", "20个工作日"],
        [3, None, None, None, "其他", "主动公开", "20个工作日"],
    ]
    merges = ["B1:D1", "A1:A2", "E1:E2", "F1:F2", "G1:G2", "B3:B5"]
    path = write_xlsx(tmp_path / "a.xlsx", {"公开清单": rows}, {"公开清单": merges})
    (sheet,) = _read(path).sheets
    assert sheet.header_row == 2
    assert sheet.values("item").tolist() == ["低保规定", "政策解读", "政策文件"]
    assert sheet.values("item_group").tolist() == ["政策文件/规范性文件", "政策文件", None]
    topics = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [
        ["主题", "子主题", "公开事项", "公开内容", "公开属性", "公开时限"],
        ["财政", "预算", "部门预算", "预算表", "主动公开", "20个工作日"],
    ]})
    (sheet,) = _read(topics).sheets
    assert sheet.kind.key == "catalogue"
    assert (sheet.values("item").tolist(), sheet.values("item_group").tolist()) == (["部门预算"], ["财政/预算"])


def test_one_missing_column_is_one_finding(tmp_path: Path) -> None:
    rows = [["公开事项", "公开内容", "公开时限", "公开主体"],
            ["低保标准", "标准文件", "20个工作日", "区民政局"]]
    report = audit_json(write_xlsx(tmp_path / "a.xlsx", {"公开清单": rows}))
    found = [(f["rule"], f["subject"]) for f in report["findings"]]
    # 公开属性 is missing: TZ003 says so; the rules that also lack 公开依据, 公开渠道 or 属性审查日期 name only those
    assert ("TZ003", "attribute") in found
    unchecked = [f for f in report["findings"] if f["rule"] != "TZ003"]
    assert unchecked and all("公开属性" not in f["message"].split("本表缺少")[1] for f in unchecked)
    assert {f["subject"] for f in unchecked} <= {"basis", "channel", "reviewed"}
    # a rule that needs two missing columns names both in one finding
    rows = [["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期"], ["草案一", "区发改委", "2018-09-03", "2018-09-14"]]
    report = audit_json(write_xlsx(tmp_path / "b.xlsx", {"意见征集": rows}))
    assert "TZ003" not in rules_found(report)
    # --ignore TZ003: the other rules name the column themselves
    rows = [["公开事项", "公开内容", "公开时限", "公开主体", "公开依据", "公开渠道", "属性审查日期"],
            ["低保标准", "标准文件", "20个工作日", "区民政局", "条例", "网站", "2018-06-30"]]
    ignored = audit_json(write_xlsx(tmp_path / "c.xlsx", {"公开清单": rows}), extra=["--ignore", "TZ003"])
    assert any("本表缺少「公开属性」列" in f["message"] for f in ignored["findings"])
    # a rule that lacks only the column TZ003 reports still says it did not run (tests/test_gating.py: TZ901)
    kept = audit_json(tmp_path / "c.xlsx")
    assert [f["rule"] for f in kept["findings"]] == ["TZ003", "TZ101", "TZ102", "TZ103"]
    assert all("本表缺少「公开属性」列" in f["message"] for f in kept["findings"][1:])


def _catalogue_of(tmp_path: Path, file: str, title: str) -> dict:
    rows = [[title], ["公开事项", "公开内容", "公开属性", "公开时限", "公开渠道"],
            ["城乡低保", "低保标准", "主动公开", "20个工作日", "政府网站"]]
    path = write_xlsx(tmp_path / file, {"公开清单": rows}, {"公开清单": ["A1:E1"]})
    return audit_json(path, duty_rules=True)


def test_agencies_of_other_places_are_not_this_maps(tmp_path: Path) -> None:
    # another district's 民政局: not 通州's 区民政局, by the title or by the file name
    for file, title in [("门头沟区民政局-2018.xlsx", "2018年政务公开清单"),
                        ("区民政局-2018.xlsx", "北京市门头沟区民政局2018年政务公开标准目录"),
                        ("商务局.xlsx", "大兴县商务局政务公开事项目录")]:
        report = _catalogue_of(tmp_path, file, title)
        assert report["files"][0]["agency"] is None, (file, title)
        assert [f["rule"] for f in report["findings"]] == ["TZ121"], (file, title)
        (tmp_path / file).unlink()
    # 通州's own, however qualified
    for file, title in [("a.xlsx", "北京市通州区民政局2018年政务公开清单"), ("b.xlsx", "通州区民政局政务公开清单"),
                        ("区民政局-2018.xlsx", "2018年区民政局政务公开清单")]:
        report = _catalogue_of(tmp_path, file, title)
        assert report["files"][0]["agency"]["id"] == "mzj", (file, title)
        assert "TZ121" not in rules_found(report)


def test_proactive_only_catalogues_need_no_attribute_column(tmp_path: Path) -> None:
    header = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开渠道"]
    rows = [[1, "低保标准", "标准文件", "条例", "20个工作日", "政府网站"],
            [2, "低保对象", "名单", "条例", "20个工作日", None]]          # 主动 without a channel: TZ102
    by_name = write_xlsx(tmp_path / "a.xlsx", {"主动公开基本目录": [header, *rows]})
    by_title = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [["通州区民政局主动公开事项目录"], header, *rows]},
                          {"Sheet1": ["A1:F1"]})
    for path, sheet in [(by_name, "主动公开基本目录"), (by_title, "Sheet1")]:
        report = audit_json(path)
        (entry,) = report["files"][0]["sheets"]
        assert entry["kind"] == "catalogue"
        assert "TZ003" not in rules_found(report)
        row = 3 if sheet == "Sheet1" else 2
        assert cells(report, "TZ102") == [f"{sheet}!F{row + 1}"]
        assert rules_found(report) == {"TZ102"}  # 主动: no basis or review needed (TZ101, TZ103)
    # a catalogue that does not say 主动公开 still needs its 公开属性 column
    plain = audit_json(write_xlsx(tmp_path / "c.xlsx", {"公开目录": [header, *rows]}))
    assert cells(plain, "TZ003") == ["公开目录"]


APPLICATION = ["申请编号", "申请人类型", "收到日期", "答复日期", "处理结果"]


def test_table3_prints_the_national_labels_and_reads_them_back(tmp_path: Path) -> None:
    rows = [
        ["2018-001", "自然人", "2018-03-01", "2018-03-10", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
        ["2018-002", "自然人", "2018-03-02", "2018-03-11", "（三）不予公开/1.属于国家秘密"],
        ["2018-003", "商业企业", "2018-03-03", "2018-03-12", "（三）不予公开3.危及“三安全一稳定”"],
        ["2018-004", "自然人", "2018-03-04", "2018-03-13", "（一）予以公开"],
        ["2018-005", "自然人", "2018-03-05", "2018-03-14", "（二）部分公开（区分处理的…）"],
    ]
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": [APPLICATION, *rows]})
    report = audit_json(book)
    assert "TZ007" not in rules_found(report)  # every national row label reads as its outcome
    for suffix in ("xlsx", "md", "html"):
        target = tmp_path / f"appendix.{suffix}"
        code, _, err = cli("report", str(book), "--year", "2018", "-o", str(target))
        assert code == 0, err
        if suffix == "xlsx":
            sheet = openpyxl.load_workbook(target)["附表3 依申请公开"]
            cells_by_label = {" ".join(str(c.value) for c in row[:3] if c.value): [c.value for c in row[3:10]]
                              for row in sheet.iter_rows(min_row=5, max_row=30)}
            assert cells_by_label["三、本年度办理结果 （一）予以公开"][0] == 1
            assert cells_by_label["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"][0] == 2
            assert cells_by_label["（三）不予公开 1.属于国家秘密"][0] == 1
            assert cells_by_label["3.危及“三安全一稳定”"][1] == 1
            assert any(label == "（七）总计" for label in cells_by_label)
            text = str(sheet["A2"].value)
        else:
            text = target.read_text("utf-8")
            assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in text
            assert "3.危及“三安全一稳定”" in text and "（七）总计" in text
        assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in text
