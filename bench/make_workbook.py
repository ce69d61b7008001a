"""Generate a large, deterministic 信息发布登记 workbook for the benchmark, in one of three shapes.

One sheet `信息发布登记`: a title cell in row 1, an empty row 2, the header in row 3, then N records.
Every value is synthetic (built from a fixed vocabulary with `random.Random(2018)`): no real personal data.

- `plain` (default): 1.6 % of rows with a deliberate problem.
- `excel`: shaped like the files Excel and WPS write — every text in the shared-string table, the XML in UTF-8,
  dates as numbers with a date format, the title merged across the table (written with XlsxWriter, which writes
  as Excel does: `pip install -e '.[bench]'`) — ~1 % of 正文 cells holding an 18-digit resident ID (synthetic,
  valid check digit), ~3 % late publications.
- `worst`: a clerk's first bad submission — every row faulty in two cells (发布单位 blank, 公开日期 before 形成日期).

    python bench/make_workbook.py --rows 100000 --out bench/out/bench-100000.xlsx
    python bench/make_workbook.py --rows 50000 --shape worst
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

SEED = 2018
SHEET = "信息发布登记"
TITLE = "通州区某局2018年信息发布登记"
HEADERS = ["信息名称", "发布单位", "形成日期", "公开日期", "公开渠道", "信息类别", "重点领域", "正文"]
DEFAULT_ROWS = 100_000
BENCH_DIR = Path(__file__).resolve().parent
WIDTHS = {"A": 48, "B": 22, "C": 12, "D": 14, "E": 30, "F": 16, "G": 14, "H": 80}


SHAPES = ("plain", "excel", "worst")


def default_out(rows: int, shape: str = "plain") -> Path:
    return BENCH_DIR / "out" / (f"bench-{rows}.xlsx" if shape == "plain" else f"bench-{shape}-{rows}.xlsx")


# Share of rows carrying each deliberate problem (the rest are clean).
P_TEXT_DATE = 0.20  # 公开日期 written as text (`2018年9月3日`, `2018/9/3`, …)
P_EMPTY_REQUIRED = 0.005  # 信息名称, 发布单位 or 形成日期 left empty (or a placeholder such as 无)
P_IMPOSSIBLE_DATE = 0.002  # 公开日期 `2018-02-30` style text
P_PUBLISHED_FIRST = 0.005  # 公开日期 before 形成日期
P_LATE = 0.005  # 公开日期 40–60 days after 形成日期: past the 20 working days of TZ401

UNITS = [
    "区教委", "区卫生健康委", "区民政局", "区人力社保局", "区住房城乡建设委", "区生态环境局", "区交通局",
    "区水务局", "区农业农村局", "区商务局", "区文化和旅游局", "区市场监管局", "区应急管理局", "区财政局",
    "区发展改革委", "区规划和自然资源分局", "区城管委", "区司法局", "区统计局", "区医保局",
]
CHANNELS = ["政府网站", "政府公报", "政务微博", "政务微信", "公开查阅点", "新闻发布会", "政务新媒体",
            "公告栏"]
CATEGORIES = ["政策文件", "工作动态", "通知公告", "规划计划", "人事信息", "财政资金", "行政执法", "统计数据",
              "惩戒性公示公告", "强制性信息披露"]
KEY_AREAS = ["教育", "医疗卫生", "社会救助", "就业创业", "住房保障", "生态环境", "公共文化", "食品药品安全",
             "安全生产", "城市规划", "交通运输", "农业农村", "财政预决算", "重大建设项目", "公共资源交易"]

_PLACES = ["通州区", "城市副中心", "运河商务区", "台湖镇", "宋庄镇", "漷县镇", "永乐店镇", "于家务乡",
           "潞城镇", "西集镇", "张家湾镇", "马驹桥镇", "中仓街道", "新华街道", "北苑街道", "玉桥街道",
           "梨园镇"]
_SUBJECTS = ["义务教育阶段入学", "老旧小区综合整治", "城乡居民医疗保险", "农村人居环境整治", "大气污染防治",
             "中小学校舍安全", "冬季清洁取暖", "公共租赁住房", "养老服务驿站", "河长制工作", "垃圾分类",
             "农村公路养护", "城市绿化美化", "残疾人两项补贴", "退役军人优抚", "营商环境优化", "扶贫协作",
             "消防安全检查", "食品安全抽检", "校外培训机构治理", "病险水库除险加固", "背街小巷环境整治"]
_DOCS = ["工作方案", "实施意见", "工作安排", "管理办法", "实施细则", "工作要点", "专项行动方案", "情况通报",
         "考核办法", "补贴标准", "招标公告", "结果公示", "工作总结", "进展情况", "政策解读", "申报指南"]
_QUALIFIERS = ["关于印发", "关于做好", "关于开展", "关于进一步加强", "关于调整", "关于公布", "关于组织实施"]
_SENTENCES = [
    "为深入贯彻落实区委区政府工作部署", "按照全面推进政务公开的总体要求", "结合本单位工作实际",
    "现将有关事项通知如下", "各相关单位要高度重视", "切实加强组织领导", "明确责任分工和时间节点",
    "确保各项任务按期完成", "进一步提升服务水平和群众满意度", "主动接受社会监督",
    "相关材料可在政府网站查阅", "如有疑问请向区政务服务中心咨询", "本方案自印发之日起施行",
    "重点围绕群众关心关注的问题", "加大政策解读和舆论引导力度", "严格执行信息发布审核制度",
    "持续优化办事流程", "推动工作落实落地", "定期开展督促检查", "对工作中发现的问题及时整改",
    "统筹做好资金保障", "依法依规有序推进", "广泛听取社会各界意见", "不断完善长效管理机制",
    "全年共完成各类项目", "涉及资金已按规定拨付", "各乡镇街道要认真组织实施", "加强部门协同配合",
]


def _title(rng: random.Random) -> str:
    """A title of about 30 characters."""
    title = f"{rng.choice(_QUALIFIERS)}{rng.choice(_PLACES)}2018年{rng.choice(_SUBJECTS)}{rng.choice(_DOCS)}"
    if len(title) < 24:
        title += "的通知"
    return f"{title}(第{rng.randint(1, 999)}号)"


def _body(rng: random.Random) -> str:
    """About 100 characters of varied text."""
    parts: list[str] = []
    size = 0
    target = rng.randint(90, 110)
    while size < target:
        part = rng.choice(_SENTENCES)
        if rng.random() < 0.25:
            part = f"{rng.choice(_PLACES)}{rng.choice(_SUBJECTS)}{part}"
        parts.append(part)
        size += len(part) + 1
    return "，".join(parts) + "。"


def _text_date(rng: random.Random, day: dt.date) -> str:
    style = rng.random()
    if style < 0.5:
        return f"{day.year}年{day.month}月{day.day}日"
    if style < 0.85:
        return f"{day.year}/{day.month}/{day.day}"
    return day.isoformat()


def _impossible_date(rng: random.Random) -> str:
    return rng.choice(["2018-02-30", "2018-02-29", "2018-04-31", "2018-06-31", "2018年9月31日", "2018/11/31"])


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(rng: random.Random) -> str:
    """A synthetic 18-digit resident ID with a valid check digit (GB 11643)."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
    body = f"110112{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _excel_shape(rng: random.Random, record: list[object], formed: dt.date) -> None:
    if rng.random() < 0.01:
        record[7] = f"{record[7]}联系人身份证号{_resident_id(rng)}。"
    if rng.random() < 0.03:
        record[3] = formed + dt.timedelta(days=rng.randint(40, 60))


