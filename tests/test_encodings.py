"""Output that survives a GBK console (Chinese Windows, redirected): machine formats are UTF-8 bytes on stdout,
the table and concise lines degrade to what the console can show, nothing crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import AS_OF, ROOT, write_xlsx

SAMPLES = ROOT / "sample_lists"
HEAD = ["收到日期", "处理日期"]


def _run(*args: str, encoding: str = "gbk") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "tongzhou_check", *args], capture_output=True, env=env, cwd=ROOT,
                          check=False)


@pytest.fixture(scope="module")
def odd_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook whose messages echo a character GBK cannot hold (an emoji typed into a date cell)."""
    path = tmp_path_factory.mktemp("gbk") / "区教委-2018.xlsx"
    return write_xlsx(path, {"网民纠错": [HEAD, ["下周😀", None], ["2018-09-05", "2018-09-04"]]})


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "html", "markdown", "github"])
def test_machine_formats_are_utf8_on_a_gbk_stdout(fmt: str, odd_book: Path, tmp_path: Path) -> None:
    suffix = {"json": ".json", "sarif": ".sarif", "junit": ".xml", "html": ".html", "markdown": ".md"}.get(fmt)
    extra = ["-o", str(tmp_path / f"r{suffix}")] if suffix else []
    done = _run("audit", str(odd_book), "--as-of", AS_OF, "--format", fmt, *extra)
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("utf-8")  # strict: every byte is UTF-8
    assert "😀" in text and "网民纠错" in text
    if suffix:  # byte for byte what the report file holds
        assert done.stdout == (tmp_path / f"r{suffix}").read_bytes()
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt == "html":
        assert 'charset="utf-8"' in text.lower() or "charset=utf-8" in text.lower()


def test_the_table_and_concise_degrade_to_what_a_gbk_console_shows(odd_book: Path) -> None:
    for fmt in ("table", "concise"):
        done = _run("audit", str(odd_book), "--as-of", AS_OF, "--format", fmt)
        assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr.decode("gbk", "replace")
        text = done.stdout.decode("gbk")  # strict: the console's own encoding
        assert "网民纠错" in text and "😀" not in text and "?" in text
        assert text.rstrip().splitlines()[-1].startswith("共检查 1 个文件")


def test_the_appendix_redirected_on_a_gbk_console_is_whole_utf8(tmp_path: Path) -> None:
    done = _run("report", str(SAMPLES), "--year", "2018")
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("utf-8")
    assert "✗" in text and "附表3" in text and text.endswith("\n")


def test_other_commands_on_a_gbk_console() -> None:
    docs = _run("rules", "docs")
    assert docs.returncode == 0 and docs.stdout == (ROOT / "docs" / "rules.md").read_bytes()
    explain = _run("explain", "TZ101")
    assert explain.returncode == 0 and "逐项明确信息的公开属性及依据" in explain.stdout.decode("utf-8")
    duties = _run("duties", "区教委", "--format", "json")
    assert duties.returncode == 0 and json.loads(duties.stdout.decode("utf-8"))
    workdays = _run("workdays", "2018-09-28", "2018-10-08")
    assert workdays.returncode == 0 and "3" in workdays.stdout.decode("gbk")
