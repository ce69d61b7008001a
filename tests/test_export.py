"""The findings export: `audit -o F.xlsx` over several workbooks (a directory, a glob, several paths) and `-o F.csv`
always — one row per finding of the JSON report, filterable, formula-guarded, masked; one named workbook's
`-o F.xlsx` is still its annotated copy."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import AS_OF, ROOT, audit_report, cli, write_xlsx

from tongzhou_check.formats.export import guarded
from tongzhou_check.formats.export import write_xlsx as write_export_xlsx
from tongzhou_check.settings import annotated_copies, names_one_file

SAMPLES = ROOT / "sample_lists"
HEADERS_ZH = ["文件", "工作表", "单元格", "行", "列", "列标题", "规则", "规则名称", "级别", "条款", "问题说明",
              "单元格内容(已脱敏)", "具体项", "状态", "理由"]
HEADERS_EN = ["File", "Sheet", "Cell", "Row", "Column", "Header", "Rule", "Name", "Severity", "Clause", "Message",
              "Evidence (masked)", "Subject", "State", "Reason"]
SEVERITY = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
            "en": {"error": "error", "warning": "warning", "info": "info"}}
STATE = {"zh": {None: "待处理", "waiver": "已豁免", "baseline": "基线"},
         "en": {None: "open", "waiver": "waived", "baseline": "baselined"}}
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
ID_NUMBER = re.compile(r"\d{17}[\dXx]")

LOG = ["信息名称", "发布单位", "形成日期", "公开日期", "内容摘要", "豁免说明"]
FORMULAS = ["=1+2", "+1", "-5", "@SUM(A1)", '=HYPERLINK("http://x.test","点击")']  # what a spreadsheet would run


def _expected(finding: dict[str, Any], lang: str = "zh") -> list[Any]:
    """A JSON report finding as the export's row: severity and state in words, formula-like texts guarded."""
    by = finding["suppressed"] and finding["suppressed"]["by"]
    values = [finding["file"], finding["sheet"], finding["cell"], finding["row"], finding["column"],
              finding["header"], finding["rule"], finding["name"], SEVERITY[lang][finding["severity"]],
              finding["clause"], finding["message"], finding["evidence"], finding["subject"], STATE[lang][by],
              finding["suppressed"] and finding["suppressed"]["reason"]]
    return ["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in values]


def _audit(*args: str) -> dict[str, Any]:
    """The JSON report on stdout of an audit that also writes its -o files."""
    code, out, err = cli("audit", *args, "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    assert code == 0, err
    assert "Traceback" not in err
    return json.loads(out)


def _sheet_rows(path: Path) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _log(path: Path, rows: list[list[Any]]) -> Path:
    """A publication log whose 公开日期 cells hold text exactly as given (a leading = stays text, not a formula)."""
    write_xlsx(path, {"信息发布登记": [LOG]})
    book = openpyxl.load_workbook(path)
    ws = book["信息发布登记"]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    book.save(path)
    return path


def _formula_books(folder: Path) -> Path:
    folder.mkdir()
    _log(folder / "区民政局-2018.xlsx", [
        ["低保名单", "区民政局", "2018-03-01", value, "正文"] for value in FORMULAS])  # TZ005 on D2:D6, echoed
    _log(folder / "区教委-2018.xlsx", [
        ["招生简章", "区教委", "2018-03-01", "2018-03-02", "正文"],
        ["收费目录", "区教委", "2018-02-30", "2018-03-02", "正文",
         "TZ005: 原件如此,经办人电话13812345678"],  # TZ005 on C3, waived; the reason holds a mobile number
    ])
    return folder


def test_xlsx_export_over_a_directory_is_the_json_reports_findings(tmp_path: Path) -> None:
    target = tmp_path / "问题清单.xlsx"
    report = _audit(str(SAMPLES), "-o", str(target))
    findings = report["findings"]
    assert len(findings) == report["summary"]["findings"] > 20
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["问题清单", "文件"]  # no annotated copy: no findings sheet of a copied workbook
    ws = book["问题清单"]
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert rows[0] == HEADERS_ZH
    assert rows[1:] == [_expected(f) for f in findings]  # one row per finding, in the report's order
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{len(findings) + 1}"
    assert all(ws.cell(row=1, column=c).font.bold for c in range(1, 16))
    for column, header in zip("ABCDEFGHIJKLMNO", HEADERS_ZH, strict=True):  # wide enough for the header at least
        assert ws.column_dimensions[column].width >= 2 * len(header)
    assert ws.column_dimensions["K"].width == 80  # the message: wide, capped
    for r, finding in enumerate(findings, start=2):
        colour = "EDEDED" if finding["suppressed"] else FILLS[finding["severity"]]
        assert ws.cell(row=r, column=9).fill.fgColor.rgb.endswith(colour)
        assert ws.cell(row=r, column=1).data_type == "s"  # file names as text
        assert isinstance(ws.cell(row=r, column=4).value, int | None)  # the row number as a number
    waived = [r for r, f in enumerate(findings, start=2) if f["suppressed"]]
    assert waived and all(ws.cell(row=r, column=14).value == "已豁免" for r in waived)


def test_the_files_sheet_lists_every_audited_file_with_its_counts(tmp_path: Path) -> None:
    target = tmp_path / "问题清单.xlsx"
    report = _audit(str(SAMPLES), "-o", str(target))
    ws = openpyxl.load_workbook(target)["文件"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["文件", "读取情况", "单位", "识别的工作表", "记录行数", "问题数", "错误", "警告", "提示", "已豁免或基线"]
    assert [r[0] for r in rows[1:]] == [f["path"] for f in report["files"]]
    clean = [r for r in rows[1:] if r[5] == 0]
    assert [r[0] for r in clean] == [str(SAMPLES / "区教委-2018.xlsx")]  # a workbook without findings is listed too
    assert clean[0][1:3] == ["已检查", "区教委"]
    summary = report["summary"]
    totals = [sum(r[i] for r in rows[1:]) for i in range(3, 10)]
    assert totals == [summary[k] for k in ("sheets", "rows", "findings", "errors", "warnings", "info", "suppressed")]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:J{len(rows)}"


def test_xlsx_export_in_english_and_over_a_glob(tmp_path: Path) -> None:
    work = tmp_path / "submissions"
    shutil.copytree(SAMPLES, work)
    target = tmp_path / "findings.xlsx"
    report = _audit(str(work / "*.xlsx"), "--lang", "en", "-o", str(target))
    rows = _sheet_rows(target)
    assert openpyxl.load_workbook(target).sheetnames == ["Findings", "Files"]
    assert rows[0] == HEADERS_EN
    assert rows[1:] == [_expected(f, "en") for f in report["findings"]]


def test_csv_export_has_a_bom_rfc4180_quoting_and_the_formula_guard(tmp_path: Path) -> None:
    books = _formula_books(tmp_path / "books")
    target = tmp_path / "findings.csv"
    report = _audit(str(books), "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with a BOM, CRLF line ends
    rows = _csv_rows(target)
    assert rows[0] == HEADERS_ZH
    assert len(rows) - 1 == len(report["findings"]) == report["summary"]["findings"]
    as_text = [["" if v is None else str(v) for v in _expected(f)] for f in report["findings"]]
    assert rows[1:] == as_text
    echoed = [row[11] for row in rows[1:] if row[6] == "TZ005" and row[2].startswith("D")]
    assert echoed == ["'" + value for value in FORMULAS]  # each guarded, read back whole
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for v in row)
    waived = [row for row in rows[1:] if row[13] == "已豁免"]
    assert len(waived) == 1 and waived[0][14] == "原件如此,经办人电话138****5678"  # the reason, masked
    assert "13812345678" not in raw.decode("utf-8-sig")


def test_the_guard_covers_tabs_and_carriage_returns_and_leaves_the_rest() -> None:
    assert [guarded(v) for v in ("\t=1", "\r=1", "=1", "a=1", " =1", 5, None)] == [
        "'\t=1", "'\r=1", "'=1", "a=1", " =1", 5, None]


def test_a_single_workbook_csv_is_the_export_too(tmp_path: Path) -> None:
    source = SAMPLES / "区民政局-2018.xlsx"
    target = tmp_path / "区民政局.csv"
    report = _audit(str(source), "-o", str(target))
    rows = _csv_rows(target)
    assert len(rows) - 1 == len(report["findings"]) and {row[0] for row in rows[1:]} == {str(source)}


def test_xlsx_export_guards_formulas_and_keeps_every_text_a_text(tmp_path: Path) -> None:
    books = _formula_books(tmp_path / "books")
    target = tmp_path / "findings.xlsx"
    report = _audit(str(books / "区民政局-2018.xlsx"), str(books / "区教委-2018.xlsx"), "-o", str(target))
    ws = openpyxl.load_workbook(target).worksheets[0]
    assert [list(r) for r in ws.iter_rows(min_row=2, values_only=True)] == [_expected(f) for f in report["findings"]]
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    echoed = [ws.cell(row=r, column=12).value for r in range(2, ws.max_row + 1)
              if ws.cell(row=r, column=7).value == "TZ005" and ws.cell(row=r, column=3).value.startswith("D")]
    assert echoed == ["'" + value for value in FORMULAS]


def test_one_named_workbook_still_gets_its_annotated_copy(tmp_path: Path) -> None:
    source = SAMPLES / "区民政局-2018.xlsx"
    copy, listed = tmp_path / "批注.xlsx", tmp_path / "问题.csv"
    report = _audit(str(source), "-o", str(copy), "-o", str(listed))
    assert "tzcheck检查结果" in openpyxl.load_workbook(copy).sheetnames  # the copy, with its findings sheet
    assert len(_csv_rows(listed)) - 1 == len(report["findings"])  # and beside it the export, as asked
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(source, folder)
    export = tmp_path / "export.xlsx"
    report = _audit(str(folder), "-o", str(export))  # a directory may hold any number: the export, even of one
    assert openpyxl.load_workbook(export).sheetnames == ["问题清单", "文件"]
    assert len(_sheet_rows(export)) - 1 == len(report["findings"])


def test_masked_id_numbers_never_appear_in_clear(tmp_path: Path) -> None:
    source = SAMPLES / "区民政局-2018.xlsx"
    clear = {m for row in openpyxl.load_workbook(source)["信息发布登记"].iter_rows(values_only=True)
             for v in row if isinstance(v, str) for m in ID_NUMBER.findall(v)}
    assert clear  # the sample holds ID numbers in clear
    xlsx, csv_file = tmp_path / "f.xlsx", tmp_path / "f.csv"
    _audit(str(source), str(SAMPLES / "区教委-2018.xlsx"), "-o", str(xlsx), "-o", str(csv_file))
    texts = [str(v) for row in _sheet_rows(xlsx) for v in row if v is not None]
    texts += [v for row in _csv_rows(csv_file) for v in row]
    assert any("110199********104X" in t for t in texts)  # the masked form is there
    assert not any(number in t for number in clear for t in texts)


def test_rows_past_a_sheets_limit_go_on_to_the_next_sheet(tmp_path: Path) -> None:
    report = audit_report(*sorted(SAMPLES.glob("*.xlsx")))
    whole, split = tmp_path / "whole.xlsx", tmp_path / "split.xlsx"
    write_export_xlsx(report, "zh", whole)
    write_export_xlsx(report, "zh", split, sheet_rows=7)
    book = openpyxl.load_workbook(split)
    parts = -(-len(report.findings) // 7)
    assert parts > 2 and book.sheetnames == ["问题清单", *(f"问题清单 ({i})" for i in range(2, parts + 1)), "文件"]
    body = []
    for ws in book.worksheets[:-1]:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert rows[0] == HEADERS_ZH and ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:O{len(rows)}"
        assert 1 < len(rows) <= 8
        body += rows[1:]
    assert body == _sheet_rows(whole)[1:] and len(body) == len(report.findings)


def test_no_findings_is_a_header_row_with_its_filter(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"信息发布登记": [LOG[:5], ["招生简章", "区教委", "2018-03-01", "2018-03-02", "正文"]]})
    other = write_xlsx(tmp_path / "b.xlsx", {"信息发布登记": [LOG[:5]]})
    target = tmp_path / "f.xlsx"
    report = _audit(str(book), str(other), "--select", "TZ005", "-o", str(target))
    assert report["findings"] == []
    ws = openpyxl.load_workbook(target).worksheets[0]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [HEADERS_ZH] and ws.auto_filter.ref == "A1:O1"


@pytest.mark.parametrize("name", ["f.xlsx", "f.csv"])
def test_export_outputs_are_checked_before_the_audit(name: str, tmp_path: Path) -> None:
    code, out, err = cli("audit", str(SAMPLES), "--as-of", AS_OF, "-o", f"/nonexistent/{name}")
    assert code == 2 and out == "" and "cannot write" in err and "Traceback" not in err
    inputs = _formula_books(tmp_path / "books")
    sheet = inputs / "区教委.csv"
    sheet.write_text(",".join(LOG[:5]) + "\n招生简章,区教委,2018-03-01,2018-03-02,正文\n", encoding="utf-8")
    before = sheet.read_bytes()
    code, out, err = cli("audit", str(inputs), "--as-of", AS_OF, "-o", str(sheet))
    assert code == 2 and "overwrite" in err and sheet.read_bytes() == before


def test_control_characters_in_cells_reach_neither_export(tmp_path: Path) -> None:
    sheet = tmp_path / "意见征集.csv"
    sheet.write_bytes("序号,征集事项,起始日期,截止日期,收到意见数,采纳意见数\n"
                      "1,\x1b]0;pwned\x07关于\u202e某事项,2018-03-01,2018-03-02,x\x1b[31m,1\n".encode())
    other = _formula_books(tmp_path / "books") / "区教委-2018.xlsx"
    xlsx, csv_file = tmp_path / "f.xlsx", tmp_path / "f.csv"
    report = _audit(str(sheet), str(other), "-o", str(xlsx), "-o", str(csv_file))
    texts = [str(v) for row in _sheet_rows(xlsx) for v in row if v is not None]
    texts += [v for row in _csv_rows(csv_file) for v in row]
    assert len(_sheet_rows(xlsx)) == len(_csv_rows(csv_file)) == len(report["findings"]) + 1
    assert any("\\x1b" in t for t in texts) and not any("\x1b" in t or "\x07" in t for t in texts)


def test_which_command_lines_name_one_workbook_file(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "区教委-2018.xlsx", {"信息发布登记": [LOG[:5]]})
    named = [str(book), str(tmp_path / "还没有.xlsx"), "-", "s3://bucket/2018/区教委.xlsx"]
    several = [str(tmp_path), str(tmp_path / "*.xlsx"), "s3://bucket/2018/", "s3://bucket/*.xlsx",
               "s3://bucket/2018/[ab].xlsx"]
    assert [names_one_file([p]) for p in named] == [True] * len(named)
    assert [names_one_file([p]) for p in several] == [False] * len(several)
    assert not names_one_file([str(book), str(book)])
    outputs = [tmp_path / "a.xlsx", tmp_path / "b.csv", tmp_path / "c.XLSX", tmp_path / "d.json"]
    assert annotated_copies([str(book)], outputs) == [tmp_path / "a.xlsx", tmp_path / "c.XLSX"]
    assert annotated_copies([str(tmp_path)], outputs) == []


def test_an_unreadable_workbook_is_a_finding_and_a_file_row(tmp_path: Path) -> None:
    broken = tmp_path / "区教委-2018.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    good = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"信息发布登记": [LOG[:5]]})
    target = tmp_path / "f.xlsx"
    report = _audit(str(broken), str(good), "-o", str(target))
    book = openpyxl.load_workbook(target)
    findings = [list(r) for r in book["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert [str(broken), None, None, None, None, None, "TZ001"] in [r[:7] for r in findings]
    files = [list(r) for r in book["文件"].iter_rows(min_row=2, values_only=True)]
    assert [r[:2] for r in files] == [[str(broken), "无法读取"], [str(good), "已检查"]]
    assert len(findings) == len(report["findings"])


def test_baselined_findings_say_so_in_the_state_column(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, err = cli("baseline", "create", str(SAMPLES), "--as-of", AS_OF, "-o", str(baseline))
    assert code == 0, err
    target = tmp_path / "f.csv"
    report = _audit(str(SAMPLES), "--baseline", str(baseline), "--lang", "en", "-o", str(target))
    rows = _csv_rows(target)[1:]
    assert rows == [["" if v is None else str(v) for v in _expected(f, "en")] for f in report["findings"]]
    states = {row[13] for row in rows}
    assert "baselined" in states and states <= {"baselined", "waived"}
