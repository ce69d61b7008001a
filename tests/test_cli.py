"""The command line: exit codes, formats, languages, ordering, rule docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from helpers import AS_OF, REPORT_SCHEMA, ROOT, audit_json, cli, write_xlsx

HEAD = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "决策依据是否公开", "收到意见数", "采纳意见数", "未采纳理由",
        "采纳情况公开日期"]


def _consultation(tmp_path: Path, *rows: list) -> Path:
    return write_xlsx(tmp_path / "区发改委.xlsx", {"意见征集": [HEAD, *rows]})


CLEAN = ["规划草案", "区发改委", "2018-09-03", "2018-09-14", "是", 3, 3, None, "2018-09-28"]
WARNING = ["规划草案", "区发改委", "2018-09-03", "2018-09-14", "否", 3, 3, None, "2018-09-28"]  # TZ202
ERROR = ["收费目录草案", "区发改委", "2018-09-03", "2018-09-14", "是", 3, 5, None, "2018-09-28"]  # TZ205


@pytest.mark.parametrize(
    ("row", "fail_on", "code"),
    [(CLEAN, "error", 0), (WARNING, "error", 0), (WARNING, "warning", 1), (ERROR, "error", 1), (ERROR, "never", 0)],
)
def test_exit_codes(row: list, fail_on: str, code: int, tmp_path: Path) -> None:
    path = _consultation(tmp_path, row)
    assert cli("audit", str(path), "--as-of", AS_OF, "--fail-on", fail_on)[0] == code


@pytest.mark.parametrize("args", [["--format", "xml"], ["--as-of", "2018-13-01"], ["--fail-on", "sometimes"],
                                  ["--output", "report.docx"], ["--lang", "fr"]])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    path = _consultation(tmp_path, CLEAN)
    code, out, err = cli("audit", str(path), *args)
    assert code == 2
    assert "Traceback" not in out + err


def test_table_names_cells_rules_clauses_and_ends_with_a_summary(tmp_path: Path) -> None:
    path = _consultation(tmp_path, CLEAN, ERROR)
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF)
    assert code == 1
    assert "意见征集!G3" in out and "TZ205" in out and "opinion-counts" in out and "三(二)" in out
    assert "采纳意见数" in out
    assert out.strip().splitlines()[-1].startswith("共检查 1 个文件")


def test_english_messages(tmp_path: Path) -> None:
    path = _consultation(tmp_path, ERROR)
    report = audit_json(path, extra=["--lang", "en"])
    assert report["findings"][0]["message"] == "“采纳意见数” (5) exceeds “收到意见数” (3)."
    _, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--lang", "en")
    assert "Audited 1 files" in out


def test_json_report_contract(tmp_path: Path) -> None:
    path = _consultation(tmp_path, CLEAN, ERROR)
    report = audit_json(path)
    assert report["as_of"] == AS_OF and report["rule_pack"]["id"] == "tongzhou-2018"
    assert report["calendar"]["source"]
    (finding,) = report["findings"]
    assert finding == {
        "rule": "TZ205", "name": "opinion-counts", "severity": "error", "file": path.as_posix(), "sheet": "意见征集",
        "row": 3, "column": "G", "cell": "G3", "header": "采纳意见数", "message": "「采纳意见数」(5)大于「收到意见数」(3)。",
        "clause": "三(二)", "evidence": "5", "subject": None, "suppressed": None,
    }
    # the summary also counts the file-level TZ120 (区发改委 has duties but no catalogue sheet here: info), which
    # audit_json leaves out of the findings
    assert report["summary"] == {"files": 1, "sheets": 1, "rows": 2, "findings": 2, "errors": 1, "warnings": 0,
                                 "info": 1, "suppressed": 0, "baselined": 0, "exempt": {}}


def test_waived_findings_stay_in_the_report_but_do_not_fail(tmp_path: Path) -> None:
    rows = [[*HEAD, "豁免说明"], [*WARNING, "TZ202: 依据涉及国家秘密,经区政府批准"], [*ERROR[:1], "其他", *ERROR[2:], "opinion-counts: 录入口径不同"]]
    path = write_xlsx(tmp_path / "a.xlsx", {"意见征集": rows})
    report = audit_json(path)
    assert [(f["rule"], f["suppressed"]) for f in report["findings"]] == [
        ("TZ202", {"by": "waiver", "reason": "依据涉及国家秘密,经区政府批准"}),
        ("TZ205", {"by": "waiver", "reason": "录入口径不同"}),
    ]
    assert report["summary"]["suppressed"] == 2 and report["summary"]["errors"] == 0
    assert cli("audit", str(path), "--as-of", AS_OF, "--fail-on", "warning")[0] == 0


def test_output_files_follow_their_suffix(tmp_path: Path) -> None:
    path = _consultation(tmp_path, ERROR)
    target, text = tmp_path / "out" / "report.json", tmp_path / "report.txt"
    target.parent.mkdir()
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--output", str(target), "--output", str(text))
    assert code == 1 and "TZ205" in out
    jsonschema.validate(json.loads(target.read_text("utf-8")), REPORT_SCHEMA)
    assert "意见征集!G2" in text.read_text("utf-8")


def test_findings_are_ordered_and_output_is_deterministic(tmp_path: Path) -> None:
    header = [None] * 27
    header[0], header[1], header[2], header[26] = "决策事项", "征求意见开始日期", "承办单位", "征求意见截止日期"
    row = [None] * 27
    row[0], row[1], row[2], row[26] = "规划", "下周一", "区发改委", "月底"
    write_xlsx(tmp_path / "b.xlsx", {"意见征集": [header, row]})
    write_xlsx(tmp_path / "a.xlsx", {"意见征集": [header, row]})
    report = audit_json(tmp_path)
    assert [(Path(f["file"]).name, f["cell"]) for f in report["findings"] if f["rule"] == "TZ005"] == [
        ("a.xlsx", "B2"), ("a.xlsx", "AA2"), ("b.xlsx", "B2"), ("b.xlsx", "AA2")
    ]
    runs = {cli("audit", str(tmp_path), "--as-of", AS_OF, "--format", "json")[1] for _ in range(2)}
    assert len(runs) == 1


def test_long_digit_runs_echoed_from_cells_are_masked(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期"], ["身份证110105194912310021", None], ["13812345678", None]]
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows})
    report = audit_json(path)
    assert [f["evidence"] for f in report["findings"]] == ["身份证110105********0021", "138****5678"]
    out = cli("audit", str(path), "--as-of", AS_OF)[1] + cli("audit", str(path), "--as-of", AS_OF, "--format", "json")[1]
    assert "110105194912310021" not in out and "13812345678" not in out


def test_rules_list_show_and_explain() -> None:
    code, out, _ = cli("rules", "list")
    assert code == 0 and "TZ201\tcomment-window\terror\t三(二)" in out and "\tactive" in out
    code, out, _ = cli("rules", "show", "attribute-and-basis")
    assert code == 0 and "TZ101" in out and "basis" in out
    code, out, _ = cli("explain", "TZ101")
    assert code == 0
    assert "逐项明确信息的公开属性及依据" in out and "不合格示例" in out and "学生个人档案" in out
    assert "Passing examples" in cli("explain", "TZ101", "--lang", "en")[1]
    assert cli("explain", "TZ999")[0] == 2


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "tongzhou_check", "--version"], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0 and done.stdout.startswith("tzcheck ")


@pytest.mark.parametrize("args", [
    ["audit", "{book}", "-o", "{missing}/report.json"],
    ["audit", "{book}", "-o", "{missing}/copy.xlsx"],
    ["baseline", "create", "{book}", "--as-of", AS_OF, "-o", "{missing}/baseline.json"],
    ["report", "{book}", "--year", "2018", "-o", "{missing}/appendix.xlsx"],
    ["report", "{book}", "--year", "2018", "-o", "{directory}.html"],
    ["template", "-o", "{missing}/template.xlsx"],
])
def test_an_output_that_cannot_be_written_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    book = write_xlsx(tmp_path / "区教委-2018.xlsx", {"意见征集": [["决策事项", "承办单位", "征求意见开始日期"]]})
    (tmp_path / "taken.html").mkdir()
    values = {"book": str(book), "missing": str(tmp_path / "no-such-dir"), "directory": str(tmp_path / "taken")}
    code, _, err = cli(*[a.format(**values) for a in args])
    assert code == 2, err
    assert "cannot write" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [
    ["audit", "{book}", "--year", "99999"],
    ["audit", "{book}", "--as-of", "0001-01-01"],
    ["report", "{book}", "--year", "0"],
    ["report", "{book}", "--as-of", "9999-12-31"],
    ["workdays", "0001-01-01", "0002-01-01"],
])
def test_years_outside_any_calendar_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    book = write_xlsx(tmp_path / "区教委-2018.xlsx", {"意见征集": [["决策事项", "承办单位", "征求意见开始日期"]]})
    code, _, err = cli(*[a.format(book=book) for a in args])
    assert code == 2 and "Traceback" not in err
    assert "1900" in err or "2200" in err


def test_a_configured_year_outside_the_range_is_named(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "区教委-2018.xlsx", {"意见征集": [["决策事项", "承办单位", "征求意见开始日期"]]})
    (tmp_path / "tzcheck.toml").write_text("year = 99999\n", encoding="utf-8")
    code, _, err = cli("audit", str(book), "--config", str(tmp_path / "tzcheck.toml"))
    assert code == 2 and "year" in err


def test_the_table_shows_fifty_findings_a_sheet_and_counts_the_rest(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期"], *(["2018-09-05", "2018-09-04"] for _ in range(60))]  # 60 × TZ008
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows})
    _, out, _ = cli("audit", str(path), "--as-of", AS_OF)
    assert out.count("TZ008") == 50 + 1 and "网民纠错!B51" in out and "网民纠错!B52" not in out
    assert "本表另有 10 个问题未列出:TZ008 10 个。" in out
    _, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--show-all")
    assert out.count("TZ008") == 60 and "网民纠错!B61" in out and "未列出" not in out
    report = audit_json(path)
    assert len([f for f in report["findings"] if f["rule"] == "TZ008"]) == 60  # machine formats carry all


def test_the_base_install_needs_no_click_package() -> None:
    """typer ≥ 0.26 vendors click and does not install it: `pip install .` alone must give a working tzcheck, even
    though the test extras (dask, uvicorn) bring the click package in."""
    argv = ["tzcheck", "audit", "sample_lists/", "--as-of", AS_OF, "--format", "json"]
    code = (f"import sys; sys.modules['click'] = None; from tongzhou_check.cli import main; sys.argv = {argv!r}\n"
            "main()")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # findings, not an ImportError
    assert json.loads(run.stdout)["findings"]
