"""The duty map (rules/tongzhou-2018/duties.yaml): schema-valid, complete, and faithful to shared/spec/duties.md.

The expected values below are copied by hand from duties.md, which CI does not have.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from importlib.resources import files
from typing import Any

import jsonschema
import pytest
import yaml
from helpers import ROOT

DUTIES_YAML = ROOT / "rules" / "tongzhou-2018" / "duties.yaml"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads((files("tongzhou_check") / "schemas" / "duties.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.safe_load(DUTIES_YAML.read_text("utf-8"))


@pytest.fixture(scope="module")
def duties(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in data["duties"]}


@pytest.fixture(scope="module")
def agencies(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in data["agencies"]}


def _exp(*pairs: tuple[str, bool]) -> list[dict[str, Any]]:
    return [{"agency": a, "uncertain": u} for a, u in pairs]


def test_schema_is_valid_and_accepts_the_file(schema: dict[str, Any], data: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{e.json_path}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["duties"][0]["keywords"].__setitem__(0, ["总体规划"]),  # a group must be a list of slots
        lambda d: d["duties"][0]["keywords"].__setitem__(0, [["总体/规划"]]),  # notation left unconverted
        lambda d: d["duties"][0]["keywords"].__setitem__(0, [[""]]),
        lambda d: d["duties"][0].__setitem__("id", "D1"),
        lambda d: d["duties"][0].__setitem__("extra", 1),
        lambda d: d["duties"][0]["expected"][0].__setitem__("agency", "GHGT"),
        lambda d: d["agencies"][0].pop("successors"),
        lambda d: d["duties"][0].pop("sentence"),  # every duty quotes its plan sentence
        lambda d: d["duties"][0].__setitem__("item", "D001 总体规划"),  # no duty id in what a clerk reads
        lambda d: d["duties"][0].__setitem__("item", "总体/分区规划"),  # nor keyword notation
    ],
)
def test_schema_rejects_malformed_entries(schema: dict[str, Any], data: dict[str, Any], mutate: Any) -> None:
    bad = copy.deepcopy(data)
    mutate(bad)
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)


def test_counts_and_unique_ids(data: dict[str, Any]) -> None:
    agency_ids = [a["id"] for a in data["agencies"]]
    duty_ids = [d["id"] for d in data["duties"]]
    assert len(agency_ids) == 36
    assert len(duty_ids) == 186
    assert len(set(agency_ids)) == len(agency_ids)
    assert duty_ids == [f"D{i:03d}" for i in range(1, 187)]  # unique and in the order of duties.md


def test_every_referenced_agency_is_defined(data: dict[str, Any], agencies: dict[str, Any]) -> None:
    undefined = [
        (d["id"], e["agency"]) for d in data["duties"] for e in d["expected"]
        if e["agency"] != "*" and e["agency"] not in agencies
    ]
    assert undefined == []


def test_totals_match_the_counts_section_of_duties_md(data: dict[str, Any]) -> None:
    assert sum(a["full_uncertain"] for a in data["agencies"]) == 9
    assert [d["id"] for d in data["duties"] if d["hedged"]] == ["D020", "D036", "D097", "D099", "D100", "D149", "D173"]
    assert Counter(d["clause"] for d in data["duties"]) == {
        "一(一)": 31, "一(二)": 23, "一(三)": 36, "一(四)": 24, "一(五)": 24, "一(六)": 22, "一(七)": 10,
        "二(一)": 1, "二(五)": 2, "三(二)": 3, "三(三)": 1, "三(四)": 2, "四(二)": 1, "四(三)": 2,
        "五(一)": 1, "五(三)": 1, "六(一)": 1, "末段": 1,
    }


def test_expected_counts_per_agency_match_duties_md(data: dict[str, Any]) -> None:
    counts: Counter[str] = Counter()
    for d in data["duties"]:
        counts.update({e["agency"] + ("?" if e["agency"] == "*" and e["uncertain"] else "") for e in d["expected"]})
    assert counts == {
        "ghgt": 13, "fgw": 21, "jxw": 9, "hbj": 8, "jw": 3, "wjw": 4, "rsj": 1, "tyj": 2, "jrb": 2, "zjw": 13,
        "nw": 6, "swj": 6, "sww": 5, "gsfj": 6, "cgzf": 4, "szsrw": 10, "yllh": 5, "syj": 6, "zjj": 2, "mzj": 11,
        "shb": 4, "bb": 3, "jtj": 6, "glfj": 1, "jtzd": 2, "kw": 10, "whw": 9, "xcjgw": 3, "wlq": 2, "zfb": 7,
        "czj": 4, "fzb": 3, "zwfw": 2, "sgb": 2, "*": 12, "*?": 16,
    }  # xcb and wxb lead clauses but are expected for no duty


def test_agency_ghgt(agencies: dict[str, Any]) -> None:
    assert agencies["ghgt"] == {
        "id": "ghgt",
        "short": "市规划国土委通州分局",
        "full": "北京市规划和国土资源管理委员会通州分局",
        "full_uncertain": False,
        "aliases": ["规划国土委通州分局", "通州规划国土分局", "通州规土分局"],
        "successors": ["市规划自然资源委通州分局"],
        "named_in": ["一(一)", "一(二)"],
    }


def test_agency_jw_aliases(agencies: dict[str, Any]) -> None:
    assert agencies["jw"]["short"] == "区教委"
    assert agencies["jw"]["aliases"] == ["通州区教委", "通州教委", "区教育委员会"]
    assert agencies["jw"]["successors"] == []


def test_agency_with_uncertain_full_name(agencies: dict[str, Any]) -> None:
    jrb = agencies["jrb"]
    assert jrb["full"] == "北京市通州区金融服务办公室"  # (?) stripped into the flag
    assert jrb["full_uncertain"] is True
    assert jrb["aliases"] == ["通州区金融办", "区金融服务办", "区政府金融办"]


def test_shared_successor_and_named_in_suffixes(agencies: dict[str, Any]) -> None:
    assert [a for a in agencies if "区市场监管局" in agencies[a]["successors"]] == ["gsfj", "syj", "zjj"]
    assert agencies["wjw"]["successors"] == ["区卫生健康委", "区卫健委"]
    assert agencies["fgw"]["named_in"] == ["一(一)", "一(二)", "一(四)L+", "一(六)"]
    assert agencies["zfb"]["named_in"][-1] == "末段"


def test_d001_and_d010_as_in_the_brief(duties: dict[str, Any]) -> None:
    d1 = duties["D001"]
    assert (d1["clause"], d1["as_written"], d1["text"], d1["rec"]) == ("一(一)", "落实 ghgt", "编制并发布通州区总体规划", "C+P")
    assert d1["expected"] == _exp(("ghgt", False))
    assert d1["keywords"] == [[["总体规划"]], [["分区规划"]]]
    d10 = duties["D010"]
    assert d10["as_written"] == "落实 fgw, jxw, hbj, jw, wjw, rsj"
    assert d10["expected"] == _exp(("fgw", False), ("jxw", False))
    assert d10["keywords"] == [[["京津冀"], ["产业"]], [["产业"], ["对接", "协作"]]]
    assert d10["note"].startswith("D010–D014:")


def test_hedged_duty_d020(duties: dict[str, Any]) -> None:
    d = duties["D020"]
    assert d["hedged"] is True
    assert d["text"] == "编制2018年对口帮扶工作实施方案"  # ◇ stripped
    assert d["as_written"] == "落实 fgw, nw"
    assert d["expected"] == _exp(("fgw", False))
    assert d["keywords"] == [[["对口", "帮扶", "扶贫"], ["方案"]]]


def test_uncertain_agency_in_hedged_duty_d036(duties: dict[str, Any]) -> None:
    d = duties["D036"]  # expected: jxw (?), text ◇编制实施…
    assert d["hedged"] is True
    assert d["expected"] == _exp(("jxw", True))
    assert d["text"] == "编制实施《通州园区促进产业转型升级实施方案》"
    assert d["keywords"] == [[["园区"], ["转型"]], [["转型升级"], ["方案"]]]


def test_equals_resolves_to_every_agency_of_the_parenthesis(duties: dict[str, Any]) -> None:
    assert duties["D039"]["expected"] == _exp(("jxw", False), ("sww", False), ("fgw", False))
    assert duties["D150"]["expected"] == _exp(("whw", False), ("xcjgw", False), ("wlq", False))


def test_every_agency_that_holds_it_d106(duties: dict[str, Any]) -> None:
    d = duties["D106"]  # expected: *?
    assert d["as_written"] == "牵头 jxw; 落实 *"
    assert d["expected"] == _exp(("*", True))
    assert d["hedged"] is False
    assert d["keywords"] == [[["双随机"]], [["随机"], ["抽查", "检查"]]]


def test_inferred_agency_beyond_the_parenthesis_d110(duties: dict[str, Any]) -> None:
    d = duties["D110"]  # expected: fgw; +czj?
    assert d["expected"] == _exp(("fgw", False), ("czj", True))
    assert d["keywords"] == [[["PPP", "社会资本"], ["实施方案"]]]


def test_mixed_columns(duties: dict[str, Any]) -> None:
    assert duties["D094"]["expected"] == _exp(("fgw", False), ("*", True))  # fgw; *?
    assert duties["D169"]["expected"] == _exp(("zfb", False), ("*", True))  # zfb; +*?
    assert duties["D169"]["keywords"] == [
        [["提案"], ["办理", "答复", "结果"]],
        [["建议"], ["人大", "代表"], ["办理", "答复", "结果"]],
    ]
    assert duties["D182"]["expected"] == _exp(("zwfw", False), ("sgb", False), ("*", True))  # zwfw, sgb; *?
    assert duties["D182"]["rec"] == "[guide_change]"


def test_budget_and_final_accounts_parts(duties: dict[str, Any]) -> None:
    for did, part in (("D164", "预算"), ("D165", "决算")):
        d = duties[did]
        assert d["part"] == part
        assert d["text"] == "所有使用财政资金的区级部门都要公开本部门预决算"
        assert d["expected"] == _exp(("*", False))
        assert d["rec"] == "C+P+[budget]"
    assert duties["D165"]["keywords"] == [[["决算"], ["部门", "单位", "年度"]], [["预决算"]]]
    assert duties["D163"]["part"] is None


def test_workbook_duty_d184(duties: dict[str, Any]) -> None:
    d = duties["D184"]
    assert (d["clause"], d["as_written"], d["rec"]) == ("五(三)", "牵头 zfb; 落实 *", "[workbook]+C")
    assert d["expected"] == _exp(("*", False))
    assert d["keywords"] == [[["公开清单", "基本目录", "公开目录"]]]


def test_sentence_internal_agency_and_numeric_keyword(duties: dict[str, Any]) -> None:
    assert duties["D186"]["clause"] == "末段"
    assert duties["D186"]["as_written"] == "句内: zfb"
    assert duties["D033"]["keywords"][0] == [["155", "12项"], ["任务"]]  # a string, not the integer 155


PLAN = ROOT / "tests" / "data" / "tongzhou-2018-plan.txt"  # a copy of shared/plan/tongzhou-2018-plan.txt


def test_every_duty_quotes_its_plan_sentence_verbatim(data: dict[str, Any]) -> None:
    plan = PLAN.read_text("utf-8")
    assert [d["id"] for d in data["duties"] if d["sentence"] not in plan] == []
    # a sentence is a whole one: it does not stop before the plan's own 。 or governing parenthesis
    assert [d["id"] for d in data["duties"] if d["sentence"].endswith(("。", ";", ")"))] == []


def test_duties_of_one_sentence_share_it_exactly(duties: dict[str, dict[str, Any]]) -> None:
    assert duties["D164"]["sentence"] == duties["D165"]["sentence"] == (
        "加强财政预决算信息公开,除涉及国家秘密外,所有使用财政资金的区级部门都要公开本部门预决算")
    assert duties["D163"]["sentence"] == duties["D164"]["sentence"]
    assert duties["D166"]["sentence"] != duties["D164"]["sentence"]
    assert duties["D055"]["sentence"] == duties["D056"]["sentence"]
    # the words of a duty are in its sentence (D171 joins two sentences: its sentence is the one it names items in)
    apart = [i for i, d in duties.items()
             if not all(part in d["sentence"] for part in d["text"].split("…") if part)]
    assert apart == ["D171"]


def test_items_are_plain_words(data: dict[str, Any]) -> None:
    items = {d["id"]: d["item"] for d in data["duties"]}
    assert items["D164"] == "本部门预算" and items["D165"] == "本部门决算"
    assert items["D055"] == "义务教育阶段入学政策"
    # no duty ids and no keyword notation (a / b, a + b) in what a clerk reads; “1+3” is the plan's own name
    assert [i for i, item in items.items() if re.search(r"D\d{3}|/|;|\+(?!3”)", item)] == []
