"""A forked copy working beside this process (forked.py), and a workbook's checks shared with one (engine)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import BinaryIO

import pytest
from helpers import ROOT, audit_report

from tongzhou_check import engine, forked
from tongzhou_check.formats import FORMATS

SAMPLES = sorted((ROOT / "sample_lists").glob("*.xlsx"))


@pytest.fixture
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever threads earlier tests left (a server's, a read ahead), this process counts as having one."""
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)


def test_the_copy_makes_its_file_while_this_process_goes_on(one_thread: None) -> None:
    parent = os.getpid()

    def make(out: BinaryIO) -> None:
        out.write(f"made by {os.getpid()}".encode())

    with forked.beside(make) as made:
        spool = made()
        assert spool is not None
        written = spool.read().decode()
    assert written.startswith("made by ") and int(written.split()[-1]) != parent


def test_a_copy_that_fails_gives_nothing(one_thread: None) -> None:
    def make(out: BinaryIO) -> None:
        out.write(b"half")
        raise RuntimeError("the copy fails")

    with forked.beside(make) as made:
        assert made() is None


def test_leaving_early_kills_the_copy(tmp_path: Path, one_thread: None) -> None:
    started = tmp_path / "pid"

    def make(out: BinaryIO) -> None:
        started.write_text(str(os.getpid()))
        time.sleep(600)

    with pytest.raises(KeyboardInterrupt), forked.beside(make):
        while not started.exists() or not started.read_text():
            time.sleep(0.01)
        raise KeyboardInterrupt
    with pytest.raises(ProcessLookupError):  # killed and waited for: no such process any more
        os.kill(int(started.read_text()), 0)


def test_a_process_with_other_threads_does_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)
    assert not forked.can_fork()


def _record_dumps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool = False) -> None:
    """Record the processes that pickle units for the parent (`_FileAudit._dump`); `fails`: the copy then fails."""
    dump = engine._FileAudit._dump

    def recorded(self: engine._FileAudit, units: list[engine.Unit], out: BinaryIO) -> None:
        (tmp_path / f"dumped-{os.getpid()}-{len(units)}").touch()
        if fails:
            raise RuntimeError("the copy fails")
        dump(self, units, out)

    monkeypatch.setattr(engine._FileAudit, "_dump", recorded)


def _copies(tmp_path: Path) -> list[int]:
    """The processes that pickled units, once per workbook shared."""
    return [int(p.name.split("-")[1]) for p in tmp_path.glob("dumped-*")]


@pytest.mark.parametrize("fails", [False, True], ids=["copy", "copy-fails"])
def test_checks_shared_with_a_copy_report_what_one_core_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                one_thread: None, fails: bool) -> None:
    alone = [audit_report(path, jobs=1) for path in SAMPLES]
    monkeypatch.setattr(engine, "SHARED_COST", 1)  # share even a sample's few rows
    _record_dumps(tmp_path, monkeypatch, fails)
    shared = [audit_report(path, jobs=2) for path in SAMPLES]
    copies = _copies(tmp_path)
    assert len(copies) == len(SAMPLES) and os.getpid() not in copies  # a copy made units, for each workbook
    for one, two in zip(alone, shared, strict=True):
        assert two.findings == one.findings
        assert two.files == one.files  # and the rows found exempt by the plan (TZ402's exempt names)
        for render in (FORMATS["json"], FORMATS["sarif"]):
            assert render(two, "zh") == render(one, "zh")
    assert any(result.exempt for report in alone for result in report.files)  # the merge of exempt rows was tried


def test_one_job_or_a_small_workbook_never_forks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                one_thread: None) -> None:
    _record_dumps(tmp_path, monkeypatch)
    audit_report(SAMPLES[0], jobs=2)  # the samples' few rows: less than SHARED_COST to share
    monkeypatch.setattr(engine, "SHARED_COST", 1)
    audit_report(SAMPLES[0], jobs=1)
    assert _copies(tmp_path) == []


def test_units_are_shared_most_expensive_first_to_the_side_with_less(monkeypatch: pytest.MonkeyPatch) -> None:
    costs = [5, 1, 4, 3, 3]
    monkeypatch.setattr(engine, "_cost", lambda unit: costs[unit])
    monkeypatch.setattr(engine, "SHARED_COST", 1)
    there = engine._share(list(range(len(costs))))  # type: ignore[arg-type]
    # 5 here, 4 there, 3 there, 3 here, 1 there: 8 here, 8 there
    assert there == [1, 2, 3]
    monkeypatch.setattr(engine, "SHARED_COST", 9)
    assert engine._share(list(range(len(costs)))) == []  # type: ignore[arg-type]
