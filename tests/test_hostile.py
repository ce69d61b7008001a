"""Hostile and broken input never crashes, hangs or bloats: each class of tests/hostile.py audited by the real CLI
in a subprocess under a memory limit and a time limit, checking the exit code, a message naming the file, no
traceback, the input unchanged and the child's peak memory."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import hostile
import openpyxl
import pytest
from helpers import AS_OF, ROOT

SAMPLES = sorted((ROOT / "sample_lists").glob("*.xlsx"))
ADDRESS_SPACE = 1536 << 20  # the child may map 1.5 GiB; calamine's 512 GiB range fails at once
PEAK_MB = 300  # Python, pandas and the pack take ~100 MB: a 1 KB hostile file adds next to nothing


@dataclass
class Run:
    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float


LAUNCH = """
import atexit, resource, sys
def peak():
    used = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.stderr.write(f"\\nPEAK_KB {used}\\n")
atexit.register(peak)
sys.argv = ["tzcheck", *sys.argv[1:]]
from tongzhou_check.cli import main
main()
"""


def run(*args: str, timeout: float = 90, stdin: bytes | None = None) -> Run:
    """`tzcheck ARGS` in a child process limited to ADDRESS_SPACE, with its peak RSS (its pool's included)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    env = {**os.environ, "RUST_BACKTRACE": "0", "COLUMNS": "200"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", LAUNCH, *args], cwd=ROOT, capture_output=True, input=stdin,
                          preexec_fn=limit, env=env, timeout=timeout)
    err = done.stderr.decode("utf-8", "replace")
    err, _, peak = err.rpartition("\nPEAK_KB ")
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), err, int(peak or 0) / 1024,
               time.perf_counter() - start)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_clean(result: Run, *named: str) -> None:
    text = result.out + result.err
    assert "Traceback" not in text and "internal error" not in text and "内部错误" not in text, text[-2000:]
    for name in named:
        assert name in text, f"{name} not named in: {text[-1000:]}"
    assert "\x1b" not in result.out


def audit_json(*paths: Path, options: tuple[str, ...] = ()) -> tuple[Run, dict]:
    result = run("audit", *map(str, paths), "--as-of", AS_OF, "--format", "json", *options)
    return result, json.loads(result.out) if result.out.startswith("{") else {}


def messages_of(report: dict, path: Path) -> list[str]:
    return [f["message"] for f in report["findings"] if f["file"] == str(path)]


# 1. What the reader hands calamine ---------------------------------------------------------------------------

def _shared_strings_claim(path: Path) -> Path:
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2147483647" '
           'uniqueCount="2147483647"><si><t>x</t></si></sst>')
    sheet = (f'<worksheet xmlns="{hostile.MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             '</sheetData></worksheet>')
    return hostile.package(path, sheet, {"xl/sharedStrings.xml": sst})


def _zip_bomb(path: Path) -> Path:
    """40 MiB of one repeated row, deflated to ~40 KB."""
    row = '<row><c t="inlineStr"><is><t>0</t></is></c></row>'
    body = row * ((40 << 20) // len(row))
    return hostile.package(path, f'<worksheet xmlns="{hostile.MAIN}"><sheetData>{body}</sheetData></worksheet>')


def _huge_date(path: Path) -> Path:
    """A date-formatted serial of -1e308: calamine panics converting it (a Rust panic, not an exception)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "意见征集"
    sheet.append(["序号", "征集事项", "起始日期", "截止日期"])
    sheet.append([1, "关于某事项的意见征集", -1e308, 43000])
    sheet["C2"].number_format = sheet["D2"].number_format = "yyyy-mm-dd"
    book.save(path)
    return path


READER_CASES = {
    "dense-range.xlsx": (hostile.dense_range, "A1:XFD1048576"),
    "dense-declared.xlsx": (hostile.dense_range_declared, "A1:XFD1048576"),
    "shared-strings.xlsx": (_shared_strings_claim, "2,147,483,647"),
    "zip-bomb.xlsx": (_zip_bomb, "压缩炸弹"),
    "huge-date.xlsx": (_huge_date, "文件已损坏"),
}


@pytest.mark.parametrize("name", sorted(READER_CASES))
def test_a_workbook_calamine_cannot_survive_is_tz001_before_it_reaches_calamine(tmp_path: Path, name: str) -> None:
    make, said = READER_CASES[name]
    path = make(tmp_path / name)
    before = sha256(path)
    result, report = audit_json(path)
    assert result.code == 1
    assert_clean(result)
    assert [f["rule"] for f in report["findings"] if f["file"] == str(path)] == ["TZ001"]
    assert said in messages_of(report, path)[0]
    assert result.peak_mb < PEAK_MB and result.seconds < 60
    assert sha256(path) == before


def test_the_limits_are_settings(tmp_path: Path) -> None:
    sample = ROOT / "sample_lists" / "区民政局-2018.xlsx"
    result, report = audit_json(sample, options=("--max-cells", "10"))
    assert result.code == 1
    assert_clean(result)
    assert "超过上限 10(--max-cells)" in messages_of(report, sample)[0]
    result, report = audit_json(sample, options=("--max-uncompressed", "1", "--lang", "en"))
    inflated = sum(i.file_size for i in zipfile.ZipFile(sample).infolist())
    if inflated > 1 << 20:
        assert "past the limit of 1.0 MiB (--max-uncompressed)" in messages_of(report, sample)[0]
    else:  # the sample is small: it stays readable under 1 MiB
        assert report["files"][0]["status"] == "ok"
    (tmp_path / "tzcheck.toml").write_text("max_cells = 10\n", encoding="utf-8")
    result, report = audit_json(sample, options=("--config", str(tmp_path / "tzcheck.toml")))
    assert "超过上限 10(--max-cells)" in messages_of(report, sample)[0]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_aborts_the_reader_kills_only_its_worker(tmp_path: Path, jobs: str) -> None:
    liar = hostile.dense_range_liar(tmp_path / "说谎-2018.xlsx")
    files = [SAMPLES[0], liar, *SAMPLES[1:]]
    result, report = audit_json(*files, options=("--jobs", jobs))
    assert result.code == 1
    assert_clean(result)
    assert [f["status"] for f in report["files"]] == ["ok", "unreadable", "ok", "ok"]
    assert "进程异常终止" in messages_of(report, liar)[0]
    _, alone = audit_json(*SAMPLES, options=("--jobs", "1"))
    assert [f for f in report["findings"] if f["file"] != str(liar)] == alone["findings"]
