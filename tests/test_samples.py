"""The sample workbooks of sample_lists/ give exactly the findings their README lists."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path
from types import ModuleType

import jsonschema
import openpyxl
import pytest
from typer.testing import CliRunner

from tongzhou_check import cli
from tongzhou_check.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_lists"
README = SAMPLES / "README.md"
CLEAN = "区教委-2018.xlsx"
WORKBOOKS = (CLEAN, "区民政局-2018.xlsx", "区发展改革委-2018.xlsx")
KINDS = {"catalogue", "consultation", "guide_change", "publication", "application", "interpretation", "proposal",
         "budget", "web_correction", "web_inspection"}
TABLE_HEADER = ["工作表!单元格", "规则", "级别", "说明"]
LEVELS = {"error", "warning", "info", "suppressed"}

Key = tuple[str, str, str, str]  # (file name, sheet!cell, rule, level)


def expected_findings() -> tuple[Counter[Key], set[str]]:
    """The README's expected-findings tables, and the workbooks it has a section for."""
    expected: Counter[Key] = Counter()
    sections: set[str] = set()
    workbook = None
    in_table = False
    for line in README.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"#+\s+(\S+\.xlsx)", line)
        if heading:
            workbook, in_table = heading[1], False
            sections.add(workbook)
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells == TABLE_HEADER:
            assert workbook is not None, "a findings table before any workbook section"
            in_table = True
        elif in_table and not set("".join(cells)) <= set("-: "):
            where, rule, level = cells[:3]
            assert re.fullmatch(r"TZ\d{3}", rule), line
            assert level in LEVELS, line
            expected[(workbook, where, rule, level)] += 1
    return expected, sections


def where(finding: dict) -> str:
    """`sheet!cell`, the sheet alone when there is no cell, `—` for a file-level finding (the README's form)."""
    if finding["cell"]:
        return f"{finding['sheet']}!{finding['cell']}"
    return finding["sheet"] or "—"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generator() -> ModuleType:
    """sample_lists/make_samples.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def audit() -> tuple[dict, dict[str, str], dict[str, str]]:
    """The JSON report of `tzcheck audit sample_lists`, with the files' hashes before and after the run."""
    before = {name: sha256(SAMPLES / name) for name in WORKBOOKS}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = CliRunner().invoke(app, ["audit", "sample_lists", "--as-of", "2018-12-31", "--format", "json"])
    after = {name: sha256(SAMPLES / name) for name in WORKBOOKS}
    assert result.exit_code == 1, result.output  # the violation workbooks hold errors
    report = json.loads(result.stdout)
    schema = json.loads((resources.files("tongzhou_check") / "schemas" / "report.schema.json").read_text("utf-8"))
    jsonschema.validate(report, schema)
    return report, before, after


@pytest.fixture(scope="module")
def table_output() -> str:
    """The default table output of the same audit, on a console wide enough that no message is folded."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        mp.setattr(cli.out, "_width", 1000)  # a folded message would split a number and hide a leak
        result = CliRunner().invoke(app, ["audit", "sample_lists", "--as-of", "2018-12-31"])
    assert result.exit_code == 1, result.output
    return result.stdout


def test_readme_lists_every_sample() -> None:
    expected, sections = expected_findings()
    assert sections == set(WORKBOOKS)
    assert {name for name, *_ in expected} == set(WORKBOOKS) - {CLEAN}
    assert sorted(p.name for p in SAMPLES.glob("*.xlsx")) == sorted(WORKBOOKS)


def test_findings_are_exactly_those_of_the_readme(audit) -> None:
    report, _, _ = audit
    expected, _ = expected_findings()
    actual = Counter(
        (Path(f["file"]).name, where(f), f["rule"], "suppressed" if f["suppressed"] else f["severity"])
        for f in report["findings"]
    )
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, f"missing: {sorted(missing)}\nunexpected: {sorted(unexpected)}"


def test_clean_workbook_has_no_findings(audit) -> None:
    report, _, _ = audit
    assert [f for f in report["findings"] if Path(f["file"]).name == CLEAN] == []


def test_every_file_is_read_and_all_ten_kinds_are_recognised(audit) -> None:
    report, _, _ = audit
    assert sorted(Path(f["path"]).name for f in report["files"]) == sorted(WORKBOOKS)
    assert all(f["status"] == "ok" for f in report["files"])
    kinds = {s["kind"] for f in report["files"] for s in f["sheets"] if s["kind"]}
    assert kinds == KINDS
    hidden = [(Path(f["path"]).name, s["name"]) for f in report["files"] for s in f["sheets"] if s["hidden"]]
    assert hidden == [("区民政局-2018.xlsx", "网站巡查")]


def test_audit_leaves_the_samples_unchanged(audit) -> None:
    report, before, after = audit
    assert before == after
    assert {Path(f["path"]).name: f["sha256"] for f in report["files"]} == before


def test_samples_are_what_the_generator_writes(tmp_path: Path) -> None:
    """The committed workbooks match make_samples.py (cell values, merges, hidden sheets)."""
    module = generator()
    module.make_jw(tmp_path / WORKBOOKS[0])
    module.make_mzj(tmp_path / WORKBOOKS[1])
    module.make_fgw(tmp_path / WORKBOOKS[2])

    def content(path: Path) -> list:
        book = openpyxl.load_workbook(path)
        return [(ws.title, ws.sheet_state, sorted(map(str, ws.merged_cells.ranges)),
                 [list(row) for row in ws.iter_rows(values_only=True)]) for ws in book.worksheets]

    for name in WORKBOOKS:
        assert content(tmp_path / name) == content(SAMPLES / name), name


def test_personal_information_is_exempt_or_reported_masked(audit, table_output: str) -> None:
    """区民政局's 信息发布登记 holds fictitious IDs and a mobile: one row exempt (惩戒性公示), the rest reported
    masked; neither output nor the README ever shows a value as it stands in the workbook."""
    report, _, _ = audit
    assert report["summary"]["exempt"] == {"TZ402": 1}
    personal = generator().PERSONAL_IN_CLEAR
    assert personal, "make_samples.py lists the personal information it writes"
    outputs = {"json": json.dumps(report, ensure_ascii=False), "table": table_output,
               "README": README.read_text(encoding="utf-8")}
    for name, text in outputs.items():
        for value in personal:
            assert value not in text, f"{name} shows {value[:3]}… in clear"
    evidence = sorted(f["evidence"] for f in report["findings"] if f["rule"] == "TZ402")
    assert evidence == ["110199********103X", "110199********104X", "158****1234"]
    assert all(e in table_output for e in evidence)
