"""Findings as a table: the report order, messages rendered per language when output, streamed JSON and SARIF
byte for byte what one dump of the whole document writes, and cells read from calamine row by row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine
from helpers import AS_OF, ROOT, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from tongzhou_check.engine import audit
from tongzhou_check.formats import json_format, records, sarif
from tongzhou_check.messages import Texts
from tongzhou_check.model import Finding, FindingTable, Report, Severity, Suppression
from tongzhou_check.packtypes import Pack
from tongzhou_check.reader import workbook
from tongzhou_check.reader.workbook import _cells

HEAD = ["信息名称", "发布单位", "形成日期", "公开日期", "公开渠道"]


def _finding(rule: str = "TZ004", row: int | None = 3, **fields: object) -> Finding:
    base = {"rule": rule, "name": "x", "severity": Severity.error, "file": "a.xlsx", "clause": "c",
            "message_zh": f"{rule} 第{row}行", "message_en": f"{rule} row {row}", "sheet": "S", "row": row}
    return Finding(**{**base, **fields})  # type: ignore[arg-type]


def _old_sort_key(f: Finding) -> tuple:
    """The order reports had when findings were rows, sorted by Python."""
    return (f.file_index, f.sheet_index, f.row if f.row is not None else -1, f.column_index, f.rule, f.subject or "")


findings = st.builds(
    _finding,
    rule=st.sampled_from(["TZ004", "TZ010", "TZ201", "TZ9"]),
    row=st.one_of(st.none(), st.integers(1, 30)),
    file_index=st.integers(0, 2), sheet_index=st.integers(-1, 2), column_index=st.integers(-1, 3),
    subject=st.one_of(st.none(), st.sampled_from(["", "D1", "D10", "D2", "区教委"])),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(findings, max_size=40))
def test_the_table_sorts_as_python_sorted_the_rows(rows: list[Finding]) -> None:
    table = FindingTable.concat([FindingTable.of([f]) for f in rows]).sorted()
    assert list(table) == sorted(rows, key=_old_sort_key)  # a stable sort: ties keep the order they were made in
    assert table.messages("en").tolist() == [f.message_en for f in sorted(rows, key=_old_sort_key)]


def test_a_report_from_rows_is_a_table_with_the_same_rows_and_summary() -> None:
    rows = [_finding(row=5), _finding("TZ010", row=4, severity=Severity.warning),
            _finding(row=6, suppressed=Suppression("waiver", "原件如此"))]
    report = Report("v", "p", "1", "s", "c", None, (), AS_OF, (), findings=tuple(rows))
    assert isinstance(report.findings, FindingTable) and list(report.findings) == rows
    assert report.findings == tuple(rows) and report.findings[1] == rows[1]
    summary = report.summary()
    assert (summary["errors"], summary["warnings"], summary["suppressed"]) == (1, 1, 1)
    assert report.worst() == Severity.error and report.failed()
    passing = dataclasses.replace(report, findings=(rows[1], rows[2]))
    assert not passing.failed() and passing.worst() == Severity.warning


def test_messages_are_rendered_for_the_language_output_only(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    render = Texts.render

    def counting(self: Texts, lang: str):
        asked.append(lang)
        return render(self, lang)

    monkeypatch.setattr(Texts, "render", counting)
    table = FindingTable.block(2, {"rule": "TZ004", "severity": Severity.error},
                               {"row": [3, 4], "evidence": ["a", "b"]},
                               Texts(2, {"zh": "第{row}行:{value}", "en": "row {row}: {value}"}, {},
                                     {"row": _array([3, 4]), "value": _array(["a", "b"])}))
    assert table.messages("en").tolist() == ["row 3: a", "row 4: b"]
    assert table.messages("en").tolist() == ["row 3: a", "row 4: b"]
    assert asked == ["en"]  # rendered once, and never in Chinese


def _array(values: list) -> object:
    import numpy as np

    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _report_of(rows: list[Finding]) -> Report:
    return Report("v", "p", "1", "s", "c", ("2018-01-01", "2018-12-31"), (), AS_OF, (), findings=tuple(rows))


@pytest.mark.parametrize("count", [0, 1, 3, 4, 7])
def test_streamed_json_and_sarif_are_one_dump_of_the_whole_document(count: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    odd = _finding(message_zh="百分之%s \ud800 \x00 换\n行 \"引号\"", evidence="%d",
                   suppressed=Suppression("waiver", "理由\n%d"))
    rows = [dataclasses.replace(odd, row=i + 2) if i % 2 else _finding(row=i + 2) for i in range(count)]
    report = _report_of(rows)
    whole_json = (json.dumps(records.as_records(report, "zh"), ensure_ascii=False, indent=2) + "\n")
    monkeypatch.setattr(records, "CHUNK", 3)  # several chunks, and a last one part full
    assert json_format.render_bytes(report, "zh") == whole_json.encode("utf-8", "backslashreplace")
    monkeypatch.setattr(sarif, "CHUNK", 3)
    chunked_sarif = sarif.render_bytes(report, "zh")
    monkeypatch.setattr(sarif, "CHUNK", 10_000)
    assert chunked_sarif == sarif.render_bytes(report, "zh")
    results = json.loads(chunked_sarif.decode("utf-8"))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [f.row for f in rows]


def test_sarif_in_chunks_equals_sarif_in_one_chunk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pack: Pack) -> None:
    path = write_xlsx(tmp_path / "log.xlsx", {"信息发布登记": [HEAD] + [
        [f"通知{i}", None, "2018-05-0" + str(1 + i % 9), "2018-04-01", "政府网站"] for i in range(25)]})
    report = audit([(path, path.name)], pack, dt.date(2018, 12, 31))
    assert len(report.findings) >= 25
    whole = sarif.render_bytes(report, "zh")
    monkeypatch.setattr(sarif, "CHUNK", 4)
    assert sarif.render_bytes(report, "zh") == whole


def test_a_file_result_with_its_table_survives_pickling(tmp_path: Path, pack: Pack) -> None:
    path = write_xlsx(tmp_path / "log.xlsx", {"信息发布登记": [HEAD, ["通知", None, "2018-05-01", "2018-04-01", "政府网站"]]})
    report = audit([(path, path.name)], pack, dt.date(2018, 12, 31))
    copy = pickle.loads(pickle.dumps(report.files[0]))
    rows = list(report.files[0].findings)
    assert len(rows) >= 2 and list(copy.findings) == rows
    assert copy.findings.messages("en").tolist() == [f.message_en for f in rows]


def test_cells_are_calamines_grid_from_a1_with_repeating_short_text_kept_once(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"] = "区民政局"
    sheet["D3"] = 5
    sheet["C4"] = "区民政局"
    sheet["D6"] = "一段很长的正文" * 5
    path = tmp_path / "offset.xlsx"
    book.save(path)
    grid = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    cells = _cells(grid).tolist()
    assert cells == grid.to_python(skip_empty_area=False)
    assert cells[2][2] is cells[3][2]  # one string for both cells


def test_an_audit_with_the_pack_cached_imports_no_schema_validator(tmp_path: Path) -> None:
    sample = ROOT / "sample_lists" / "区民政局-2018.xlsx"
    argv = ["tzcheck", "audit", str(sample), "--as-of", AS_OF, "--format", "json", "--fail-on", "never"]
    code = (f"import sys; from tongzhou_check.cli import main; sys.argv = {argv!r}\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('jsonschema' in sys.modules, file=sys.stderr)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            for _ in range(2)]  # the first run may fill the cache; the second takes the pack from it
    assert runs[1].stderr.strip().splitlines()[-1] == "False"
    assert json.loads(runs[1].stdout)["findings"] == json.loads(runs[0].stdout)["findings"]


def test_cells_beyond_the_range_calamine_claims_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet whose rows outgrow its claimed range (more rows, another width) is still read whole, padded."""
    class Claimed:
        start, end, width = (0, 0), (1, 1), 2  # claims 2 rows of 2 cells

        def iter_rows(self) -> object:
            return iter([["a", 1.0], ["b", "区民政局"], ["c", "区民政局", "x"], ["d"]])

    monkeypatch.setattr(workbook, "BLOCK", 2)
    grid = _cells(Claimed())  # type: ignore[arg-type]
    assert grid.tolist() == [["a", 1.0, ""], ["b", "区民政局", ""], ["c", "区民政局", "x"], ["d", "", ""]]
