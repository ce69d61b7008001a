"""Rule packs: the built-in pack loads and is complete; an invalid pack exits 2 naming file and JSON path."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import AS_OF, ROOT, audit_json, cli, write_xlsx

from tongzhou_check.checks.timed import param_at, param_series
from tongzhou_check.messages import render
from tongzhou_check.pack import load_pack
from tongzhou_check.packtypes import Pack, PackError
from tongzhou_check.workdays import load_calendar

SPEC_RULES = [
    "TZ001", "TZ002", "TZ003", "TZ004", "TZ005", "TZ006", "TZ007", "TZ008", "TZ009", "TZ010", "TZ011", "TZ012",
    "TZ101", "TZ102", "TZ103", "TZ120", "TZ121", "TZ201", "TZ202", "TZ203", "TZ204", "TZ205", "TZ301", "TZ302",
    "TZ401", "TZ402", "TZ501", "TZ502", "TZ503", "TZ601", "TZ602", "TZ701", "TZ801", "TZ802", "TZ901", "TZ902",
]
PLANNED_IN_THIS_VERSION: set[str] = set()


def test_builtin_pack_has_every_rule_of_the_spec(pack: Pack) -> None:
    assert list(pack.rules) == SPEC_RULES
    assert {r.id for r in pack.rules.values() if not r.active} == PLANNED_IN_THIS_VERSION
    assert set(pack.kinds) == {"catalogue", "consultation", "guide_change", "publication", "application",
                               "interpretation", "proposal", "budget", "web_correction", "web_inspection"}


def test_planned_rules_never_run(pack: Pack) -> None:
    assert all(r.check is None for r in pack.rules.values() if not r.active)


def test_every_message_template_renders_in_both_languages(pack: Pack) -> None:
    for rule in pack.rules.values():
        for lang in ("zh", "en"):
            text = render(rule.message[lang], lang, 1, {}, {}, lambda field, key: "")[0]
            assert text.strip(), rule.id


def test_a_pack_is_loaded_once_per_content(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    first = load_pack(copy)
    assert load_pack(copy) is first
    rule = copy / "rules" / "TZ008.yaml"
    rule.write_text(rule.read_text("utf-8").replace("severity: error", "severity: warning"), "utf-8")
    changed = load_pack(copy)
    assert changed is not first and changed.rules["TZ008"].severity.name == "warning"


def test_rule_lookup_by_id_or_slug(pack: Pack) -> None:
    assert pack.rule("comment-window").id == "TZ201"
    assert pack.rule("tz101").slug == "attribute-and-basis"
    assert pack.rule("nonsense") is None


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "rules" / "tongzhou-2018", tmp_path / "pack"))


@pytest.mark.parametrize(
    ("file", "old", "new", "path"),
    [
        ("rules/TZ201.yaml", "severity: error", "severity: fatal", "$.severity"),
        ("rules/TZ101.yaml", "column: basis", "column: legal_basis", "$.params.require.column"),
        ("rules/TZ101.yaml", "present: true", "present: maybe", "$.params.require"),
        ("kinds.yaml", "type: date, required: true, sample: 2018-10-08}", "type: datum}", "$.kinds.web_correction"),
        ("pack.yaml", "version: \"1.0.0\"", "version: 1.0.0\nextra: 1", "$"),
        ("rules/TZ205.yaml", "check: condition", "check: telepathy", "$.check"),
        # meaning, not only shape: what a check can fill in, compare and report
        ("rules/TZ205.yaml", "{headers[received]}", "{headers[recieved]}", "$.message.zh"),
        ("rules/TZ204.yaml", "{values[received]}", "{values[recieved]}", "$.message.zh"),
        ("rules/TZ205.yaml", "({value})", "({valeu})", "$.message.zh"),
        ("rules/TZ205.yaml", "({value})", "({value.upper})", "$.message.zh"),
        ("rules/TZ205.yaml", "({value})", "({value)", "$.message.zh"),
        ("rules/TZ205.yaml", "le: received", "le: start", "$.params.require.le"),
        ("rules/TZ602.yaml", "same_as: drafter", "same_as: published", "$.params.require.same_as"),
        ("rules/TZ102.yaml", "in: [主动公开]", "in: [主动 公开]", "$.params.when[0].in"),
        ("rules/TZ901.yaml", "trigger: received", "trigger: content", "$.params.trigger"),
        ("rules/TZ009.yaml", "raised_by: [calendar_not_covered]", "raised_by: [calendar_not_covred]", "$.raised_by[0]"),
        ("pack.yaml", "  pending:\n", "  pending_old:\n", "$.messages"),
        ("pack.yaml", "{event_header}」尚未填写", "{event_headr}」尚未填写", "$.messages.pending.zh"),
        ("pack.yaml", "applicant: applicant_type", "applicant: applicant", "$.appendix.applications.applicant"),
        ("pack.yaml", "received: received, replied", "received: applicant_type, replied", "$.appendix.applications.received"),
    ],
)
def test_invalid_pack_exits_2_naming_file_and_json_path(file: str, old: str, new: str, path: str,
                                                       tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    target = pack / file
    text = target.read_text("utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(PackError) as exc:
        load_pack(pack)
    assert exc.value.file == str(target)
    assert exc.value.path.startswith(path)
    sample = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": [["收到日期"], ["2018-09-03"]]})
    code, _, err = cli("audit", str(sample), "--rules", str(pack), "--as-of", AS_OF)
    assert code == 2
    assert str(target) in err.replace("\n", "") and "Traceback" not in err
    assert exc.value.path in err.replace("\n", "")  # brackets ([0], [received]) are printed, not taken as markup


def test_another_pack_can_be_loaded_with_rules(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    kinds = pack / "kinds.yaml"
    kinds.write_text(kinds.read_text("utf-8").replace("aliases: [留言日期, 纠错日期]", "aliases: [留言日期, 纠错日期, 来信日期]"),
                     "utf-8")
    rule = pack / "rules" / "TZ008.yaml"
    rule.write_text(rule.read_text("utf-8").replace("severity: error", "severity: warning"), "utf-8")
    sample = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": [["来信日期", "处理日期"], ["2018-09-05", "2018-09-04"]]})
    report = audit_json(sample, extra=["--rules", str(pack)])
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("TZ008", "warning")]
    assert report["rule_pack"]["sha256"] != audit_json(sample)["rule_pack"]["sha256"]


def test_param_periods_follow_the_law_in_force_on_the_trigger_date() -> None:
    periods = [{"from": "2008-05-01", "value": 15, "basis": "条例(2007) 第二十四条"},
               {"from": "2019-05-15", "value": 20, "basis": "条例(2019) 第三十三条"}]
    assert param_at(periods, dt.date(2018, 9, 3)) == (15, "条例(2007) 第二十四条")
    assert param_at(periods, dt.date(2019, 5, 15)) == (20, "条例(2019) 第三十三条")
    assert param_at(5, dt.date(2019, 6, 3)) == (5, "")
    assert param_at([{"from": "2019-05-15", "value": 7}], dt.date(2018, 9, 3)) == (None, "")
    values, bases = param_series(periods, pd.Series(pd.to_datetime(["2008-04-30", "2018-09-03", "2019-05-15"])))
    assert values.isna().tolist() == [True, False, False] and values.tolist()[1:] == [15, 20]
    assert bases.tolist() == ["", "条例(2007) 第二十四条", "条例(2019) 第三十三条"]


def test_rule_docs_are_generated_from_the_pack() -> None:
    code, out, _ = cli("rules", "docs")
    assert code == 0
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == out, "run: tzcheck rules docs > docs/rules.md"


def test_one_file_audit_is_picklable(tmp_path: Path, pack: Pack) -> None:
    import pickle

    from tongzhou_check.checks import Context
    from tongzhou_check.engine import audit_file

    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": [["收到日期", "处理日期"], ["2018-09-05", "2018-09-04"]]})
    result = audit_file(path, "a.xlsx", 0, pack, Context(pack, dt.date(2018, 12, 31), 2018, load_calendar()))
    assert pickle.loads(pickle.dumps(result)) == result
    assert sorted((f.rule, f.cell or "") for f in result.findings) == [("TZ008", "B2"), ("TZ121", "")]


def test_a_validated_pack_is_kept_between_runs_and_revalidated_when_a_file_changes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    copy = _copy(tmp_path)
    cache = tmp_path / "cache"
    env = {**os.environ, "TZCHECK_CACHE_DIR": str(cache)}
    run = [sys.executable, "-c", f"from tongzhou_check.pack import load_pack; print(load_pack({str(copy)!r}).version)"]
    assert subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout == "1.0.0\n"
    kept = list(cache.glob("pack-*.pickle"))
    assert len(kept) == 1
    kept[0].write_bytes(b"not a pickle")  # a damaged cache is validated again, never trusted
    assert subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout == "1.0.0\n"
    manifest = copy / "pack.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace('version: "1.0.0"', 'version: "1.0.1"'), "utf-8")
    assert subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout == "1.0.1\n"
    assert len(list(cache.glob("pack-*.pickle"))) == 2
    rule = copy / "rules" / "TZ205.yaml"
    rule.write_text(rule.read_text("utf-8").replace("{headers[received]}", "{headers[recieved]}", 1), "utf-8")
    broken = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert broken.returncode != 0 and "recieved" in broken.stderr  # an invalid pack is never served from a cache


def test_a_kept_pack_is_tied_to_the_code_that_validated_it(tmp_path: Path, monkeypatch) -> None:
    from tongzhou_check import pack as loader

    copy = _copy(tmp_path)
    monkeypatch.setenv("TZCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "_CACHE", {})
    loader.load_pack(copy)
    assert len(list((tmp_path / "cache").glob("pack-*.pickle"))) == 1
    monkeypatch.setattr(loader, "_CACHE", {})
    monkeypatch.setattr(loader, "_code_stamp", lambda: "an edited checkout")
    loader.load_pack(copy)
    assert len(list((tmp_path / "cache").glob("pack-*.pickle"))) == 2
