"""The parse started ahead (reader/opening.py, __main__.py): the read takes it only for the same file, unchanged,
under the same limits; anything else is parsed again, and a bad file gets its own error. And the process's end
(`__main__.leave`): the command's status, its output whole, the usual exit under a profiler."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, cli, write_xlsx

from tongzhou_check.__main__ import ahead_of
from tongzhou_check.reader import opening, workbook
from tongzhou_check.reader.limits import DEFAULT_LIMITS, Limits
from tongzhou_check.reader.opening import ReadError, read_ahead
from tongzhou_check.reader.workbook import read_workbook

HEAD = ["信息名称", "发布单位", "形成日期", "公开日期", "公开渠道"]


def _log(path: Path, title: str = "通知") -> Path:
    return write_xlsx(path, {"信息发布登记": [HEAD, [title, None, "2018-05-01", "2018-04-01", "政府网站"]],
                             "说明": [["填报说明"]]})


def _finished(path: Path) -> None:
    """Wait for the parse started ahead of `path`."""
    opening._ahead[str(path.resolve())][2].exception(timeout=60)


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the parses made from now on (ahead of the read or by it)."""
    seen: list[Path] = []
    parse = opening._parse

    def counted(path: Path, zipped: bool) -> opening.Opened:
        seen.append(path)
        return parse(path, zipped)

    monkeypatch.setattr(opening, "_parse", counted)
    return seen


def _cells(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, list[list[object]]]]:
    return [(s.name, s.grid.tolist()) for s in read_workbook(path, limits)]


def test_the_read_takes_the_parse_started_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _log(tmp_path / "log.xlsx")
    expected = _cells(path)
    read_ahead(path)
    _finished(path)
    parses = _parses(monkeypatch)
    given_back: list[bool] = []
    monkeypatch.setattr(workbook, "give_back", lambda: given_back.append(True))
    assert _cells(path) == expected and parses == []  # taken, not parsed again
    assert given_back == [True]  # the parsing thread's freed memory returned to the system
    assert not opening._ahead
    assert _cells(path) == expected and parses == [path]  # taken once: a second read parses


def test_a_file_changed_after_its_parse_started_is_parsed_again(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = _log(tmp_path / "log.xlsx")
    read_ahead(path)
    _finished(path)
    _log(path, title="改过的通知标题")
    os.utime(path, ns=(1, 1))  # another modification time, whatever the clock's resolution
    parses = _parses(monkeypatch)
    ((_, rows), _) = _cells(path)
    assert rows[1][0] == "改过的通知标题" and parses == [path]


def test_other_limits_are_checked_and_parsed_under_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _log(tmp_path / "log.xlsx")
    read_ahead(path)
    _finished(path)
    with pytest.raises(ReadError) as caught:
        read_workbook(path, Limits(max_cells=4))
    assert caught.value.reason == "too_many_cells"
    read_ahead(path)
    _finished(path)
    parses = _parses(monkeypatch)
    _cells(path, Limits(max_cells=10_000))
    assert parses == [path]


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600])
def test_a_bad_file_read_ahead_gets_the_error_of_its_own_read(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReadError) as alone:
        read_workbook(path)
    read_ahead(path)
    _finished(path)
    with pytest.raises(ReadError) as ahead:
        read_workbook(path)
    assert (ahead.value.reason, ahead.value.detail) == (alone.value.reason, alone.value.detail)
    assert path.read_bytes() == content


def test_which_command_lines_read_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a.xlsx", "b.xlsx", "copy.xlsx"):
        _log(tmp_path / name)
    (tmp_path / "dir").mkdir()
    assert ahead_of(["audit", "a.xlsx"]) == Path("a.xlsx")
    assert ahead_of(["audit", "--format", "json", "a.xlsx", "-o", "copy.xlsx"]) == Path("a.xlsx")
    assert ahead_of(["report", "a.xlsx", "--output", "copy.xlsx", "--year", "2018"]) == Path("a.xlsx")
    assert ahead_of(["audit", "a.xlsx", "b.xlsx"]) is None  # several: each is read in its turn
    assert ahead_of(["audit", "a.xlsx", "missing.xlsx"]) is None
    assert ahead_of(["audit", "dir"]) is None
    assert ahead_of(["audit", "a.xlsx", "--scheduler", "local:2"]) is None  # read by the cluster's workers
    assert ahead_of(["audit", "a.xlsx", "--max-cells=100"]) is None  # other limits
    assert ahead_of(["audit", "a.xlsx", "--help"]) is None
    assert ahead_of(["baseline", "create", "a.xlsx"]) is None
    assert ahead_of([]) is None


def test_the_command_reading_ahead_writes_what_the_cli_writes(tmp_path: Path) -> None:
    path = _log(tmp_path / "log.xlsx")
    args = ["audit", str(path), "--as-of", "2018-12-31", "--format", "json", "--fail-on", "never"]
    code, expected, _ = cli(*args)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tongzhou_check", *args], capture_output=True, env=env,
                          timeout=120, check=False)
    assert (done.returncode, done.stdout.decode("utf-8")) == (code, expected)
    assert {f["rule"] for f in json.loads(expected)["findings"]} >= {"TZ004", "TZ008"}


def test_the_process_ends_with_the_commands_status_its_output_whole_and_no_stdin_copy_left(tmp_path: Path) -> None:
    """`leave`: the exit status is the command's, everything written is flushed, the stdin copy is removed."""
    path = _log(tmp_path / "log.xlsx")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    args = [sys.executable, "-m", "tongzhou_check", "audit", "-", "--as-of", "2018-12-31", "--format", "json"]
    with path.open("rb") as fh:
        done = subprocess.run(args, stdin=fh, capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 1  # an error-level finding: the gate fails
    assert {f["rule"] for f in json.loads(done.stdout)["findings"]} >= {"TZ004", "TZ008"}
    assert not list(tmp_path.glob("tzcheck-stdin-*"))
    usage = subprocess.run([*args[:4], "--format", "nonsense", str(path)], capture_output=True, env=env, timeout=120,
                           check=False)
    assert usage.returncode == 2 and "nonsense" in usage.stderr.decode("utf-8")


def test_under_a_profiler_the_process_exits_the_usual_way_and_the_profile_is_written(tmp_path: Path) -> None:
    path = _log(tmp_path / "log.xlsx")
    profile = tmp_path / "audit.prof"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "tongzhou_check", "audit",
                           str(path), "--as-of", "2018-12-31", "--format", "json"], capture_output=True, env=env,
                          timeout=120, check=False)
    assert json.loads(done.stdout)["summary"]["errors"] >= 1  # (cProfile's own status: it swallows SystemExit)
    assert profile.stat().st_size > 0  # cProfile writes it as the interpreter exits



def test_the_parse_starts_before_numpy_or_pandas_is_imported() -> None:
    code = ("import sys; from tongzhou_check.reader import opening; "
            "print(sorted(m for m in ('numpy', 'pandas', 'yaml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(done.stdout.replace("'", '"')) == ["yaml"]  # (yaml: small, and text.py's since long)
