"""CI gating: configuration, baselines, parallel runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import AS_OF, audit_json, cli, write_xlsx

HEAD = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "决策依据是否公开", "收到意见数", "采纳意见数", "未采纳理由",
        "采纳情况公开日期"]
OK = ["规划草案", "区发改委", "2018-09-03", "2018-09-14", "是", 3, 3, None, "2018-09-28"]


def _row(name: str, **changes: object) -> list:
    row = dict(zip(HEAD, OK, strict=True))
    row["决策事项"] = name
    row.update(changes)
    return list(row.values())


def _consultation(path: Path, *rows: list) -> Path:
    return write_xlsx(path, {"意见征集": [HEAD, *rows]})


def test_config_ignores_a_rule_overrides_a_severity_and_a_parameter(tmp_path: Path, monkeypatch) -> None:
    path = _consultation(tmp_path / "a.xlsx",
                         _row("甲", 决策依据是否公开="否"),  # TZ202 warning
                         _row("乙", 征求意见截止日期="2018-09-07"),  # 4 working days: TZ201 error
                         _row("丙", 收到意见数=3, 采纳意见数=5))  # TZ205 error
    before = audit_json(path)
    assert sorted((f["rule"], f["severity"]) for f in before["findings"]) == [
        ("TZ201", "error"), ("TZ202", "warning"), ("TZ205", "error")]
    (tmp_path / "tzcheck.toml").write_text(
        'ignore = ["draft-basis-published"]\n'
        '[severity]\nTZ205 = "info"\n'
        '[params.TZ201]\ndays = 3\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    after = audit_json(path)
    assert sorted((f["rule"], f["severity"]) for f in after["findings"]) == [("TZ205", "info")]


def test_pyproject_tool_table_and_cli_flags_win(tmp_path: Path, monkeypatch) -> None:
    path = _consultation(tmp_path / "a.xlsx", _row("丙", 收到意见数=3, 采纳意见数=5))
    (tmp_path / "pyproject.toml").write_text('[tool.tzcheck]\nfail_on = "never"\nlang = "en"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF)
    assert code == 0 and "Audited 1 files" in out
    assert cli("audit", str(path), "--as-of", AS_OF, "--fail-on", "error")[0] == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('fail_on = "sometimes"\n', "fail_on"),
        ('colour = "red"\n', "colour"),
        ('[severity]\nTZ999 = "error"\n', "TZ999"),
        ('[params.TZ201]\ndays = "five"\n', "params.TZ201"),
        ('[aliases.catalogue]\nnonsense = ["x"]\n', "nonsense"),
        # parameters are validated for meaning as the pack's own are: columns of the kind, of a comparable type
        ('[params.TZ201]\nstart = "nonexistent"\n', "params.TZ201.start: 'nonexistent' is not a column"),
        ('[params.TZ205]\nrequire = {column = "adopted", le = "start"}\n', "cannot be compared with start"),
    ],
)
def test_bad_configuration_exits_2_naming_the_key(text: str, words: str, tmp_path: Path, monkeypatch) -> None:
    path = _consultation(tmp_path / "a.xlsx", _row("甲"))
    (tmp_path / "tzcheck.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("audit", str(path), "--as-of", AS_OF)
    assert code == 2 and words in err and "tzcheck.toml" in err and "Traceback" not in out + err


def test_config_header_aliases(tmp_path: Path, monkeypatch) -> None:
    rows = [["来信时间", "处理日期"], ["2018-09-05", "2018-09-04"]]
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows})
    assert [f["rule"] for f in audit_json(path)["findings"]] == ["TZ003", "TZ901"]  # TZ901 cannot run either
    (tmp_path / "tzcheck.toml").write_text('[aliases.web_correction]\nreceived = ["来信时间"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [f["rule"] for f in audit_json(path)["findings"]] == ["TZ008"]


def test_baseline_survives_an_inserted_row_and_reports_only_the_new_violation(tmp_path: Path) -> None:
    path = tmp_path / "区发改委-意见征集.xlsx"
    _consultation(path, _row("甲", 决策依据是否公开="否"), _row("乙", 收到意见数=3, 采纳意见数=5))
    baseline = tmp_path / ".tzcheck-baseline.json"
    code, _, _ = cli("baseline", "create", str(path), "-o", str(baseline), "--as-of", AS_OF)
    assert code == 0 and baseline.exists()
    assert cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline))[0] == 0
    # a new row above the baselined ones, and one new violation
    _consultation(path, _row("新增"), _row("甲", 决策依据是否公开="否"), _row("乙", 收到意见数=3, 采纳意见数=5),
                  _row("丁", 收到意见数=1, 采纳意见数=2))
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "json")
    assert code == 1
    report = json.loads(out)
    active = [(f["rule"], f["cell"]) for f in report["findings"] if not f["suppressed"] and f["rule"] != "TZ120"]
    assert active == [("TZ205", "G5")]
    baselined = [(f["rule"], f["cell"]) for f in report["findings"] if (f["suppressed"] or {}).get("by") == "baseline"]
    # the file-level TZ120 (区发改委 has no catalogue here) was baselined too
    assert sorted(baselined) == [("TZ120", None), ("TZ202", "E3"), ("TZ205", "G4")]
    assert report["summary"]["baselined"] == 3 and report["summary"]["errors"] == 1
    # the baseline's reason is in the report's language
    assert {f["suppressed"]["reason"] for f in report["findings"] if f["suppressed"]} == {"已记录在基线中"}
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "markdown")
    assert "recorded in the baseline" not in out and "已记录在基线中" in out
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "json",
                       "--lang", "en")
    assert {f["suppressed"]["reason"] for f in json.loads(out)["findings"] if f["suppressed"]} == {
        "recorded in the baseline"}


def test_baseline_lists_entries_that_no_longer_match(tmp_path: Path) -> None:
    path = _consultation(tmp_path / "a.xlsx", _row("甲", 决策依据是否公开="否"))
    baseline = tmp_path / "b.json"
    cli("baseline", "create", str(path), "-o", str(baseline), "--as-of", AS_OF)
    _consultation(path, _row("甲"))  # fixed
    report = audit_json(path, extra=["--baseline", str(baseline)], duty_rules=True)
    assert [e["rule"] for e in report["baseline"]["unmatched"]] == ["TZ202"]


def test_bad_baseline_exits_2(tmp_path: Path) -> None:
    path = _consultation(tmp_path / "a.xlsx", _row("甲"))
    (tmp_path / "b.json").write_text("not json", encoding="utf-8")
    code, _, err = cli("audit", str(path), "--baseline", str(tmp_path / "b.json"))
    assert code == 2 and "b.json" in err


def test_parallel_run_is_byte_identical_to_serial(tmp_path: Path) -> None:
    for i in range(6):
        _consultation(tmp_path / f"单位{i}.xlsx", _row("甲", 决策依据是否公开="否"), _row(f"乙{i}", 收到意见数=i, 采纳意见数=3))
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 broken")
    serial = cli("audit", str(tmp_path), "--as-of", AS_OF, "--format", "json", "--jobs", "1")[1]
    parallel = cli("audit", str(tmp_path), "--as-of", AS_OF, "--format", "json", "--jobs", "2")[1]
    assert json.loads(serial)["findings"] and serial == parallel


def test_audit_is_reentrant(tmp_path: Path) -> None:
    """An audit started inside another (a progress callback, a web request, a worker thread) changes nothing of it."""
    import dataclasses
    import datetime as dt

    from tongzhou_check.engine import audit
    from tongzhou_check.pack import load_pack

    pack = load_pack()
    silent = dataclasses.replace(pack, rules={k: dataclasses.replace(r, status="planned") for k, r in pack.rules.items()})
    files = [(_consultation(tmp_path / f"单位{i}.xlsx", _row("乙", 收到意见数=1, 采纳意见数=3)), f"单位{i}.xlsx")
             for i in range(2)]
    day = dt.date.fromisoformat(AS_OF)
    alone = audit(files, pack, day)
    inner = []
    nested = audit(files, pack, day, progress=lambda shown: inner.append(audit(files[:1], silent, dt.date(2018, 1, 1))))
    assert [f.cell for f in nested.findings if f.rule == "TZ205"] == ["G2", "G2"]
    assert nested.findings == alone.findings
    assert all(not r.findings for r in inner)
