"""Write the sample agency workbooks of sample_lists/ (README.md there lists the findings each should give).

Deterministic: no randomness, fixed dates, fixed document properties and fixed zip timestamps, so running it
twice gives byte-identical files. Needs openpyxl only. Run: `python sample_lists/make_samples.py`.

- 区教委-2018.xlsx      clean: a real 基层政务公开标准目录 layout (merged title, 填报单位 row, two-row header with
                         check-mark matrices, check-list channels, merged 一级事项, notes and signature rows),
                         plus 意见征集, 政策解读 and 信息发布登记. Its dates meet every working-day rule, and it holds
                         no personal information.
- 区民政局-2018.xlsx    messy input and input/catalogue/application/publication/budget/website violations (one
                         hidden sheet), a year typed as 2081 (TZ009).
- 区发展改革委-2018.xlsx consultation, guide change, proposal and interpretation violations, waivers, a duplicate
                         and a 填报说明 instructions sheet (listed, not audited nor reported).

The working-day violations sit in the 2018 holiday weeks (春节 2-15…21 with the make-up Sundays/Saturdays 2-11 and
2-24, 劳动节 4-29…5-1 with 4-28, 端午节 6-18, 中秋节 9-24, 国庆节 10-1…7 with 9-29 and 9-30), where counting
weekdays by hand goes wrong in both directions.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2018, 12, 28, 9, 0, 0)
ZIP_TIME = (2018, 12, 28, 9, 0, 0)

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

D = dt.date  # Excel date cells
V = "√"  # check mark in a matrix

# the channel check-list of the 基层政务公开标准目录 (■ ticked, □ unticked)
CHANNELS = ["政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点",
            "政务服务中心", "便民服务站", "入户/现场", "社区/村公示栏(电子屏)", "精准推送", "其他"]


def channels(*ticked: str) -> str:
    """A channel check-list cell, e.g. `■政府网站 □政府公报 … ■公开查阅点 …`."""
    unknown = set(ticked) - set(CHANNELS)
    assert not unknown, unknown
    return " ".join(("■" if name in ticked else "□") + name for name in CHANNELS)


# ---------------------------------------------------------------------------------------------------------------
# fictitious personal information (区民政局 信息发布登记 only; the privacy rule TZ402)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """An 18-character resident ID: `first17` and its GB 11643 check character (Σ digit × weight mod 11)."""
    assert len(first17) == 17 and first17.isdigit(), first17
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


# Area code 110199 belongs to no county, so none of these can be a real person's number.
ID_IN_CLEAR = resident_id("11019919530714104")  # …104X, published in clear: TZ402 error
ID_EXEMPT = resident_id("11019919680305103")  # …103X, in a 惩戒性公示 row: exempt, only counted
ID_PARTIAL = resident_id("11019919381102103")  # …103X, published with only 4 characters masked: TZ402 warning
ID_PARTIAL_MASKED = ID_PARTIAL[:10] + "****" + ID_PARTIAL[14:]  # 1101991938****103X
MOBILE_IN_CLEAR = "15800001234"  # a contact mobile published in clear: TZ402 error
# every value above as it stands in the workbook: no report and no README may ever show one of them
PERSONAL_IN_CLEAR = (ID_IN_CLEAR, ID_EXEMPT, ID_PARTIAL_MASKED, MOBILE_IN_CLEAR)
assert all(value.endswith("X") for value in (ID_IN_CLEAR, ID_EXEMPT, ID_PARTIAL))


# ---------------------------------------------------------------------------------------------------------------
# writing helpers


def put(ws: Worksheet, row: int, values: Sequence[Any], *, border: bool = True, bold: bool = False,
        center: bool = False, date_format: str = "yyyy-mm-dd") -> None:
    """Write one row from column A; None leaves a cell empty (but still boxed)."""
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        if value is not None:
            cell.value = value
            if isinstance(value, dt.date):
                cell.number_format = date_format
        if border:
            cell.border = BOX
        cell.alignment = CENTER if center else WRAP
        if bold:
            cell.font = BOLD


def title(ws: Worksheet, row: int, text: str, width: int, *, merge: bool = True, font: Font = TITLE) -> None:
    ws.cell(row=row, column=1, value=text).font = font
    ws.cell(row=row, column=1).alignment = CENTER if merge else Alignment(vertical="center")
    if merge:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def widths(ws: Worksheet, *sizes: float) -> None:
    for col, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(col)].width = size


def simple_table(ws: Worksheet, top: int, header: Sequence[str], rows: Sequence[Sequence[Any] | None],
                 date_format: str = "yyyy-mm-dd") -> int:
    """A one-row header at `top` and its records below (None: an entirely empty row). Returns the next row."""
    put(ws, top, header, bold=True, center=True)
    row = top + 1
    for values in rows:
        if values is None:
            row += 1
            continue
        put(ws, row, values, date_format=date_format)
        row += 1
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    return row


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    props = book.properties
    props.creator = props.lastModifiedBy = "tzcheck sample_lists/make_samples.py"
    props.created = props.modified = FIXED_TIME
    return book


def save(book: Workbook, path: Path) -> None:
    """Save with fixed timestamps (openpyxl stamps `modified` and the zip entries with the current time)."""
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------------------------------------------------------
# 区教委-2018.xlsx — clean


# (一级事项, 二级事项, 公开内容(要素), 公开依据, 全社会, 特定群体, channels)
TIAOLI = "《中华人民共和国政府信息公开条例》(国务院令第492号)"
JW_CATALOGUE: list[tuple[str, list[tuple[str, str, str, bool, bool, tuple[str, ...]]]]] = [
    ("义务教育招生入学", [
        ("义务教育阶段入学政策", "义务教育阶段入学政策文件、入学工作实施细则及政策解读",
         TIAOLI + ";《北京市教育委员会关于2018年义务教育阶段入学工作的意见》", True, False,
         ("政府网站", "两微一端", "公开查阅点")),
        ("义务教育阶段入学工作安排", "入学工作时间安排、入学流程、学区划分及咨询方式",
         TIAOLI + ";《北京市教育委员会关于2018年义务教育阶段入学工作的意见》", True, True,
         ("政府网站", "两微一端", "公开查阅点", "精准推送")),
    ]),
    ("教育合作与帮扶", [
        ("京津冀教育协同发展", "京津冀教育合作项目及进展情况", TIAOLI, True, False, ("政府网站",)),
        ("对口地区教育帮扶", "教育帮扶项目、结对学校及帮扶进展情况", TIAOLI, True, False, ("政府网站", "纸质媒体")),
    ]),
    ("政策文件", [
        ("规范性文件及政策解读", "本机关制发的规范性文件、政策解读材料", TIAOLI, True, False,
         ("政府网站", "政府公报")),
        ("优化营商环境政策措施", "民办学校及校外培训机构审批服务改革措施、教育服务产业支持政策", TIAOLI, True, False,
         ("政府网站",)),
    ]),
    ("机构职能", [
        ("权责清单", "本机关权责清单及动态调整情况、行政审批中介服务事项清单、取消的证明事项目录", TIAOLI, True,
         False, ("政府网站", "政务服务中心")),
    ]),
    ("监管执法", [
        ("“双随机、一公开”", "随机抽查事项清单、检查结果,行政许可和行政处罚“双公示”信息",
         TIAOLI + ";《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》", True, False,
         ("政府网站",)),
    ]),
    ("财政资金", [
        ("部门预决算", "部门预算、决算,收支总体情况表、财政拨款收支情况表、“三公”经费等重点支出",
         TIAOLI + ";《中华人民共和国预算法》第十四条", True, False, ("政府网站", "公开查阅点")),
    ]),
    ("政民互动", [
        ("重大决策预公开", "决策草案、决策依据、征求意见情况及意见采纳情况", TIAOLI, True, False,
         ("政府网站", "两微一端")),
        ("回应关切", "教育热点舆情回应、突发事件信息发布", TIAOLI, True, False,
         ("政府网站", "两微一端", "发布会/听证会")),
    ]),
    ("工作动态", [
        ("重点工作执行情况", "重点工作任务实施步骤、责任分工、工作进展及成效", TIAOLI, True, False, ("政府网站",)),
        ("建议提案办理结果", "人大代表建议和政协委员提案办理结果及答复全文", TIAOLI, True, False, ("政府网站",)),
    ]),
    ("政务服务", [
        ("办事指南", "政务服务事项办事指南及指南变更情况", TIAOLI, True, False, ("政府网站", "政务服务中心")),
    ]),
    ("年度报告", [
        ("政府信息公开工作年度报告", "年度报告,含主动公开、依申请公开及重点领域信息公开情况", TIAOLI, True, False,
         ("政府网站", "公开查阅点")),
    ]),
]


def jw_catalogue(ws: Worksheet) -> None:
    width = 15  # A 序号 … N 乡镇级, O 重点领域
    title(ws, 1, "通州区教委2018年政务公开清单", width)
    title(ws, 2, "填报单位:北京市通州区教育委员会", 6, font=Font(size=11))
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="left", vertical="center")
    upper = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
             "公开对象", None, "公开方式", None, "公开层级", None, "重点领域"]
    lower = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请",
             "区级", "乡镇级", None]
    put(ws, 3, upper, bold=True, center=True)
    put(ws, 4, lower, bold=True, center=True)
    for col in (1, 4, 5, 6, 7, 8, 15):  # merged over both header rows
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for col in (2, 9, 11, 13):  # merged parents over their sub-columns
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 1)
    row, seq = 5, 1
    for group, items in JW_CATALOGUE:
        first = row
        for item, content, basis, society, group_only, ticked in items:
            put(ws, row, [seq, group if row == first else None, item, content, basis,
                          "信息形成或者变更之日起20个工作日内", "区教委" if row == 5 else None, channels(*ticked),
                          V if society else None, V if group_only else None, V, None, V, None,
                          "财政资金" if group == "财政资金" else "教育"])
            for col in range(9, 15):
                ws.cell(row=row, column=col).alignment = CENTER
            row, seq = row + 1, seq + 1
        if row - first > 1:  # a 一级事项 merged down over its group
            ws.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
    ws.merge_cells(start_row=5, start_column=7, end_row=row - 1, end_column=7)  # one 公开主体 for every item
    note = ("注:1.公开对象、公开方式、公开层级栏以“√”标注;2.公开渠道和载体栏“■”为已选、“□”为未选;"
            "3.本清单随机构职能和公开事项变化动态调整。")
    ws.cell(row=row, column=1, value=note).alignment = WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row=row + 1, column=1, value="填表人:张某")
    ws.cell(row=row + 1, column=5, value="审核人:李某")
    ws.cell(row=row + 1, column=9, value="填报日期:2018年12月20日")
    widths(ws, 6, 14, 22, 36, 34, 20, 10, 30, 7, 7, 7, 7, 7, 7, 10)
    ws.row_dimensions[row].height = 32
    ws.freeze_panes = "A5"


JW_CONSULTATION = [
    # 决策事项, 承办单位, 开始, 截止, 决策依据是否公开, 收到, 采纳, 采纳情况公开日期, 未采纳理由
    ["通州区2018年义务教育阶段入学工作实施细则(征求意见稿)", "区教委", D(2018, 3, 19), D(2018, 3, 30), "是", 23, 18,
     D(2018, 4, 13), "部分意见与市级入学政策规定不符,不予采纳,已在反馈中逐条说明"],
    ["通州区中小学学区划分调整方案(征求意见稿)", "区教委", D(2018, 4, 9), D(2018, 4, 20), "是", 41, 35,
     D(2018, 5, 4), "涉及跨学区调整的意见需结合学位供给统筹研究,本次暂不采纳"],
    ["通州区学前教育三年行动计划(2018-2020年)(征求意见稿)", "区教委", D(2018, 6, 4), D(2018, 6, 15), "是", 12, 12,
     D(2018, 6, 29), None],
    ["通州区中小学校外培训机构专项治理工作方案(征求意见稿)", "区教委", D(2018, 8, 20), D(2018, 8, 31), "是", 9, 7,
     D(2018, 9, 14), "两条意见超出本方案治理范围,已转相关部门研究"],
    ["通州区对口地区教育帮扶工作实施方案(征求意见稿)", "区教委", D(2018, 10, 15), D(2018, 10, 26), "是", 6, 6,
     D(2018, 11, 9), None],
]

JW_INTERPRETATION = [
    # 政策文件, 起草单位, 解读单位, 文件公开日期, 解读公开日期, 解读形式
    ["通州区2018年义务教育阶段入学工作实施细则", "区教委", "区教委", D(2018, 4, 20), D(2018, 4, 20), "图解、文字"],
    ["通州区中小学学区划分调整方案", "区教委", "区教委", D(2018, 5, 11), D(2018, 5, 11), "新闻发布会"],
    ["通州区学前教育三年行动计划(2018-2020年)", "区教委", "区教委", D(2018, 7, 6), D(2018, 7, 6), "文字"],
    ["通州区中小学校外培训机构专项治理工作方案", "区教委", "区教委", D(2018, 9, 20), D(2018, 9, 20), "专家解读"],
    ["通州区对口地区教育帮扶工作实施方案", "区教委", "区教委", D(2018, 11, 16), D(2018, 11, 16), "图解"],
]

JW_PUBLICATION = [
    # 信息名称, 发布单位, 形成日期, 公开日期, 公开渠道, 信息类别, 重点领域, 正文摘要
    ["通州区教委2018年部门预算", "区教委", D(2018, 2, 9), D(2018, 2, 13), "政府网站", "财政预决算", "财政资金",
     "公开本部门2018年收支总体情况、财政拨款收支情况及“三公”经费预算。"],
    ["通州区2018年义务教育阶段入学工作实施细则", "区教委", D(2018, 4, 19), D(2018, 4, 20), "政府网站、两微一端",
     "政策文件", "教育", "明确本区2018年义务教育阶段入学工作的原则、对象、程序和时间安排。"],
    ["通州区2018年义务教育阶段入学工作时间安排", "区教委", D(2018, 4, 25), D(2018, 4, 26), "政府网站、两微一端",
     "工作动态", "教育", "公布信息采集、审核、派位和报到等各环节的时间安排及咨询方式。"],
    ["通州区中小学学区划分调整方案", "区教委", D(2018, 5, 10), D(2018, 5, 11), "政府网站、公开查阅点", "政策文件",
     "教育", "公布2018年各小学、初中的学区范围及调整情况。"],
    ["通州区学前教育三年行动计划(2018-2020年)", "区教委", D(2018, 7, 2), D(2018, 7, 6), "政府网站", "政策文件",
     "教育", "提出新增学前教育学位、提高保教质量的目标任务和保障措施。"],
    ["通州区教委2017年部门决算", "区教委", D(2018, 8, 10), D(2018, 8, 21), "政府网站", "财政预决算", "财政资金",
     "公开本部门2017年收支总体情况、财政拨款收支情况及“三公”经费决算。"],
    ["通州区中小学校外培训机构专项治理工作方案", "区教委", D(2018, 9, 18), D(2018, 9, 20), "政府网站", "政策文件",
     "教育", "部署校外培训机构排查、整改和规范管理工作。"],
    ["通州区对口地区教育帮扶工作实施方案", "区教委", D(2018, 11, 14), D(2018, 11, 16), "政府网站", "政策文件",
     "教育", "明确对口地区学校结对、教师交流和学生资助等教育帮扶任务。"],
]


def make_jw(path: Path) -> None:
    book = new_book()
    jw_catalogue(book.create_sheet("公开清单"))

    ws = book.create_sheet("意见征集")
    title(ws, 1, "通州区教委2018年重大行政决策预公开情况", 9)
    simple_table(ws, 2, ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "决策依据是否公开",
                         "收到意见数", "采纳意见数", "采纳情况公开日期", "未采纳理由"], JW_CONSULTATION)
    widths(ws, 44, 10, 14, 14, 12, 10, 10, 14, 40)

    ws = book.create_sheet("政策解读")
    simple_table(ws, 1, ["政策文件", "起草单位", "解读单位", "文件公开日期", "解读公开日期", "解读形式"],
                 JW_INTERPRETATION)
    widths(ws, 44, 10, 10, 14, 14, 14)

    ws = book.create_sheet("信息发布登记")
    simple_table(ws, 1, ["信息名称", "发布单位", "形成日期", "公开日期", "公开渠道", "信息类别", "重点领域",
                         "正文摘要"], JW_PUBLICATION, date_format='yyyy"年"m"月"d"日"')
    widths(ws, 40, 10, 14, 14, 20, 12, 10, 50)
    save(book, path)


# ---------------------------------------------------------------------------------------------------------------
# 区民政局-2018.xlsx — messy input; catalogue, publication, application, budget and website violations


SHIJIU = "《社会救助暂行办法》(国务院令第649号)"
MZJ_CATALOGUE = [
    # 序号, 事项名称, 公开内容(要素), 公开属性, 公开依据, 公开时限, 责任单位, 公开渠道, 审查日期
    [1, "城乡低保", "低保申请条件、救助标准、审批程序,低保对象人数和资金支出情况", "主动", SHIJIU,
     "信息形成或者变更之日起20个工作日内", "区民政局社会救助科", "政府网站、社区/村公示栏", None],
    [2, "特困人员救助供养", "特困人员认定条件、供养标准及办理流程", "主动", SHIJIU,
     "信息形成或者变更之日起20个工作日内", "区民政局社会救助科", "t政府网站 口两微一端 t公开查阅点", None],
    [3, "医疗救助", "医疗救助对象、救助标准及申请审批程序", "主动", SHIJIU, "信息形成或者变更之日起20个工作日内",
     "区民政局社会救助科", "政府网站", None],
    [4, "临时救助和教育救助", "临时救助、教育救助的对象、标准和申请程序", "主动", SHIJIU, "实时公开",
     "区民政局社会救助科", "政府网站、公开查阅点", None],
    [5, "福利补贴申领", "高龄津贴、困难残疾人生活补贴申领条件及发放情况", "主动", "《北京市老年人津贴制度》",
     "每季度结束后15个工作日内", "区民政局老龄科", "政府网站", None],
    # TZ102: proactive, but nothing ticked in the check-list
    [6, "社区养老服务驿站", "养老服务驿站建设运营情况、服务内容及收费标准", "主动", "《北京市居家养老服务条例》",
     "信息形成或者变更之日起20个工作日内", "区民政局老龄科", "□政府网站 □两微一端 □公开查阅点", None],
    # TZ101: not disclosed, but no 公开依据
    [7, "低保家庭经济状况核对信息", "申请家庭收入、财产核对结果", "不公开", None, "不适用", "区民政局社会救助科",
     None, "2018年6月29日"],
    # TZ103: 依申请, last reviewed 2017-06-30, more than 365 days before 2018-12-31
    [8, "社会救助资金发放明细", "按户发放的救助资金明细", "依申请", "《中华人民共和国政府信息公开条例》第十三条",
     "自收到申请之日起15个工作日内", "区民政局社会救助科", None, "2017年6月30日"],
    # TZ004: a required cell holding a placeholder
    [9, "婚姻登记办事指南", "婚姻登记条件、所需材料、办理流程和地点", "主动",
     "《婚姻登记条例》", "无", "区婚姻登记处", "政府网站、政务服务中心", None],
    # TZ007: an attribute outside 主动公开 / 依申请公开 / 不予公开
    [10, "社会组织年检结果", "社会组织年度检查结论", "部分公开", "《社会团体登记管理条例》",
     "年检结束后20个工作日内", "区民政局社会组织管理科", "政府网站", None],
    # items every agency lists (so the duty check TZ120, still planned, finds the plan's common duties)
    [11, "权责清单", "本机关权责清单及动态调整情况、行政审批中介服务事项清单、取消的证明事项目录", "主动",
     "《中华人民共和国政府信息公开条例》", "信息形成或者变更之日起20个工作日内", "区民政局办公室", "政府网站", None],
    [12, "“双随机、一公开”", "随机抽查事项清单、检查结果,行政许可和行政处罚“双公示”信息", "主动",
     "《中华人民共和国政府信息公开条例》", "信息形成或者变更之日起20个工作日内", "区民政局法制科", "政府网站", None],
    [13, "部门预决算", "部门预算、决算,收支总体情况表、财政拨款收支情况表、“三公”经费等重点支出", "主动",
     "《中华人民共和国预算法》第十四条", "批复后20日内", "区民政局财务科", "政府网站、公开查阅点", None],
    [14, "政策解读和回应关切", "规范性文件解读材料、重大决策草案及决策依据、突发事件信息发布和舆情回应", "主动",
     "《中华人民共和国政府信息公开条例》", "信息形成或者变更之日起20个工作日内", "区民政局办公室",
     "政府网站、两微一端", None],
    [15, "工作动态和年度报告", "重点工作实施步骤和责任分工、建议提案办理结果、政府信息公开工作年度报告", "主动",
     "《中华人民共和国政府信息公开条例》", "每年3月31日前", "区民政局办公室", "政府网站", None],
]

MZJ_APPLICATION = [
    # 受理编号, 申请人类型, 收到申请日期, 补正告知日期, 补正收到日期, 是否延期, 办结日期, 处理结果
    ["MZ2018-001", "自然人", "2018年3月5日", None, None, "否", "2018年3月19日", "予以公开"],
    ["MZ2018-002", "商业企业", "2018/4/9", None, None, "否", "2018/4/27", "部分公开"],
    ["MZ2018-003", "自然人", "2018.5.14", "2018.5.16", "2018.5.21", "否", "2018.6.1", "不予公开/属于国家秘密"],
    ["MZ2018-004", "自然人", "20180611", None, None, "否", "20180622", "重复申请"],
    None,  # an empty row inside the table
    # extended (是否延期 是): 15 + 15 working days after 2 Jul end on 13 Aug, so 3 Aug is on time (TZ501 silent)
    ["MZ2018-005", "社会公益组织", "2018年7月2日", None, None, "是", "2018年8月3日",
     "无法提供/本机关不掌握相关政府信息"],
    ["MZ2018-006", "个人", "2018/8/6", None, None, "否", "2018/8/17", "不予处理-2"],
    # TZ008: the reply is dated before the application was received
    ["MZ2018-007", "自然人", "2018.9.3", None, None, "否", "2018.8.31", "予以公开"],
    # TZ503: replied, but no 处理结果
    ["MZ2018-008", "法律服务机构", "2018.9.10", None, None, "否", "2018.9.21", None],
    # TZ501: 15 working days after 25 Sep end on 19 Oct (29/30 Sep were make-up working days); replied 22 Oct
    ["MZ2018-009", "自然人", "2018/9/25", None, None, "否", "2018/10/22", "予以公开"],
    # TZ007: a 处理结果 outside the annual-report categories
    ["MZ2018-010", "企业", "20181015", None, None, "否", "20181026", "已办结"],
    # still within its 15 working days at 2018-12-31: pending
    ["MZ2018-011", "自然人", "2018年12月17日", None, None, None, None, None],
]

MZJ_PUBLICATION = [
    # 信息名称, 发布单位, 成文日期(形成日期), 发布日期(公开日期), 公开渠道, 信息类别, 内容摘要
    ["通州区民政局2018年部门预算", "区民政局", "2018年2月2日", "2018年2月13日", "政府网站", "财政预决算",
     "公开本部门2018年收支总体情况、财政拨款收支情况及“三公”经费预算。"],
    # TZ401: 20 working days after 26 Jan end on 28 Feb (11 Feb and 24 Feb were make-up working days, 15–21 Feb the
    # Spring Festival); published 2 Mar
    ["通州区2018年城乡低保和特困人员救助供养标准", "区民政局", "2018/1/26", "2018/3/2", "政府网站、社区/村公示栏",
     "政策文件", "公布2018年本区城乡居民最低生活保障标准和特困人员基本生活标准。"],
    ["2018年第一季度社会救助资金支出情况", "区民政局", "2018.4.12", "2018.4.20", "政府网站", "财政资金",
     "公布第一季度城乡低保、特困供养、医疗救助和临时救助资金支出总额及救助人次。"],
    ["通州区社区养老服务驿站运营扶持办法", "区民政局", "20180702", "20180713", "政府网站、两微一端", "政策文件",
     "明确养老服务驿站的运营补贴项目、补贴标准和申领程序。"],
    # TZ402: a recipient's resident ID published in clear
    ["2018年第二季度城乡低保新增对象公示", "区民政局", "2018年7月5日", "2018年7月10日", "政府网站、社区/村公示栏",
     "社会救助", f"本季度新增城乡低保对象8户。其中:王某某,身份证号{ID_IN_CLEAR},家庭人口2人,月保障金额1600元。"],
    ["通州区民政局2017年部门决算", "区民政局", "2018-08-03", "2018-08-17", "政府网站", "财政预决算",
     "公开本部门2017年收支总体情况、财政拨款收支情况及“三公”经费决算。"],
    # TZ402: a contact person's mobile number published in clear
    ["通州区2018年社区养老服务驿站运营方招募公告", "区民政局", "2018/8/20", "2018/8/24", "政府网站、两微一端",
     "工作动态", f"招募社区养老服务驿站运营方,报名截止2018年9月14日。咨询联系人:李某,联系电话{MOBILE_IN_CLEAR}。"],
    # masked as the plan requires (name 张某, ID first 6 + last 4, mobile first 3 + last 4): no finding
    ["2018年第三季度城乡低保新增对象公示", "区民政局", "2018.10.10", "2018.10.16", "政府网站、社区/村公示栏",
     "社会救助", "本季度新增城乡低保对象5户。其中:姓名:张某,身份证号110199********102X,联系电话138****5678,"
     "月保障金额1000元。"],
    ["2018年第三季度社会救助资金支出情况", "区民政局", "2018年10月12日", "2018年10月19日", "政府网站", "财政资金",
     "公布第三季度城乡低保、特困供养、医疗救助和临时救助资金支出总额及救助人次。"],
    # a penalty decision (信息类别 alias 惩戒性公示 = 惩戒性公示公告) may name the party: the ID in clear is exempt
    # from TZ402, not reported but counted in the report summary's exempt
    ["行政处罚决定书(通民罚字〔2018〕第2号)", "区民政局", "20181108", "20181114", "政府网站", "惩戒性公示",
     f"当事人刘某某(公民身份号码{ID_EXEMPT})未经批准擅自兴建殡葬设施,依据《殡葬管理条例》第十八条,"
     "责令限期改正,并处罚款。"],
    # TZ402 warning: the ID hides only the 4 characters of birth month and day (8 are required)
    ["2018年高龄津贴新增发放对象公示", "区民政局", "2018-11-20", "2018-11-27", "政府网站", "社会福利",
     f"新增高龄津贴发放对象3人。其中:李某,身份证号{ID_PARTIAL_MASKED},年满80周岁,自2018年12月起按月发放。"],
    # TZ009: formed on 20 Dec 2018 and not yet published, but the year was typed as 2081, a year no calendar covers
    ["关于做好2019年元旦春节期间困难群众走访慰问工作的通知", "区民政局", "2081年12月20日", None, "政府网站",
     "政策文件", "部署元旦、春节期间走访慰问低保、特困供养等困难群众工作。"],
]

MZJ_BUDGET = [
    # 部门名称, 使用财政资金, 是否涉密, 预算批复日期, 预算公开日期, 决算批复日期, 决算公开日期
    ["北京市通州区民政局(本级)", "是", "否", "2018年2月2日", "2018年2月13日", "2018年8月3日", "2018年8月17日"],
    ["北京市通州区社会福利中心", "是", "否", "2018/2/2", "2018/2/14", "2018/8/3", "2018/8/20"],
    # 14 Sep + 20 days is 4 Oct, a National Day holiday: the deadline rolls forward to 8 Oct (on time)
    ["北京市通州区救助管理站", "是", "否", "2018.2.2", "2018.2.14", "2018.9.14", "2018.10.8"],
    # TZ802: 12 Sep + 20 days is 2 Oct, rolled forward to 8 Oct; the final accounts were published on 10 Oct
    ["北京市通州区殡葬服务管理所", "是", "否", "20180202", "20180214", "20180912", "20181010"],
    ["北京市通州区婚姻登记处", "是", "否", "2018-02-02", "2018-02-13", "2018-08-03", "2018-08-17"],
    # TZ801: uses fiscal funds, not secret, but neither a budget approval nor a publication date
    ["北京市通州区社区服务中心", "是", "否", None, None, "2018年8月3日", "2018年8月17日"],
]

MZJ_CORRECTION = [
    # 留言日期, 纠错内容, 处理日期
    ["2018-03-12", "“城乡低保”栏目2018年低保标准未更新", "2018-03-13"],
    ["2018-02-30", "养老服务驿站地图链接失效", "2018-03-02"],  # TZ005: no 30 February
    ["2018/4/27", "低保申请表下载页面打不开", "2018/5/2"],  # TZ901: due 28 Apr (Sat), a make-up working day
    ["2018/6/20", "婚姻登记办事指南中的办公地址有误", "2018/6/21"],
    ["2018.9.28", "临时救助申请表下载链接无法打开", "2018.9.29"],  # 29 Sep 2018 (Sat) was a working day
    ["20181129", "特困人员供养标准页面显示乱码", "20181130"],
]

MZJ_INSPECTION = [
    # 巡查季度, 抽检日期, 结果通报日期
    # TZ902: labelled 第一季度 but inspected in April, so the first quarter has no inspection (the date decides)
    ["2018年第一季度", "2018年4月3日", "2018年4月10日"],
    ["2018年二季度", "2018/6/19", "2018/6/26"],
    ["2018Q3", "2018.9.18", None],  # TZ902: the third quarter was inspected but its result never notified
    ["2018-Q4", "20181120", "20181127"],
    ["2018年第四季度", "2018-12-18", "2018-12-25"],
]


def make_mzj(path: Path) -> None:
    book = new_book()

    ws = book.create_sheet("公开清单")
    title(ws, 1, "通州区民政局2018年政务公开事项清单", 9, merge=False)  # a title as a single, unmerged value
    end = simple_table(ws, 2, ["序号", "事项名称", "公开内容(要素)", "公开\n属性", "公 开 依 据", "公开时限(必填)",
                               "责任单位", "公开渠道", "审查日期"], MZJ_CATALOGUE)
    ws.cell(row=end, column=1, value="备注:公开属性填写“主动”“依申请”或“不公开”;不公开、依申请的事项须写明依据。")
    widths(ws, 6, 22, 40, 8, 34, 26, 18, 30, 14)

    ws = book.create_sheet("信息发布登记")
    simple_table(ws, 1, ["信息名称", "发布单位", "成文日期", "发布日期", "公开渠道", "信息类别", "内容摘要"],
                 MZJ_PUBLICATION)
    widths(ws, 40, 10, 16, 16, 24, 12, 50)

    ws = book.create_sheet("依申请公开登记")
    title(ws, 1, "通州区民政局2018年政府信息公开申请办理登记表", 8)
    simple_table(ws, 2, ["受理编号", "申请人\n类型", " 收到申请日期 ", "补正告知日期", "补正收到日期", "是否\n延期",
                         "办结 日期", "处理结果"], MZJ_APPLICATION)
    widths(ws, 12, 12, 16, 14, 14, 8, 16, 34)

    ws = book.create_sheet("预决算公开")
    simple_table(ws, 1, ["部门名称", "使用财政资金", "是否涉密", "预算批复日期", "预算公开日期", "决算批复日期",
                         "决算公开日期"], MZJ_BUDGET)
    widths(ws, 30, 12, 10, 14, 14, 14, 14)

    ws = book.create_sheet("网民纠错")
    simple_table(ws, 1, ["留言日期", "纠错内容", "处理日期"], MZJ_CORRECTION)
    widths(ws, 14, 44, 14)

    ws = book.create_sheet("网站巡查")
    simple_table(ws, 1, ["巡查季度", "抽检日期", "结果通报日期"], MZJ_INSPECTION)
    widths(ws, 16, 16, 16)
    ws.sheet_state = "hidden"  # hidden sheets are audited like visible ones
    save(book, path)


# ---------------------------------------------------------------------------------------------------------------
# 区发展改革委-2018.xlsx — consultation, guide change, proposal and interpretation violations


FGW_CONSULTATION = [
    # 序号, 决策事项, 承办单位, 开始, 截止, 决策依据是否公开, 收到, 采纳, 采纳情况公开日期, 未采纳理由, 缩短理由,
    # 豁免说明
    [1, "通州区2018年对口帮扶工作实施方案(征求意见稿)", "区发展改革委", D(2018, 3, 19), D(2018, 3, 30), "是", 26, 20,
     D(2018, 4, 13), "部分意见涉及市级事权,已转市发展改革委研究", None, None],
    # TZ201 lowered to warning: (25 Apr, 2 May] holds 4 working days (28 Apr a make-up Saturday, 29 Apr–1 May the
    # Labour Day holiday), but a 缩短理由 is given
    [2, "通州区2018年重点工程计划(征求意见稿)", "区发展改革委", D(2018, 4, 25), D(2018, 5, 2), "是", 5, 5,
     D(2018, 5, 11), None, "市发展改革委要求5月上旬报送全区重点工程计划,经区政府同意缩短征求意见期", None],
    # TZ202 (basis not published), waived with a reason: reported as suppressed
    [3, "北京城市副中心155平方公里范围疏解整治促提升专项行动实施方案(征求意见稿)", "区发展改革委",
     D(2018, 5, 7), D(2018, 5, 18), "否", 18, 18, D(2018, 6, 1), None, None, "TZ202: 依据涉及国家秘密,经区政府批准"],
    # TZ204 (no reason for the comments not adopted); the waiver names the rule without a reason: TZ011
    [4, "关于加快众创空间发展服务实体经济转型升级的实施意见(征求意见稿)", "区发展改革委", "2018年6月4日",
     "2018年6月15日", "是", 15, 9, "2018年6月29日", None, None, "TZ204"],
    # TZ205: more comments adopted than received
    [5, "通州区实施乡村振兴战略的措施(征求意见稿)", "区发展改革委", D(2018, 7, 9), D(2018, 7, 20), "是", 3, 5,
     D(2018, 8, 3), None, None, None],
    # TZ006: a count written in Chinese numerals
    [6, "创建北京市深化服务业扩大开放综合试点示范区实施方案(征求意见稿)", "区发展改革委", D(2018, 8, 13),
     D(2018, 8, 24), "是", "十二", 8, D(2018, 9, 7), "部分意见与上位政策不符", None, None],
    # TZ203: 20 working days after 21 Sep end on 25 Oct (24 Sep 中秋节, 1–7 Oct 国庆节, but 29/30 Sep were make-up
    # working days); the feedback was published on 26 Oct
    [7, "通州区促进民间投资健康发展的若干措施(征求意见稿)", "区发展改革委", D(2018, 9, 10), D(2018, 9, 21), "是", 11,
     11, D(2018, 10, 26), None, None, None],
    # TZ201: (28 Sep, 8 Oct] holds 3 working days (29/30 Sep and 8 Oct) because of National Day; no 缩短理由
    [8, "通州区2018—2019年采暖季清洁取暖保障工作方案(征求意见稿)", "区发展改革委", D(2018, 9, 28), D(2018, 10, 8),
     "是", 4, 4, D(2018, 10, 19), None, None, None],
    [9, "通州区政府投资项目管理办法(征求意见稿)", "区发展改革委", D(2018, 10, 15), D(2018, 10, 26), "是", 7, 7,
     D(2018, 11, 9), None, None, None],
    # TZ203: closed on 16 Nov, the feedback was due by 14 Dec and is still not published at 2018-12-31
    [10, "通州区2019年政府投资计划(征求意见稿)", "区发展改革委", D(2018, 11, 5), D(2018, 11, 16), "是", 6, None, None,
     None, None, None],
]

FGW_GUIDE_CHANGE = [
    # 事项名称, 业务部门, 条件变化日期, 变更申请日期, 变更公开日期
    ["企业投资项目备案", "区发展改革委投资科", D(2018, 3, 2), D(2018, 3, 5), D(2018, 3, 6)],
    # TZ301: the request was due on 28 Apr, a make-up Saturday before Labour Day; it was submitted on 2 May
    ["政府投资项目初步设计概算审批", "区发展改革委投资科", D(2018, 4, 27), D(2018, 5, 2), D(2018, 5, 2)],
    ["固定资产投资项目节能审查", "区发展改革委环资科", D(2018, 5, 10), D(2018, 5, 11), D(2018, 5, 14)],
    # TZ302: requested on Fri 15 Jun; Mon 18 Jun was the Dragon Boat holiday, so publication was due on 19 Jun
    ["中央预算内投资项目资金申请报告审批", "区发展改革委投资科", D(2018, 6, 15), D(2018, 6, 15), D(2018, 6, 20)],
    ["政府投资项目可行性研究报告审批", "区发展改革委投资科", D(2018, 7, 16), D(2018, 7, 16), D(2018, 7, 17)],
    ["企业投资项目备案", "区发展改革委投资科", D(2018, 3, 2), D(2018, 3, 5), D(2018, 3, 6)],  # TZ010: row 2 again
    ["企业投资项目核准", "区发展改革委投资科", D(2018, 9, 28), D(2018, 9, 29), D(2018, 9, 30)],  # 29/30 Sep: 调休
    ["价格认定", "区价格认证中心", D(2018, 11, 20), D(2018, 11, 21), D(2018, 11, 21)],
]

FGW_PROPOSAL = [
    # 建议提案编号, 类型, 案由, 主办单位, 是否涉及公共利益, 答复日期, 答复全文是否公开, 不公开理由
    ["J2018-021", "人大代表建议", "关于加快推进经济薄弱村帮扶工作的建议", "区发展改革委", "是", D(2018, 6, 15), "是",
     None],
    # TZ701: public interest, replied, full text not published and no reason: error
    ["Z2018-045", "政协委员提案", "关于优化营商环境、降低企业制度性交易成本的提案", "区发展改革委", "是",
     D(2018, 6, 20), "否", None],
    # TZ701 with a 不公开理由: lowered to warning
    ["Z2018-063", "政协委员提案", "关于加快运河商务区配套设施建设的提案", "区发展改革委", "是", D(2018, 6, 28), "否",
     "答复涉及尚在论证的项目选址,公开后可能引起误解"],
    ["J2018-077", "建议", "关于规范居住区停车收费价格的建议", "区发展改革委", "是", D(2018, 7, 5), "是", None],
    ["Z2018-090", "提案", "关于完善机关内部公文流转的提案", "区发展改革委", "否", D(2018, 7, 10), "否", None],
    ["J2018-102", "人大代表建议", "关于加强京津冀产业对接协作的建议", "区发展改革委", "是", D(2018, 7, 13), "是",
     None],
]

FGW_INTERPRETATION = [
    # 政策文件, 起草单位, 解读单位, 文件公开日期, 解读公开日期, 解读形式
    ["通州区2018年对口帮扶工作实施方案", "区发展改革委", "区发展改革委", D(2018, 4, 27), D(2018, 4, 27), "文字"],
    # TZ601: the policy was published on Fri 15 Jun, its interpretation only after the Dragon Boat holiday
    ["通州区2018年重点工程计划", "区发展改革委", "区发展改革委", D(2018, 6, 15), D(2018, 6, 19), "图解"],
    # TZ602: interpreted by another body than the drafter
    ["关于加快众创空间发展服务实体经济转型升级的实施意见", "区发展改革委", "区政府办公室", D(2018, 7, 16),
     D(2018, 7, 16), "新闻发布会"],
    ["通州区实施乡村振兴战略的措施", "区发展改革委", " 区发展改革委 ", D(2018, 8, 24), D(2018, 8, 24), "图解"],
    ["创建北京市深化服务业扩大开放综合试点示范区实施方案", "区发展改革委", "区发展改革委", D(2018, 9, 14),
     D(2018, 9, 14), "专家解读"],
    ["通州区2018—2019年采暖季清洁取暖保障工作方案", "区发展改革委", "区发展改革委", D(2018, 10, 26),
     D(2018, 10, 26), "文字"],
    ["通州区促进民间投资健康发展的若干措施", "区发展改革委", "区发展改革委", D(2018, 11, 2), D(2018, 11, 2), "图解"],
    ["通州区政府投资项目管理办法", "区发展改革委", "区发展改革委", D(2018, 11, 23), D(2018, 11, 23), "文字"],
]


def make_fgw(path: Path) -> None:
    book = new_book()

    ws = book.create_sheet("填报说明")  # free text: an instructions sheet, matching no kind and not reported
    for row, text in enumerate([
        "填报说明",
        "1.本工作簿由区发展改革委办公室汇总填写,每年12月25日前报送区政府办公室。",
        "2.日期请填写为“2018-08-14”或“2018年8月14日”格式;是否类栏目填写“是”或“否”。",
        "3.确需豁免某项检查的,请在“豁免说明”栏按“规则编号: 理由”填写,并经分管领导审核。",
    ], start=1):
        ws.cell(row=row, column=1, value=text)
    ws.cell(row=1, column=1).font = BOLD
    widths(ws, 90)

    ws = book.create_sheet("意见征集")
    title(ws, 1, "区发展改革委2018年重大行政决策预公开登记表", 12)
    title(ws, 2, "填报单位:北京市通州区发展和改革委员会", 4, font=Font(size=11))
    simple_table(ws, 3, ["序号", "决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "决策依据是否公开",
                         "收到意见数", "采纳意见数", "采纳情况公开日期", "未采纳理由", "缩短理由", "豁免说明"],
                 FGW_CONSULTATION)
    widths(ws, 6, 48, 14, 14, 14, 12, 10, 10, 14, 30, 30, 30)

    ws = book.create_sheet("办事指南变更")
    simple_table(ws, 1, ["事项名称", "业务部门", "条件变化日期", "变更申请日期", "变更公开日期"], FGW_GUIDE_CHANGE)
    widths(ws, 30, 20, 14, 14, 14)

    ws = book.create_sheet("建议提案办理")
    simple_table(ws, 1, ["建议提案编号", "类型", "案由", "主办单位", "是否涉及公共利益", "答复日期", "答复全文是否公开",
                         "不公开理由"], FGW_PROPOSAL)
    widths(ws, 12, 14, 44, 14, 12, 14, 12, 36)

    ws = book.create_sheet("政策解读")
    simple_table(ws, 1, ["政策文件", "起草单位", "解读单位", "文件公开日期", "解读公开日期", "解读形式"],
                 FGW_INTERPRETATION)
    widths(ws, 48, 14, 14, 14, 14, 12)
    save(book, path)


def main() -> None:
    make_jw(HERE / "区教委-2018.xlsx")
    make_mzj(HERE / "区民政局-2018.xlsx")
    make_fgw(HERE / "区发展改革委-2018.xlsx")


if __name__ == "__main__":
    main()
