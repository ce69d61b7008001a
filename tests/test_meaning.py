"""What a pack means at audit time: reasons reach a rule even when the rule raised by them is off, the appendix
lists only the rules that ran, and counts by the pack's own kind and column keys."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from helpers import AS_OF, ROOT, cli, write_xlsx

SAMPLES = ROOT / "sample_lists"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tzcheck.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _correction(tmp_path: Path, received: str, handled: str) -> Path:
    return write_xlsx(tmp_path / "a.xlsx", {"网民纠错": [["收到日期", "处理日期"], [received, handled]]})


def _findings(*args: str) -> list[dict]:
    code, out, err = cli("audit", *args, "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    assert code == 0, err
    return [f for f in json.loads(out)["findings"] if f["rule"] not in ("TZ120", "TZ121")]


def test_a_date_outside_the_calendar_is_reported_under_tz009(tmp_path: Path) -> None:
    found = _findings(str(_correction(tmp_path, "2099-03-02", "2099-03-06")))
    assert [(f["rule"], f["cell"], f["clause"]) for f in found] == [("TZ009", "A2", "六(一)")]


def test_with_tz009_deselected_the_rule_that_needed_the_year_reports_it(tmp_path: Path) -> None:
    path = _correction(tmp_path, "2099-03-02", "2099-03-06")
    config = _config(tmp_path, 'select = ["TZ901"]\n')
    found = _findings(str(path), "--config", str(config))
    assert [(f["rule"], f["cell"], f["severity"]) for f in found] == [("TZ901", "A2", "error")]
    assert "2099" in found[0]["message"] and "日历" in found[0]["message"]


def test_report_lists_only_the_rules_that_ran(tmp_path: Path) -> None:
    config = _config(tmp_path, 'ignore = ["TZ902", "TZ402"]\n')
    code, out, err = cli("report", str(SAMPLES), "--year", "2018", "--config", str(config))
    assert code == 0, err
    table2 = out[out.index("## 附表2"):out.index("## 附表3")]
    rows = re.findall(r"^\| (TZ\d{3}) \|", table2, re.M)
    assert "TZ902" not in rows and "TZ402" not in rows and "TZ901" in rows
    assert "未执行的规则(计划中或按配置停用):TZ402、TZ902。" in table2


def _renamed_pack(tmp_path: Path) -> Path:
    """The built-in pack with the application kind and its applicant column under other keys."""
    pack = Path(shutil.copytree(ROOT / "rules" / "tongzhou-2018", tmp_path / "pack"))
    for path in [pack / "kinds.yaml", pack / "pack.yaml", *(pack / "rules").glob("*.yaml")]:
        text = path.read_text("utf-8")
        text = re.sub(r"\bapplicant_type\b", "requester", text)
        text = re.sub(r"^  application:", "  information_request:", text, flags=re.M)
        text = re.sub(r"\b(kind: )application\b", r"\1information_request", text)
        path.write_text(text, "utf-8")
    return pack


def test_appendix_counts_by_the_packs_own_keys(tmp_path: Path) -> None:
    pack = _renamed_pack(tmp_path)
    assert "information_request" in (pack / "kinds.yaml").read_text("utf-8")
    builtin = cli("report", str(SAMPLES), "--year", "2018")
    renamed = cli("report", str(SAMPLES), "--year", "2018", "--rules", str(pack))
    assert builtin[0] == renamed[0] == 0, renamed[2]
    table3 = builtin[1][builtin[1].index("## 附表3"):builtin[1].index("## 附表4")]
    assert re.search(r"\| [1-9]\d* \|", table3)  # the samples' applications are counted
    assert renamed[1][renamed[1].index("## 附表3"):renamed[1].index("## 附表4")] == table3
    findings = [(f["rule"], f["cell"]) for f in _findings(str(SAMPLES))]
    assert [(f["rule"], f["cell"]) for f in _findings(str(SAMPLES), "--rules", str(pack))] == findings


def test_the_waiver_column_is_an_ordinary_column_aliases_included(tmp_path: Path) -> None:
    head = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "例外情况"]
    path = write_xlsx(tmp_path / "a.xlsx", {"意见征集": [
        head, ["规划草案", "区发改委", "2018-09-03", "2018-09-07", "TZ201: 紧急决策,经区政府批准"]]})
    config = _config(tmp_path, '[aliases.consultation]\nwaiver = ["例外情况"]\n')
    code, out, err = cli("audit", str(path), "--as-of", AS_OF, "--format", "json", "--config", str(config))
    assert code == 1, err  # the columns the sheet lacks leave TZ203 and TZ205 unchecked (errors); TZ201 is waived
    window = [f for f in json.loads(out)["findings"] if f["rule"] == "TZ201"]
    assert [(f["cell"], f["suppressed"]) for f in window] == [
        ("D2", {"by": "waiver", "reason": "紧急决策,经区政府批准"})]