def make_rows(rows: int, seed: int = SEED, shape: str = "plain"):
    """Yield the header block and `rows` records as lists of cell values (deterministic for a seed)."""
    rng = random.Random(seed)
    start = dt.date(2018, 1, 2)
    yield [TITLE]
    yield []
    yield list(HEADERS)
    for _ in range(rows):
        formed = start + dt.timedelta(days=rng.randint(0, 330))
        published = formed + dt.timedelta(days=rng.randint(0, 25))
        channels = "、".join(rng.sample(CHANNELS, rng.randint(1, 3)))
        record: list[object] = [
            _title(rng),
            rng.choice(UNITS),
            formed,
            published,
            channels,
            rng.choice(CATEGORIES),
            rng.choice(KEY_AREAS),
            _body(rng),
        ]
        if rng.random() < P_TEXT_DATE:
            record[3] = _text_date(rng, published)
        roll = rng.random()
        if roll < P_EMPTY_REQUIRED:
            record[rng.choice([0, 1, 2])] = rng.choice([None, None, "无", "/"])
        elif roll < P_EMPTY_REQUIRED + P_IMPOSSIBLE_DATE:
            record[3] = _impossible_date(rng)
        elif roll < P_EMPTY_REQUIRED + P_IMPOSSIBLE_DATE + P_PUBLISHED_FIRST:
            record[3] = formed - dt.timedelta(days=rng.randint(1, 30))
        elif roll < P_EMPTY_REQUIRED + P_IMPOSSIBLE_DATE + P_PUBLISHED_FIRST + P_LATE:
            record[3] = formed + dt.timedelta(days=rng.randint(40, 60))
        if shape == "excel":
            _excel_shape(rng, record, formed)
        elif shape == "worst":
            record[1] = None
            record[3] = formed - dt.timedelta(days=rng.randint(1, 30))
        yield record


