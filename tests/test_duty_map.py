"""TZ120/TZ121: whose workbook it is, and whether its catalogue lists the duties the plan assigned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import audit_json, cli, write_xlsx

from tongzhou_check.pack import load_pack

PACK = load_pack()
DUTIES = PACK.duty_map
HEAD = ["公开事项", "公开内容", "公开属性", "公开时限", "公开渠道"]


def _row(item: str, content: str = "相关信息") -> list[str]:
    return [item, content, "主动公开", "信息形成之日起20个工作日内", "政府网站"]


def _covering_rows(agency: str) -> dict[str, list[str]]:
    """One catalogue row per checked duty of an agency, built from the first word of each slot of its first group."""
    return {d.id: _row("".join(slot[0] for slot in d.keywords[0]))
            for d, _ in DUTIES.duties_of(agency) if d.checked and not d.by_workbook}


def _tz120(report: dict) -> list[tuple[str, str, str]]:
    return [(f["subject"], f["severity"], f["clause"]) for f in report["findings"] if f["rule"] == "TZ120"]


def test_a_catalogue_listing_every_duty_has_no_tz120(tmp_path: Path) -> None:
    rows = list(_covering_rows("jw").values())
    report = audit_json(write_xlsx(tmp_path / "区教委-2018.xlsx", {"公开清单": [HEAD, *rows]}), duty_rules=True)
    assert report["files"][0]["agency"] == {"id": "jw", "name": "区教委", "from": "filename"}
    assert _tz120(report) == []


def test_removing_the_row_of_one_duty_gives_exactly_that_finding(tmp_path: Path) -> None:
    rows = _covering_rows("jw")
    del rows["D055"]
    report = audit_json(write_xlsx(tmp_path / "区教委-2018.xlsx", {"公开清单": [HEAD, *rows.values()]}), duty_rules=True)
    assert _tz120(report) == [("D055", "warning", "一(三)")]
    (finding,) = [f for f in report["findings"] if f["rule"] == "TZ120"]
    assert finding["row"] == 1 and finding["sheet"] == "公开清单" and "义务教育阶段入学政策" in finding["message"]


def test_one_slot_of_a_group_does_not_cover_a_duty(tmp_path: Path) -> None:
    rows = _covering_rows("jw")
    rows["D012"] = _row("京津冀产业对接")  # D012 needs 京津冀 + 教育 (or 教育 + 合作/协作/协同)
    report = audit_json(write_xlsx(tmp_path / "区教委-2018.xlsx", {"公开清单": [HEAD, *rows.values()]}), duty_rules=True)
    assert [s for s, _, _ in _tz120(report)] == ["D012"]
    rows["D012"] = _row("京津冀协同发展", "教育资源共享")  # the slots may sit in different columns of one record
    report = audit_json(write_xlsx(tmp_path / "区教委-2018.xlsx", {"公开清单": [HEAD, *rows.values()]}), duty_rules=True)
    assert _tz120(report) == []


def test_uncertain_duties_are_info(tmp_path: Path) -> None:
    report = audit_json(write_xlsx(tmp_path / "区教委-2018.xlsx", {"公开清单": [HEAD, _row("其他")]}), duty_rules=True)
    severities = {s: sev for s, sev, _ in _tz120(report)}
    certain = {d.id for d, uncertain in DUTIES.duties_of("jw") if d.checked and not uncertain and not d.by_workbook}
    # one finding per plan sentence: a warning when one of its duties is certain, info when all are uncertain
    assert {s for s, sev in severities.items() if sev == "warning"} == {
        s for s in severities if certain & set(s.split(","))}
    assert set(severities.values()) == {"warning", "info"}


@pytest.mark.parametrize(
    ("sheets", "name", "extra", "expected"),
    [
        ({"公开清单": [["通州区某单位清单"], HEAD, _row("x")]}, "清单.xlsx", ["--agency", "区民政局"], ("mzj", "option")),
        ({"公开清单": [["填报单位:北京市通州区民政局"], HEAD, _row("x")]}, "清单.xlsx", [], ("mzj", "cell")),
        ({"公开清单": [["填报单位", None, "区民政局"], HEAD, _row("x")]}, "清单.xlsx", [], ("mzj", "cell")),
        ({"公开清单": [["通州区民政局2018年政务公开清单"], HEAD, _row("x")]}, "清单.xlsx", [], ("mzj", "title")),
        ({"公开清单": [HEAD, _row("x")]}, "区民政局-2018.xlsx", [], ("mzj", "filename")),
        ({"公开清单": [["通州区卫健委2019年清单"], HEAD, _row("x")]}, "清单.xlsx", [], ("wjw", "title")),  # 2019+ name
    ],
)
def test_agency_paths(sheets: dict, name: str, extra: list[str], expected: tuple[str, str], tmp_path: Path) -> None:
    report = audit_json(write_xlsx(tmp_path / name, sheets), extra=extra, duty_rules=True)
    agency = report["files"][0]["agency"]
    assert (agency["id"], agency["from"]) == expected
    assert "TZ121" not in {f["rule"] for f in report["findings"]}


def test_unknown_agency_is_tz121_and_no_tz120(tmp_path: Path) -> None:
    report = audit_json(write_xlsx(tmp_path / "清单.xlsx", {"公开清单": [["2018年政务公开清单"], HEAD, _row("x")]}), duty_rules=True)
    assert report["files"][0]["agency"] is None
    assert [(f["rule"], f["severity"]) for f in report["findings"] if f["rule"] in ("TZ120", "TZ121")] == [
        ("TZ121", "info")]


def test_shared_alias_names_no_agency() -> None:
    assert DUTIES.agency_in("区市场监管局2019年清单") is None
    assert DUTIES.agency_in("北京市通州区教育委员会") == "jw"


def test_agency_without_a_catalogue_gets_one_file_level_finding(tmp_path: Path) -> None:
    rows = [["收到日期", "处理日期"], ["2018-09-03", "2018-09-04"]]
    report = audit_json(write_xlsx(tmp_path / "区教委-2018.xlsx", {"网民纠错": rows}), duty_rules=True)
    (finding,) = [f for f in report["findings"] if f["rule"] == "TZ120"]
    assert finding["sheet"] is None and finding["severity"] == "info" and "没有公开清单" in finding["message"]


def test_duties_command() -> None:
    code, out, _ = cli("duties", "区教委", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert {r["agency"] for r in records} == {"jw"} and "D055" in {r["duty"] for r in records}
    code, out, _ = cli("duties", "区教委")
    assert code == 0 and "义务教育阶段入学政策" in out
    assert cli("duties", "区不存在局")[0] == 2
    assert cli("audit", "x.xlsx", "--agency", "区不存在局")[0] == 2
