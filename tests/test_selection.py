"""Selection like other linters on the command line (--select, --ignore, --extend-select, --severity, --exclude),
shell globs that skip non-workbooks with a note, stdin, -q/-v and --show-settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from helpers import AS_OF, ROOT, audit_json, cli

SAMPLES = ROOT / "sample_lists"
MINZHENG = SAMPLES / "区民政局-2018.xlsx"


def _rules(*extra: str, paths: tuple[str, ...] = (str(SAMPLES),)) -> Counter:
    report = audit_json(*paths, extra=list(extra), duty_rules=True)
    return Counter(f["rule"] for f in report["findings"])


def test_select_ignore_and_extend_select() -> None:
    everything = _rules()
    assert set(_rules("--select", "TZ201,opinion-counts")) == {"TZ201", "TZ205"}
    assert set(_rules("--select", "TZ201", "--select", "TZ205")) == {"TZ201", "TZ205"}
    assert set(_rules("--select", "TZ201", "--extend-select", "TZ205")) == {"TZ201", "TZ205"}
    ignored = _rules("--ignore", "TZ120", "--ignore", "TZ402")
    assert "TZ120" not in ignored and "TZ402" not in ignored and ignored["TZ201"] == everything["TZ201"]


def test_options_win_over_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tzcheck.toml").write_text('select = ["TZ201"]\nignore = ["TZ205"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert set(_rules()) == {"TZ201"}
    assert set(_rules("--select", "TZ205,TZ201")) == {"TZ201"}  # the configuration's ignore still holds
    assert set(_rules("--extend-select", "TZ205")) == {"TZ201", "TZ205"}  # extending re-enables an ignored rule


def test_severity_on_the_command_line() -> None:
    report = audit_json(SAMPLES, extra=["--severity", "TZ205=info", "--severity", "comment-window=warning"])
    assert {f["severity"] for f in report["findings"] if f["rule"] == "TZ205"} == {"info"}
    assert {f["severity"] for f in report["findings"] if f["rule"] == "TZ201"} == {"warning", "info"}  # and lowered
    assert {f["severity"] for f in audit_json(SAMPLES)["findings"] if f["rule"] == "TZ201"} == {"error", "warning"}


@pytest.mark.parametrize(("args", "words"), [
    (["--select", "TZ999"], ["--select", "no such rule: TZ999", "did you mean"]),
    (["--ignore", "comment-windw"], ["--ignore", "did you mean comment-window?"]),
    (["--severity", "TZ205"], ["--severity", "RULE=LEVEL"]),
    (["--severity", "TZ205=fatal"], ["--severity", "RULE=LEVEL"]),
    (["--exclude", "*.xlsx"], ["nothing to audit", "3 excluded"]),
])
def test_bad_selection_is_a_usage_error(args: list[str], words: list[str]) -> None:
    code, out, err = cli("audit", str(SAMPLES), "--as-of", AS_OF, *args)
    assert code == 2 and out == "" and "Traceback" not in err
    assert all(w in err for w in words), err


def test_exclude_by_glob_name_or_folder(tmp_path: Path) -> None:
    for pattern in ("区民政局*", "*/区民政局-2018.xlsx", "sample_lists/区民政局-2018.xlsx"):
        report = audit_json(SAMPLES, extra=["--exclude", pattern])
        assert [Path(f["path"]).name for f in report["files"]] == ["区发展改革委-2018.xlsx", "区教委-2018.xlsx"]
    code, _, err = cli("audit", str(SAMPLES), "--as-of", AS_OF, "--exclude", "区民政局*", "--exclude", "区教委*")
    assert code == 1 and "2 files excluded" in err
    (tmp_path / "tzcheck.toml").write_text('exclude = ["区民政局*"]\n', encoding="utf-8")
    report = audit_json(SAMPLES, extra=["--config", str(tmp_path / "tzcheck.toml")])
    assert len(report["files"]) == 2


def test_a_shell_glob_skips_files_that_are_no_workbooks_with_a_note(tmp_path: Path) -> None:
    names = sorted(p.as_posix() for p in SAMPLES.iterdir())  # what a shell makes of sample_lists/*
    assert any(n.endswith("README.md") for n in names)
    code, out, err = cli("audit", *names, "--as-of", AS_OF, "--format", "json")
    assert code == 1
    assert f"skipped, not a workbook: {(SAMPLES / 'README.md').as_posix()}" in err and "跳过,不是工作簿" in err
    assert [Path(f["path"]).suffix for f in __import__("json").loads(out)["files"]] == [".xlsx"] * 3
    assert "skipped" not in cli("audit", *names, "--as-of", AS_OF, "-q")[2]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    report = audit_json(broken, str(SAMPLES / "README.md"), duty_rules=True)
    assert [f["rule"] for f in report["findings"]] == ["TZ001"]  # a workbook that cannot be read stays TZ001


def test_a_workbook_from_stdin() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with MINZHENG.open("rb") as fh:
        done = subprocess.run([sys.executable, "-m", "tongzhou_check", "audit", "-", "--as-of", AS_OF, "--format",
                               "json", "--agency", "区民政局"], stdin=fh, capture_output=True, env=env, check=False)
    assert done.returncode == 1, done.stderr.decode()
    report = __import__("json").loads(done.stdout)
    assert report["files"][0]["path"] == "-" and report["files"][0]["status"] == "ok"
    direct = audit_json(MINZHENG, extra=["--agency", "区民政局"], duty_rules=True)
    assert [(f["rule"], f["cell"]) for f in report["findings"]] == [(f["rule"], f["cell"]) for f in direct["findings"]]
    empty = subprocess.run([sys.executable, "-m", "tongzhou_check", "audit", "-"], stdin=subprocess.DEVNULL,
                           capture_output=True, env=env, check=False)
    assert empty.returncode == 2 and b"stdin is empty" in empty.stderr


def test_show_settings_names_where_each_value_came_from(tmp_path: Path) -> None:
    config = tmp_path / "tzcheck.toml"
    config.write_text('fail_on = "warning"\nignore = ["TZ120"]\n', encoding="utf-8")
    code, out, _ = cli("audit", str(SAMPLES), "--config", str(config), "--lang", "en", "--select", "TZ201",
                       "--show-settings")
    assert code == 0
    lines = {line.split("=")[0].strip(): line for line in out.splitlines() if " = " in line}
    assert lines["fail_on"].endswith("warning  [configuration]")
    assert lines["lang"].endswith("en  [command line]")
    assert lines["select"].endswith("TZ201  [command line]")
    assert lines["ignore"].endswith("TZ120  [configuration]")
    assert lines["year"].endswith("each workbook's own year  [default]")
    assert f"configuration file: {config}" in out
    assert (SAMPLES / "区教委-2018.xlsx").as_posix() in out and "TZ201" not in out.split("Files to audit:")[1]


def test_verbose_notes_and_quiet(tmp_path: Path) -> None:
    _, _, err = cli("audit", str(MINZHENG), "--as-of", AS_OF, "-v", "--format", "json")
    assert "auditing 1 files" in err and "审计年度 2018" in err
    _, out, err = cli("audit", str(MINZHENG), "--as-of", AS_OF, "-q", "--format", "github")
    assert err == "" and out.startswith("::")
