"""What a clerk reads (issue 16, point 1): TZ120 grouped by plan sentence in plain words, a log-only workbook's one
info, several rules in one waiver."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from helpers import AS_OF, audit_json, cli, write_xlsx

from tongzhou_check.pack import load_pack

DUTIES = load_pack().duty_map
HEAD = ["公开事项", "公开内容", "公开属性", "公开时限", "公开渠道"]
FIVE_ROWS = [  # a small catalogue of 区教委 listing none of the plan's duties
    [item, content, "主动公开", "信息形成之日起20个工作日内", "政府网站"]
    for item, content in (("学区划分", "学区范围"), ("招生计划", "各校招生人数"), ("教师招聘", "招聘公告"),
                          ("校车安全", "校车线路"), ("学生资助", "资助标准"))
]
CONSULTATION = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "决策依据是否公开", "收到意见数",
                "采纳意见数", "未采纳理由", "采纳情况公开日期", "豁免说明"]


def _catalogue(tmp_path: Path, name: str = "区教委-2018.xlsx", rows: list | None = None) -> Path:
    return write_xlsx(tmp_path / name, {"公开清单": [["2018年政务公开清单"], HEAD, *(rows or FIVE_ROWS)]})


def _tz120(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == "TZ120"]


def test_a_small_catalogue_gets_one_finding_per_plan_sentence_in_plain_words(tmp_path: Path) -> None:
    report = audit_json(_catalogue(tmp_path), duty_rules=True)
    findings = _tz120(report)
    missing = [d for d, _ in DUTIES.duties_of("jw") if d.checked and not d.by_workbook]
    assert len(findings) == len({d.sentence for d in missing}) < len(missing)  # 17 findings for 26 duties
    by_subject = {f["subject"]: f for f in findings}
    assert sorted(d for f in findings for d in f["subject"].split(",")) == sorted(d.id for d in missing)
    for finding in findings:
        assert finding["sheet"] == "公开清单" and finding["row"] == 2  # the header row
        # no duty ids, no keyword notation (营商环境+政策/措施) in the message a clerk reads
        assert not re.search(r"D\d{3}|[+/]", finding["message"]), finding["message"]
    school = by_subject["D055,D056"]
    assert school["severity"] == "warning" and school["clause"] == "一(三)"
    assert school["message"] == (
        "要点要求区教委公开的内容,公开清单中没有找到:“推进义务教育招生入学信息公开,主动、及时发布义务教育阶段入学政策、"
        "义务教育阶段入学工作安排等信息”。请在清单中列出:义务教育阶段入学政策、义务教育阶段入学工作安排。")
    budget = by_subject["D164,D165"]  # one quote, once: the two duties of one sentence
    assert budget["message"].count("所有使用财政资金的区级部门都要公开本部门预决算") == 1
    assert "请在清单中列出:本部门预算、本部门决算。" in budget["message"]


def test_a_group_is_info_only_when_all_its_duties_are_uncertain(tmp_path: Path) -> None:
    findings = {f["subject"]: f for f in _tz120(audit_json(_catalogue(tmp_path), duty_rules=True))}
    assert findings["D099,D100"]["severity"] == "info"  # ◇ and *?: both uncertain
    assert findings["D099,D100"]["message"].endswith("这是推断出的职责(要点没有明确要求本单位公开),不适用时可忽略。")
    assert findings["D164,D165"]["severity"] == "warning" and "推断" not in findings["D164,D165"]["message"]
    # 区经济信息化委: D036 is uncertain (◇, jxw (?)), D037 and D039 are certain — one sentence, a warning
    report = audit_json(_catalogue(tmp_path, "区经济信息化委-2018.xlsx", [FIVE_ROWS[0]]), duty_rules=True)
    (park,) = [f for f in _tz120(report) if "D036" in f["subject"]]
    assert park["subject"] == "D036,D037,D039" and park["severity"] == "warning"
    assert "通州园区促进产业转型升级实施方案、入驻园区项目进展情况" in park["message"]


def test_the_english_message_is_plain_too(tmp_path: Path) -> None:
    report = audit_json(_catalogue(tmp_path), extra=["--lang", "en"], duty_rules=True)
    (budget,) = [f for f in _tz120(report) if f["subject"] == "D164,D165"]
    assert budget["message"] == (
        "The catalogue lists nothing of what the plan asks 区教委 to publish: “加强财政预决算信息公开,除涉及国家秘密外,"
        "所有使用财政资金的区级部门都要公开本部门预决算”. List: 本部门预算、本部门决算.")
    assert all(not re.search(r"D\d{3}|[+/]", f["message"]) for f in _tz120(report))


def test_a_log_only_workbook_gets_one_info_and_passes_a_warning_gate(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "区教委-2018.xlsx",
                      {"网民纠错": [["收到日期", "处理日期"], ["2018-09-03", "2018-09-04"]]})
    report = audit_json(path, duty_rules=True)
    assert [(f["rule"], f["severity"], f["sheet"]) for f in report["findings"]] == [("TZ120", "info", None)]
    assert "没有公开清单" in report["findings"][0]["message"]
    code, _, err = cli("audit", str(path), "--as-of", AS_OF, "--fail-on", "warning")
    assert code == 0, err


def test_the_appendix_lists_each_duty_of_a_grouped_finding(tmp_path: Path) -> None:
    path = _catalogue(tmp_path)
    target = tmp_path / "appendix.xlsx"
    code, _, err = cli("report", str(path), "--year", "2018", "-o", str(target))
    assert code == 0, err
    (row,) = openpyxl.load_workbook(target)["附表5 职责落实情况"].iter_rows(min_row=3, max_row=3, values_only=True)
    assigned = [d for d, _ in DUTIES.duties_of("jw") if d.checked]
    assert row[2:5] == (len(assigned), 1, len(assigned) - 1)  # D184 is met by the catalogue sheet itself
    listed = [item.split()[0] for item in row[5].split(";")]  # 17 findings, each of its 25 duties listed
    assert len(listed) == len(assigned) - 1 and listed[:3] == ["D012", "D055", "D056"]
    assert "D164" in listed and "D165" in listed


def _consultation(tmp_path: Path, waiver: str) -> Path:
    # a 4-working-day window (TZ201, error) and an unpublished basis (TZ202, warning) on one row
    row = ["规划草案", "区发改委", "2018-09-03", "2018-09-07", "否", 3, 3, None, "2018-09-28", waiver]
    return write_xlsx(tmp_path / "意见征集.xlsx", {"意见征集": [CONSULTATION, row]})


def test_one_waiver_may_name_several_rules(tmp_path: Path) -> None:
    for waiver in ("TZ201、TZ202: 紧急决策,经区政府批准", "TZ201,TZ202:紧急决策,经区政府批准",
                   "TZ201 / TZ202: 紧急决策,经区政府批准", "comment-window TZ202: 紧急决策,经区政府批准"):
        report = audit_json(_consultation(tmp_path, waiver))
        assert [(f["rule"], f["suppressed"]) for f in report["findings"]] == [
            ("TZ201", {"by": "waiver", "reason": "紧急决策,经区政府批准"}),
            ("TZ202", {"by": "waiver", "reason": "紧急决策,经区政府批准"}),
        ], waiver
        assert cli("audit", str(tmp_path / "意见征集.xlsx"), "--as-of", AS_OF, "--fail-on", "warning")[0] == 0


def test_an_unknown_rule_among_several_is_reported_by_name(tmp_path: Path) -> None:
    report = audit_json(_consultation(tmp_path, "TZ201、TZ999: 紧急决策,经区政府批准"))
    found = {f["rule"]: f for f in report["findings"]}
    assert found["TZ201"]["suppressed"] == {"by": "waiver", "reason": "紧急决策,经区政府批准"}
    assert found["TZ202"]["suppressed"] is None
    assert found["TZ011"]["message"] == (
        "豁免说明“TZ201、TZ999: 紧急决策,经区政府批准”无效:规则“TZ999”不存在。该条不豁免任何问题。")
    report = audit_json(_consultation(tmp_path, "TZ201、TZ202"))  # no reason: nothing waived
    assert {f["rule"]: f["suppressed"] for f in report["findings"]} == {"TZ201": None, "TZ202": None, "TZ011": None}


def test_the_duties_command_gives_each_duty_its_item_and_sentence() -> None:
    code, out, _ = cli("duties", "区教委", "--format", "json")
    assert code == 0
    (budget,) = [r for r in json.loads(out) if r["duty"] == "D164"]
    assert budget["item"] == "本部门预算" and budget["sentence"].endswith("所有使用财政资金的区级部门都要公开本部门预决算")