def _write_as_excel(path: Path, records: Iterable[list[object]]) -> None:
    """Write the records as Excel and WPS do: a shared-string table, UTF-8, dates as serial numbers with a date
    format, the title merged across the table."""
    import xlsxwriter  # bench-only (the `bench` extra)

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"author": "tzcheck bench/make_workbook.py", "created": dt.datetime(2018, 12, 31)})
    sheet = book.add_worksheet(SHEET)
    for index, width in enumerate(WIDTHS.values()):
        sheet.set_column(index, index, width)
    day = book.add_format({"num_format": "yyyy/m/d"})
    for r, record in enumerate(records):
        for c, value in enumerate(record):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), day)
            elif value is not None:
                sheet.write_string(r, c, str(value))
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, TITLE)
    book.close()


def write_workbook(out: Path, rows: int = DEFAULT_ROWS, seed: int = SEED, shape: str = "plain") -> Path:
    """Write the workbook and return its path: openpyxl's write-only mode (inline strings, every non-ASCII character
    as an XML character reference) for `plain` and `worst`, XlsxWriter (as Excel writes) for `excel`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if shape == "excel":
        _write_as_excel(tmp, make_rows(rows, seed, shape))
        tmp.replace(out)
        return out
    book = Workbook(write_only=True)
    book.properties.creator = "tzcheck bench/make_workbook.py"
    book.properties.created = dt.datetime(2018, 12, 31)  # openpyxl still stamps `modified` at save time
    sheet = book.create_sheet(SHEET)
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    for record in make_rows(rows, seed, shape):
        sheet.append(record)
    book.save(tmp)
    tmp.replace(out)  # never leave a half-written workbook at the final path
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="number of records (default 100000)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output path (default bench/out/bench-ROWS.xlsx)")
    parser.add_argument("--shape", choices=SHAPES, default="plain", help="plain, excel or worst (see above)")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rows < 0:
        parser.error("--rows must be >= 0")
    out = args.out or default_out(args.rows, args.shape)
    started = time.perf_counter()
    write_workbook(out, args.rows, args.seed, args.shape)
    print(f"wrote {out} ({args.rows} rows, {out.stat().st_size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
