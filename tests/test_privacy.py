"""TZ402: personal-information detectors, masking in every output, exemptions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import AS_OF, audit_json, audit_report, cli, render_all, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from tongzhou_check.formats import SUFFIXES
from tongzhou_check.masking import mask
from tongzhou_check.privacy import detect, is_resident_id, mask_id

LATEST = dt.date(2018, 12, 31)
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, W, strict=True)) % 11]


ID_X = "11010519491231002X"  # check character X
ID_3 = "110101199003071233"
ID_8 = "310104198512245678"
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in ID_3)

CASES = [
    # true positives
    (f"低保户身份证号{ID_X}已登记", ["resident_id"]),
    (f"身份证号:{ID_3}", ["resident_id"]),
    (f"身份证号：{ID_8},户籍通州", ["resident_id"]),
    (f"申请人{FULL_WIDTH}", ["resident_id"]),
    (f"{ID_X.lower()}", ["resident_id"]),
    (f"公民身份号码 {ID_8}", ["resident_id"]),
    ("身份证号码:110105491231002", ["resident_id"]),  # labelled legacy 15-digit
    ("证件号码：110105491231002", ["resident_id"]),
    ("联系电话13812345678", ["mobile"]),
    ("手机 138 1234 5678", ["mobile"]),
    ("手机138-1234-5678", ["mobile"]),
    ("+8613912345678", ["mobile"]),
    ("+86 13912345678", ["mobile"]),
    ("86-15012345678", ["mobile"]),
    ("电话：１８６１２３４５６７８", ["mobile"]),
    ("账号6222021234567890128", ["bank_card"]),  # 19 digits, Luhn
    ("卡号4111111111111111", ["bank_card"]),  # 16 digits
    ("卡号35301113333000001", ["bank_card"]),  # 17 digits
    ("卡号 6222 0212 3456 7890 128", ["bank_card"]),
    ("姓名:王小明", ["name"]),
    ("姓名：欧阳春", ["name"]),
    ("家庭住址:通州区新华大街1号院", ["address"]),
    ("住址:北京市通州区潞城镇", ["address"]),
    (f"户主{ID_3},电话13812345678", ["resident_id", "mobile"]),
    ("身份证号1101051949****002X", ["resident_id_partial"]),  # 4 masked: insufficient
    # true negatives
    ("身份证号110105194912310021", []),  # checksum fails
    ("110105203012310018", []),  # a birth date after as-of
    ("110105********002X", []),  # masked
    ("110105**********", []),
    ("联系人138****5678", []),
    ("姓名:张*", []),
    ("姓名:张某", []),
    ("姓名:张**", []),
    ("统一社会信用代码:91110000600037341L", []),
    ("统一社会信用代码 911101050000000017", []),
    ("京政办发〔2018〕19号", []),
    ("成文日期20180814", []),
    ("办公电话010-89543210", []),  # a landline
    ("订单号1381234567890", []),  # a mobile-like run inside a longer run
    ("编号110105491231002", []),  # an unlabelled 15-digit run
    ("1234567890123456", []),  # fails Luhn and prefix
    ("6222021234567890", []),  # fails Luhn
    (f"流水号9{ID_3}", []),  # an ID inside a longer digit run
    ("规划面积19.36平方公里,53条段", []),
    ("住址:略", []),
]


@pytest.mark.parametrize(("text", "kinds"), CASES, ids=[c[0][:20] for c in CASES])
def test_detectors(text: str, kinds: list[str]) -> None:
    from tongzhou_check.text import nfkc

    found = detect(nfkc(text), LATEST)
    assert [m.kind for m in found] == kinds
    for m in found:
        assert m.masked not in text or (m.kind in ("name",) and len(m.masked) == 2)


def test_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


def test_masked_forms() -> None:
    (m,) = detect(ID_X, LATEST)
    assert m.masked == "110105********002X" == mask_id(ID_X)
    assert [x.masked for x in detect("13812345678", LATEST)] == ["138****5678"]
    assert [x.masked for x in detect("6222021234567890128", LATEST)] == ["***************0128"]
    assert [x.masked for x in detect("姓名:王小明", LATEST)] == ["王*"]


_IDS = st.builds(
    lambda area, birth, seq: with_check(f"{area:06d}{birth:%Y%m%d}{seq:03d}"),
    st.integers(110000, 659999),
    st.dates(dt.date(1930, 1, 1), dt.date(2017, 12, 31)),
    st.integers(0, 999),
)
_CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=30)


@settings(max_examples=200, deadline=None)
@given(_IDS, _CJK, _CJK)
def test_any_valid_id_in_chinese_text_is_found_and_masked(number: str, before: str, after: str) -> None:
    assert is_resident_id(number, LATEST)
    text = before + number + after
    found = detect(text, LATEST)
    assert [m.kind for m in found] == ["resident_id"]
    assert number not in found[0].masked and number[6:14] not in found[0].masked
    assert number not in mask(text)


@settings(max_examples=200, deadline=None)
@given(_IDS, _CJK, st.integers(8, 12))
def test_any_masked_id_is_never_flagged(number: str, text: str, stars: int) -> None:
    masked = number[: 18 - 4 - stars] + "*" * stars + number[-4:] if stars <= 14 else number
    assert detect(text + masked, LATEST) == []


def _publication(tmp_path: Path) -> Path:
    rows = [
        ["信息名称", "发布单位", "形成日期", "公开日期", "信息类别", "正文"],
        ["2018年低保对象公示", "区民政局", "2018-03-01", "2018-03-05", "公示公告", f"户主张三,身份证号{ID_X},电话13812345678"],
        ["行政处罚决定书", "区市场监管局", "2018-03-01", "2018-03-05", "惩戒性公示", f"当事人身份证号{ID_3}"],
        ["临时救助公示", "区民政局", "2018-03-01", "2018-03-05", "公示公告", "救助对象王*,身份证号110105********002X"],
        ["特困供养公示", "区民政局", "2018-03-01", "2018-03-05", "公示公告", "户主身份证号1101051949****002X"],
    ]
    return write_xlsx(tmp_path / "区民政局.xlsx", {"信息发布登记": rows})


def test_findings_exemptions_and_insufficient_masking(tmp_path: Path) -> None:
    report = audit_json(_publication(tmp_path))
    found = [(f["cell"], f["subject"], f["severity"], f["evidence"]) for f in report["findings"]]
    assert found == [
        ("F2", "mobile", "error", "138****5678"),
        ("F2", "resident_id", "error", "110105********002X"),
        ("F5", "resident_id_partial", "warning", "110105********002X"),
    ]
    assert report["summary"]["exempt"] == {"TZ402": 1}


def test_no_raw_value_in_any_output_format(tmp_path: Path) -> None:
    path = _publication(tmp_path)
    raw = [ID_X, ID_3, "13812345678", "1101051949****002X", ID_X[6:14]]
    outputs: dict = render_all(audit_report(path))
    files = [tmp_path / f"report{suffix}" for suffix in SUFFIXES]
    cli("audit", str(path), "--as-of", AS_OF, *(arg for file in files for arg in ("--output", str(file))))
    outputs.update({file.name: file.read_text("utf-8") for file in files})
    assert json.loads(outputs["json", "zh"])["findings"]  # something was found and written
    assert all("TZ402" in text for text in outputs.values())  # ... by every format
    for key in [("sarif", "zh"), ("sarif", "en"), "report.sarif"]:
        # SARIF quotes the rule docs, whose TZ402 description shows 1101051949****002X as an example of
        # insufficient masking; the docs come from the pack, not the workbook
        doc = json.loads(outputs[key])
        assert doc["runs"][0]["tool"]["driver"].pop("rules")
        outputs[key] = json.dumps(doc, ensure_ascii=False)
    for text in outputs.values():
        for value in raw:
            assert value not in text and value not in text.replace("\\", "")  # Markdown escapes `*` as `\*`


def test_explain_tz402_lists_what_is_and_is_not_detected() -> None:
    code, out, _ = cli("explain", "TZ402")
    assert code == 0
    assert "统一社会信用代码" in out and "138****5678" in out and "遮蔽不足" in out


def test_masking_does_not_depend_on_what_was_imported_first() -> None:
    """A fresh interpreter that imports only the masking step masks labelled names and addresses too."""
    import os
    import subprocess
    import sys

    code = "from tongzhou_check.masking import mask; print(mask('姓名:王小明 住址:北京市通州区新华大街1号'))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONIOENCODING": "utf-8"}).stdout
    assert "王小明" not in shown and "新华大街" not in shown
    assert "王*" in shown
