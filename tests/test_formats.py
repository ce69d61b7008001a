"""Output formats: SARIF, JUnit, GitHub workflow commands and Markdown, validated and run through the real CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
import xmlschema
from helpers import AS_OF, ROOT, audit_json, cli, write_xlsx

from tongzhou_check.baseline import fingerprints
from tongzhou_check.engine import audit
from tongzhou_check.formats import FORMATS, SUFFIXES, github, junit, markdown, sarif
from tongzhou_check.model import Suppression
from tongzhou_check.packtypes import Pack

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))
JUNIT_SCHEMA = xmlschema.XMLSchema(DATA / "junit.xsd")

HEAD = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "决策依据是否公开", "收到意见数", "采纳意见数", "未采纳理由",
        "采纳情况公开日期"]
CLEAN = ["规划草案", "区发改委", "2018-09-03", "2018-09-14", "是", 3, 3, None, "2018-09-28"]
WARNING = ["规划草案乙", "区发改委", "2018-09-03", "2018-09-14", "否", 3, 3, None, "2018-09-28"]  # TZ202 E3
ERROR = ["收费目录草案", "区发改委", "2018-09-03", "2018-09-14", "是", 3, 5, None, "2018-09-28"]  # TZ205 G4
ERROR2 = ["收费目录草案二", "区发改委", "2018-09-03", "2018-09-14", "是", 3, 5, None, "2018-09-28"]  # TZ205 G5
WAIVED = ["规划草案丙", "区发改委", "2018-02-30", "2018-09-14", "是", 3, 3, None, "2018-09-28",
          "TZ005: 原件如此,经办人电话13812345678"]  # TZ005 C6, waived: the only finding of its (rule, sheet)
ODD_VALUE = "100%\n下周|一,:"  # echoed by TZ005's message: escaping in every format
ODD = ["规划草案丁", "区发改委", ODD_VALUE, "2018-09-14", "是", 3, 3, None, "2018-09-28"]  # TZ005 意见征集2!C3
NAME = "区发改委.xlsx"


def _workbook(directory: Path) -> Path:
    return write_xlsx(directory / NAME, {
        "意见征集": [[*HEAD, "豁免说明"], CLEAN, WARNING, ERROR, ERROR2, WAIVED],
        "意见征集2": [HEAD, CLEAN, ODD],
    })


def _run(path: Path | str, fmt: str, *extra: str) -> str:
    code, out, err = cli("audit", str(path), "--as-of", AS_OF, "--format", fmt, *extra)
    assert code in (0, 1), err
    return out


def _validate_sarif(doc: dict) -> None:
    validator = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator.check_schema(SARIF_SCHEMA)
    validator(SARIF_SCHEMA, format_checker=validator.FORMAT_CHECKER).validate(doc)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return _workbook(tmp_path)


# SARIF

def test_sarif_is_valid_and_every_result_has_a_location(workbook: Path, pack: Pack) -> None:
    doc = json.loads(_run(workbook, "sarif"))
    _validate_sarif(doc)
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tzcheck" and driver["version"]
    assert [r["id"] for r in driver["rules"]] == list(pack.rules)
    tz205 = driver["rules"][list(pack.rules).index("TZ205")]
    assert tz205 == {
        "id": "TZ205", "name": "opinion-counts", "shortDescription": {"text": pack.rules["TZ205"].title["zh"]},
        "fullDescription": {"text": pack.rules["TZ205"].description["zh"]},
        "help": {"text": f"条款 {pack.rules['TZ205'].clause}:“{pack.rules['TZ205'].quote}”"},
        "defaultConfiguration": {"level": "error"}, "properties": {"clause": pack.rules["TZ205"].clause},
    }
    report = audit_json(workbook, duty_rules=True)
    results = run["results"]
    assert len(results) == len(report["findings"])
    for result, finding in zip(results, report["findings"], strict=True):
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == finding["rule"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding["severity"]]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert unquote(physical["artifactLocation"]["uri"]).endswith("/" + NAME)
        assert physical["region"]["startLine"] == (finding["row"] or 1)
        if finding["sheet"]:
            where = f"{finding['sheet']}!{finding['cell']}" if finding["cell"] else finding["sheet"]
            assert location["logicalLocations"] == [{"name": where, "kind": "element"}]
            assert result["message"]["text"] == f"{where}: {finding['message']}"
        else:
            assert "logicalLocations" not in location and result["message"]["text"] == finding["message"]
        assert result["properties"]["clause"] == finding["clause"]
        assert result["properties"].get("evidence") == finding["evidence"]
        assert ("suppressions" in result) == (finding["suppressed"] is not None)
    g4 = next(r for r in results if r["properties"].get("cell") == "G4")
    assert g4["message"]["text"] == "意见征集!G4: 「采纳意见数」(5)大于「收到意见数」(3)。"
    assert g4["properties"] == {"sheet": "意见征集", "cell": "G4", "header": "采纳意见数", "evidence": "5", "clause": "三(二)"}


def test_sarif_fingerprints_are_the_baseline_fingerprints(workbook: Path, pack: Pack) -> None:
    doc = json.loads(_run(workbook, "sarif"))
    report = audit([(workbook, workbook.as_posix())], pack, dt.date.fromisoformat(AS_OF))
    prints = [r["partialFingerprints"]["tzcheck/v1"] for r in doc["runs"][0]["results"]]
    assert prints == fingerprints(report.findings)
    assert len(set(prints)) == len(prints)


def test_sarif_marks_waived_findings_with_suppressions(workbook: Path) -> None:
    results = json.loads(_run(workbook, "sarif"))["runs"][0]["results"]
    (waived,) = [r for r in results if "suppressions" in r]
    assert waived["ruleId"] == "TZ005" and waived["properties"]["cell"] == "C6"
    assert waived["suppressions"] == [{"kind": "inSource", "justification": "原件如此,经办人电话138****5678"}]


def test_sarif_uri_relative_to_srcroot_or_absolute(workbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absolute = json.loads(_run(workbook, "sarif"))["runs"][0]
    location = absolute["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"].startswith("file:///") and "uriBaseId" not in location
    monkeypatch.chdir(workbook.parent)
    relative = json.loads(_run(NAME, "sarif"))["runs"][0]
    _validate_sarif({"version": "2.1.0", "runs": [relative]})
    for result in relative["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "%E5%8C%BA%E5%8F%91%E6%94%B9%E5%A7%94.xlsx", "uriBaseId": "%SRCROOT%", "index": 0}
        assert unquote(location["uri"]) == NAME
    assert relative["artifacts"][0]["location"] == {"uri": "%E5%8C%BA%E5%8F%91%E6%94%B9%E5%A7%94.xlsx",
                                                     "uriBaseId": "%SRCROOT%"}


def test_sarif_rules_come_from_the_pack_audited_with(workbook: Path, tmp_path: Path) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "tongzhou-2018", pack_dir)
    rule_file = pack_dir / "rules" / "TZ205.yaml"
    rule_file.write_text(rule_file.read_text("utf-8").replace("en: ", "en: Local ", 1), "utf-8")
    doc = json.loads(_run(workbook, "sarif", "--rules", str(pack_dir), "--lang", "en"))
    _validate_sarif(doc)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["TZ205"]["shortDescription"]["text"].startswith("Local ")
    assert rules["TZ205"]["help"]["text"].startswith("Clause ")


# JUnit

def _failing_pairs(report: dict, threshold: tuple[str, ...] = ("error",)) -> set[tuple[str, str | None]]:
    return {(f["rule"], f["sheet"]) for f in report["findings"] if not f["suppressed"] and f["severity"] in threshold}


def test_junit_is_valid_and_fails_once_per_rule_and_sheet(workbook: Path) -> None:
    text = _run(workbook, "junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    JUNIT_SCHEMA.validate(text)
    root = ET.fromstring(text)
    (suite,) = root.findall("testsuite")
    report = audit_json(workbook, duty_rules=True)
    expected = _failing_pairs(report)
    assert expected == {("TZ205", "意见征集"), ("TZ005", "意见征集2")}
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures")) == len(failed) == len(expected)
    assert int(suite.get("tests")) == len(cases) == len({(f["rule"], f["sheet"]) for f in report["findings"]})
    assert suite.get("errors") == "0" and int(suite.get("skipped")) == 1
    assert suite.get("name") == workbook.as_posix() and suite.get("timestamp") == f"{AS_OF}T00:00:00"
    assert suite.get("hostname") == "localhost" and suite.get("time") == "0"
    tz205 = next(c for c in cases if c.get("name") == "TZ205 opinion-counts · 意见征集")
    assert tz205.get("classname") == workbook.as_posix()
    failure = tz205.find("failure")
    assert failure.get("type") == "TZ205"
    assert failure.text.splitlines() == ["意见征集!G4: 「采纳意见数」(5)大于「收到意见数」(3)。",
                                         "意见征集!G5: 「采纳意见数」(5)大于「收到意见数」(3)。"]


def test_junit_waived_findings_never_fail(workbook: Path) -> None:
    suite = ET.fromstring(_run(workbook, "junit")).find("testsuite")
    waived = next(c for c in suite.findall("testcase") if c.get("name") == "TZ005 invalid-date · 意见征集")
    assert waived.find("failure") is None
    skipped = waived.find("skipped")
    assert skipped.get("message") == "已豁免" and "意见征集!C6" in skipped.text and "138****5678" in skipped.text
    odd = next(c for c in suite.findall("testcase") if c.get("name") == "TZ005 invalid-date · 意见征集2")
    assert odd.find("failure") is not None


def test_junit_threshold_and_files_without_findings(workbook: Path, tmp_path: Path, pack: Pack) -> None:
    other = write_xlsx(tmp_path / "b.xlsx", {"意见征集": [HEAD, CLEAN]})
    report = audit([(workbook, "a/区发改委.xlsx"), (other, "b.xlsx")], pack, dt.date.fromisoformat(AS_OF))
    report = dataclasses.replace(report, findings=tuple(f for f in report.findings if f.file_index == 0))
    by_threshold = {}
    for fail_on in ("error", "warning", "never"):
        gated = dataclasses.replace(report, fail_on=fail_on)
        text = junit.render(gated, "en")
        JUNIT_SCHEMA.validate(text)
        suites = ET.fromstring(text).findall("testsuite")
        assert [s.get("id") for s in suites] == ["0", "1"]
        assert [s.get("name") for s in suites] == ["a/区发改委.xlsx", "b.xlsx"]
        (clean,) = suites[1].findall("testcase")
        assert clean.get("name") == "audit" and len(clean) == 0 and suites[1].get("tests") == "1"
        by_threshold[fail_on] = int(suites[0].get("failures"))
        assert (by_threshold[fail_on] > 0) == gated.failed()  # JUnit fails exactly where the exit code does
    levels = {f.severity.name for f in report.findings if f.suppressed is None}
    assert {"error", "warning"} <= levels
    active = [f for f in report.findings if f.suppressed is None]
    assert by_threshold == {
        "error": len({(f.rule, f.sheet) for f in active if f.severity.name == "error"}),
        "warning": len({(f.rule, f.sheet) for f in active if f.severity.name in ("error", "warning")}),
        "never": 0,
    }


# GitHub workflow commands

_COMMAND = re.compile(r"^::(error|warning|notice) file=([^,:]*),line=(\d+),title=([^,:]*)::(.*)$")


def test_github_annotations_levels_and_escaping(workbook: Path) -> None:
    out = _run(workbook, "github")
    report = audit_json(workbook, duty_rules=True)
    active = [f for f in report["findings"] if not f["suppressed"]]
    lines = out.splitlines()
    assert len(lines) == len(active) and out.endswith("\n")
    for line, finding in zip(lines, active, strict=True):
        m = _COMMAND.match(line)
        assert m, line
        level, file, row, title, message = m.groups()
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert file == workbook.as_posix().replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
        assert int(row) == (finding["row"] or 1)
        assert title == f"{finding['rule']} {finding['name']}"
        assert "\n" not in message and "\r" not in message
    assert "::error file=" in out and "::warning file=" in out
    assert "C6" not in out  # the waived finding is not annotated
    (odd,) = [line for line in lines if "意见征集2!C3" in line]
    assert odd.startswith("::error ") and "“100%25%0A下周|一,:”" in odd
    g4 = next(line for line in lines if "意见征集!G4" in line)
    assert g4.endswith(",line=4,title=TZ205 opinion-counts::意见征集!G4: 「采纳意见数」(5)大于「收到意见数」(3)。")


def test_github_escaping_rules() -> None:
    assert github.escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


# Markdown

def test_markdown_has_summary_tables_cells_and_waivers(workbook: Path) -> None:
    out = _run(workbook, "markdown")
    table_summary = _run(workbook, "table").strip().splitlines()[-1]
    lines = out.splitlines()
    assert lines[0].startswith("## ") and f"**{table_summary}**" in lines
    assert f"### 文件:`{workbook.as_posix()}`" in lines
    assert "#### 意见征集" in lines and "#### 意见征集2" in lines and "#### (整个文件)" in lines
    assert lines.count("| 位置 | 规则 | 级别 | 条款 | 问题 |") == 3
    assert "| 意见征集!G4 | TZ205 opinion-counts | 错误 | 三(二) | 「采纳意见数」(5)大于「收到意见数」(3)。 |" in lines
    (waived,) = [line for line in lines if "意见征集!C6" in line]
    assert "| 已豁免 |" in waived and "豁免理由:原件如此,经办人电话138\\*\\*\\*\\*5678" in waived
    (odd,) = [line for line in lines if "意见征集2!C3" in line]
    assert "“100%<br>下周\\|一,:”" in odd
    assert odd.count(" | ") == 4  # the escaped bar does not split the cell
    english = _run(workbook, "markdown", "--lang", "en")
    assert "| Cell | Rule | Severity | Clause | Problem |" in english and "| waived |" in english
    assert "Audited 1 files" in english


def test_markdown_cell_escaping() -> None:
    assert markdown.cell("a|b\nc*d_e") == "a\\|b<br>c\\*d\\_e"
    assert markdown.code("x`y") == "``x`y``"


# every format

@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_same_input_same_bytes(fmt: str, workbook: Path) -> None:
    assert _run(workbook, fmt) == _run(workbook, fmt)


@pytest.mark.parametrize(("suffix", "fmt"), [(s, f) for s, f in SUFFIXES.items() if f != "table"])
def test_output_file_follows_suffix(suffix: str, fmt: str, workbook: Path, tmp_path: Path) -> None:
    target = tmp_path / f"report{suffix}"
    code, out, _ = cli("audit", str(workbook), "--as-of", AS_OF, "--format", fmt, "--output", str(target))
    assert code == 1
    assert target.read_bytes() == out.encode("utf-8")


def test_new_formats_are_registered() -> None:
    assert {"sarif", "junit", "github", "markdown"} <= set(FORMATS)
    assert SUFFIXES[".sarif"] == "sarif" and SUFFIXES[".xml"] == "junit" and SUFFIXES[".md"] == "markdown"
    assert FORMATS["sarif"] is sarif.render and FORMATS["junit"] is junit.render


def test_waiver_reasons_are_masked(workbook: Path) -> None:
    for fmt in ("sarif", "junit", "github", "markdown"):
        assert "13812345678" not in _run(workbook, fmt)


def test_baselined_findings_are_suppressed_in_every_format(workbook: Path, pack: Pack) -> None:
    report = audit([(workbook, NAME)], pack, dt.date.fromisoformat(AS_OF))
    baselined = Suppression("baseline", "recorded in the baseline")
    findings = tuple(dataclasses.replace(f, suppressed=baselined) if f.rule == "TZ205" and f.suppressed is None
                     else f for f in report.findings)
    report = dataclasses.replace(report, findings=findings)
    doc = json.loads(sarif.render(report, "zh"))
    _validate_sarif(doc)
    tz205 = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "TZ205"]
    assert len(tz205) == 2
    assert all(r["suppressions"] == [{"kind": "external", "justification": "recorded in the baseline"}] for r in tz205)
    suite = ET.fromstring(junit.render(report, "zh")).find("testsuite")
    case = next(c for c in suite.findall("testcase") if c.get("name") == "TZ205 opinion-counts · 意见征集")
    assert case.find("failure") is None and case.find("skipped").get("message") == "已纳入基线"
    assert "TZ205" not in github.render(report, "zh")
    assert "| 意见征集!G4 | TZ205 opinion-counts | 基线 |" in markdown.render(report, "zh")


def test_junit_replaces_characters_xml_cannot_hold(workbook: Path, pack: Pack) -> None:
    report = audit([(workbook, NAME)], pack, dt.date.fromisoformat(AS_OF))
    findings = tuple(dataclasses.replace(f, message_zh=f.message_zh + "\x0b\x00") for f in report.findings)
    text = junit.render(dataclasses.replace(report, findings=findings), "zh")
    JUNIT_SCHEMA.validate(text)
    assert "\ufffd\ufffd" in text


def test_junit_follows_the_cli_fail_on(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期"], ["2018-09-05", "2018-09-04"]]  # TZ008: an error
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows})
    never = cli("audit", str(path), "--as-of", AS_OF, "--format", "junit", "--fail-on", "never")[1]
    error = cli("audit", str(path), "--as-of", AS_OF, "--format", "junit")[1]
    assert "<failure" not in never and "<failure" in error


def test_waiver_reasons_are_masked_in_json(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期", "豁免说明"], ["2018-09-05", "2018-09-04", "TZ008: 经办人13812345678同意"]]
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows})
    out = cli("audit", str(path), "--as-of", AS_OF, "--format", "json")[1]
    assert "138****5678" in out and "13812345678" not in out


# html

def test_html_report(workbook: Path) -> None:
    page = _run(workbook, "html")
    assert page.startswith("<!DOCTYPE html>") and page.count("<table") == 1
    assert "<script" not in page and "<link" not in page and "src=" not in page and "href=" not in page
    assert "http" not in page and "url(" not in page
    assert "100%\n下周|一,:" in page  # TZ005 echoes the odd value; as text, in a pre-line cell
    assert "意见征集!G4" in page and "TZ205 opinion-counts" in page
    assert "已豁免" in page and "13812345678" not in page and "138****5678" in page
    rows = re.findall(r"<tr[ >]", page)
    assert len(rows) == 1 + len(audit_json(workbook, duty_rules=True)["findings"])


def test_fast_json_writes_exactly_what_the_standard_library_writes() -> None:
    import json

    from tongzhou_check.formats.jsontext import dumps

    docs = [
        {"a": "\x1b[2J\x00\x07\x7f\u2028\u202e\t\n\r\"\\/ 中文 😀", "b": [], "c": {}, "d": [1, {"e": None, "f": True}],
         "g": 1.5, "h": -0.0, "i": 1e20, "j": 2**64 + 1},  # an integer orjson cannot write: the fallback
        [],
    ]
    for doc in docs:
        assert dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    damaged = {"lone": "a\ud800b"}  # UTF-8 cannot hold a lone surrogate: its JSON escape, loading back the same
    assert dumps(damaged) == '{\n  "lone": "a\\ud800b"\n}\n' and json.loads(dumps(damaged)) == damaged
