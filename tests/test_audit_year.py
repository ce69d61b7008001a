"""The audited year by default: a workbook's own (title, file name, dates), at that year's end once it is over;
--year / --as-of / the configuration override; every format says which year and as-of were used and why."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from helpers import REPORT_SCHEMA, ROOT, cli, write_xlsx

from tongzhou_check.engine import today

SAMPLES = ROOT / "sample_lists"
MINZHENG = SAMPLES / "区民政局-2018.xlsx"
HEAD = ["信息名称", "发布单位", "形成日期", "公开日期", "公开渠道"]


def _json(*args: str) -> dict:
    code, out, err = cli("audit", *args, "--format", "json", "--fail-on", "never")
    assert code == 0, err
    report = json.loads(out)
    jsonschema.validate(report, REPORT_SCHEMA)
    return report


def _publications(path: Path, dates: list[str], title: str | None = None) -> Path:
    rows = [[f"信息{i}", "区教委", day, day, "政府网站"] for i, day in enumerate(dates)]
    return write_xlsx(path, {"信息发布登记": [*([[title]] if title else []), HEAD, *rows]})


def test_an_all_2018_workbook_is_audited_for_2018_at_its_end() -> None:
    report = _json(str(MINZHENG))
    (file,) = report["files"]
    assert file["period"] == {"year": 2018, "as_of": "2018-12-31", "year_from": "title", "as_of_from": "year_end",
                              "detail": "通州区民政局2018年政务公开事项清单"}
    assert report["as_of"] == "2018-12-31"
    quarters = [f["message"] for f in report["findings"] if f["rule"] == "TZ902"]
    assert quarters and all(m.startswith("2018年") for m in quarters)
    pinned = _json(str(MINZHENG), "--as-of", "2018-12-31")
    assert report["findings"] == pinned["findings"]  # the same audit as the README's pinned run


def test_the_year_comes_from_the_file_name_then_the_dates(tmp_path: Path) -> None:
    named = _publications(tmp_path / "区教委-2016.xlsx", ["2017-03-01"])
    dated = _publications(tmp_path / "发布登记.xlsx", ["2015-03-02", "2015-05-06", "2014-12-30"])
    report = _json(str(named), str(dated))
    first, second = (f["period"] for f in report["files"])
    assert (first["year"], first["year_from"], first["detail"]) == (2016, "filename", "区教委-2016.xlsx")
    assert (second["year"], second["year_from"], second["detail"]) == (2015, "dates", "4/6")
    assert (first["as_of"], second["as_of"]) == ("2016-12-31", "2015-12-31")
    assert report["as_of"] == "2016-12-31"  # files of different years: the latest


def test_a_title_wins_over_the_file_name_and_a_filing_date_is_no_title(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "区教委-2019.xlsx", {"信息发布登记": [
        ["通州区教委2017年信息发布登记"], ["填报日期:2019年1月5日"], HEAD, ["信息", "区教委", "2017-03-01", "2017-03-02", "政府网站"]]})
    (file,) = _json(str(book))["files"]
    assert (file["period"]["year"], file["period"]["year_from"]) == (2017, "title")


def test_the_current_year_is_judged_today(tmp_path: Path) -> None:
    now = today()
    book = _publications(tmp_path / f"区教委-{now.year}.xlsx", [f"{now.year}-01-02"])
    (file,) = _json(str(book))["files"]
    assert file["period"]["as_of"] == now.isoformat() and file["period"]["as_of_from"] == "today"


def test_a_workbook_that_names_no_year_is_audited_for_the_current_one(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "a.xlsx", {"信息发布登记": [HEAD]})
    (file,) = _json(str(book))["files"]
    assert (file["period"]["year"], file["period"]["year_from"]) == (today().year, "default")


@pytest.mark.parametrize(("args", "config", "expected"), [
    (["--year", "2017"], None, (2017, "2017-12-31", "option", "year_end")),
    (["--as-of", "2018-06-30"], None, (2018, "2018-06-30", "as_of", "option")),
    (["--year", "2017", "--as-of", "2018-03-01"], None, (2017, "2018-03-01", "option", "option")),
    ([], 'as_of = "2018-09-30"\n', (2018, "2018-09-30", "as_of", "config")),
    ([], "year = 2016\n", (2016, "2016-12-31", "config", "year_end")),
])
def test_options_and_the_configuration_override(args: list[str], config: str | None, expected: tuple,
                                                tmp_path: Path) -> None:
    extra = []
    if config:
        (tmp_path / "tzcheck.toml").write_text(config, encoding="utf-8")
        extra = ["--config", str(tmp_path / "tzcheck.toml")]
    (file,) = _json(str(MINZHENG), *args, *extra)["files"]
    period = file["period"]
    assert (period["year"], period["as_of"], period["year_from"], period["as_of_from"]) == expected


def test_every_format_says_which_year_and_as_of_and_why(tmp_path: Path) -> None:
    line = "审计年度 2018(取自标题「通州区民政局2018年政务公开事项清单」),检查基准日 2018-12-31(该年度已结束,取年末)"
    for fmt in ("concise", "markdown", "html"):
        out = cli("audit", str(MINZHENG), "--format", fmt)[1]
        assert line in out, fmt
    concise = cli("audit", str(MINZHENG), str(SAMPLES / "区教委-2018.xlsx"), "--format", "concise")[1]
    assert "审计年度 2018(取自标题),检查基准日 2018-12-31(该年度已结束,取年末):2 个文件" in concise
    table = cli("audit", str(MINZHENG), "--format", "table")[1]
    assert "审计年度 2018" in table and "取自标题" in table
    english = cli("audit", str(MINZHENG), "--format", "concise", "--lang", "en")[1]
    assert "audited year 2018 (from the title “通州区民政局2018年政务公开事项清单”), as of 2018-12-31 " \
           "(the year is over: its last day)" in english
    suite = ET.fromstring(cli("audit", str(MINZHENG), "--format", "junit")[1]).find("testsuite")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["year"] == "2018" and properties["period"] == line and properties["as_of"] == "2018-12-31"
    sarif = json.loads(cli("audit", str(MINZHENG), "--format", "sarif")[1])
    assert sarif["runs"][0]["artifacts"][0]["properties"]["period"]["year_from"] == "title"
    _, out, err = cli("audit", str(MINZHENG), "--format", "github")
    assert line in err and "审计年度" not in out  # annotations stay one per finding; the note goes to the log


def test_the_appendix_defaults_to_the_workbooks_year() -> None:
    code, out, err = cli("report", str(SAMPLES))
    assert code == 0, err
    assert "政务公开合规检查情况(2018年度)" in out and "统计截至:2018-12-31" in out


def test_the_appendix_refuses_a_year_without_records(tmp_path: Path) -> None:
    code, _, err = cli("report", str(SAMPLES), "--year", "2025", "-o", str(tmp_path / "a.md"))
    assert code == 2 and not (tmp_path / "a.md").exists()
    assert "没有工作簿含有 2025 年的记录" in err and "no workbook holds records of 2025" in err
    assert "Traceback" not in err


def test_the_appendix_refuses_workbooks_of_different_years(tmp_path: Path) -> None:
    _publications(tmp_path / "区教委-2017.xlsx", ["2017-03-01"])
    _publications(tmp_path / "区民政局-2018.xlsx", ["2018-03-01"])
    code, _, err = cli("report", str(tmp_path))
    assert code == 2 and "different years" in err and "2017:" in err and "2018:" in err
    code, _, err = cli("report", str(tmp_path), "--year", "2018")
    assert code == 0, err
