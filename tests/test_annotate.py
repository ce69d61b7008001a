"""audit --output F.xlsx: the annotated copy of one workbook — comments on the cells at fault, the input untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment

from tests.helpers import AS_OF, cli, write_xlsx

HEAD = ["信息名称", "发布单位", "形成日期", "公开日期", "内容摘要"]
ID_NUMBER = "11010519491231002X"


def _book(tmp_path: Path) -> Path:
    path = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"信息发布登记": [
        HEAD,
        ["低保名单", "区民政局", "2018-03-01", "2018-03-02", f"张三 身份证 {ID_NUMBER}"],  # TZ402 on E3
        ["救助政策", "区民政局", "2018-02-30", "2018-03-02", "政策全文"],  # TZ005 on C3
        ["合并格", "区民政局", "2018-03-01", "2018-03-02", "正文"],
    ]})
    book = openpyxl.load_workbook(path)
    ws = book["信息发布登记"]
    ws["C3"].comment = Comment("经办人备注:原件日期", "区民政局")  # the agency's own comment, kept
    book.save(path)
    return path


def test_annotated_copy(tmp_path: Path) -> None:
    source = _book(tmp_path)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    target = tmp_path / "out" / "批注副本.xlsx"
    target.parent.mkdir()
    code, _, err = cli("audit", str(source), "--as-of", AS_OF, "--format", "json", "-o", str(target))
    assert code == 1, err
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the input is only read
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["tzcheck检查结果", "信息发布登记"]
    ws = book["信息发布登记"]
    assert ws["E2"].value == f"张三 身份证 {ID_NUMBER}"  # the agency's own cells, as they are
    note = ws["E2"].comment.text
    assert note.startswith("TZ402 personal-info-exposed [错误] 五(二)") and ID_NUMBER not in note
    assert "110105********002X" in note
    assert ws["E2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["C3"].comment.text.startswith("经办人备注:原件日期\n\nTZ005 invalid-date")
    assert ws["C4"].comment is None and ws["C4"].fill.fill_type is None
    listing = book["tzcheck检查结果"]
    rows = list(listing.iter_rows(min_row=2, values_only=True))
    assert ("信息发布登记!E2", "TZ402 personal-info-exposed", "错误", "五(二)") in [r[:4] for r in rows]
    links = {c.value: c.hyperlink.location for c in listing["A"][1:] if c.hyperlink}
    assert links["信息发布登记!E2"] == "'信息发布登记'!E2"
    assert all(ID_NUMBER not in str(v) for r in rows for v in r)


def test_annotated_copy_needs_one_xlsx_workbook(tmp_path: Path) -> None:
    source = _book(tmp_path)
    other = write_xlsx(tmp_path / "区教委-2018.xlsx", {"信息发布登记": [HEAD]})
    code, _, err = cli("audit", str(source), str(other), "--as-of", AS_OF, "-o", str(tmp_path / "copy.xlsx"))
    assert code == 2 and "exactly one input workbook" in err
    csv = tmp_path / "c" / "区民政局.csv"
    csv.parent.mkdir()
    csv.write_text(",".join(HEAD) + "\n低保名单,区民政局,2018-03-01,2018-03-02,正文\n", encoding="utf-8")
    code, _, err = cli("audit", str(csv), "--as-of", AS_OF, "-o", str(tmp_path / "copy.xlsx"))
    assert code == 2 and "only .xlsx and .xlsm" in err
    assert not (tmp_path / "copy.xlsx").exists()
    code, _, err = cli("audit", str(source), "--as-of", AS_OF, "-o", str(source))
    assert code == 2 and "overwrite" in err
