"""Help and usage in the user's language: Chinese by default, English with --lang en or an English locale; never
cut at 80 columns; metavars that read as words; the library's errors in both languages with "did you mean";
-h and -V; --version without loading the checker."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import ROOT

from tongzhou_check.linebreak import cells


def _tzcheck(*args: str, lang: str = "zh_CN.UTF-8", module: str = "tongzhou_check") -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "80", "LANG": lang, "LC_ALL": lang, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=ROOT, check=False)


@pytest.mark.parametrize("command", [["audit"], ["report"], ["workdays"], ["baseline", "create"], []])
def test_help_is_chinese_whole_and_fits_80_columns(command: list[str]) -> None:
    done = _tzcheck(*command, "-h")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("用法: tzcheck") and "选项:" in text and "显示本帮助并退出" in text
    assert "…" not in text and "<list[" not in text and "<bool>" not in text and "<str>" not in text
    assert "{" not in text.splitlines()[0]
    assert all(cells(line) <= 80 for line in text.splitlines()), max(text.splitlines(), key=cells)
    assert "Show this message" not in text


def test_audit_help_reads_as_words() -> None:
    text = _tzcheck("audit", "--help").stdout
    assert "用法: tzcheck audit [选项] 路径..." in text
    assert "--as-of 日期" in text and "--rules 目录" in text and "-o, --output 文件" in text and "-j, --jobs N" in text
    assert "否则北京时间今天)" in text  # the whole help, not cut short
    assert "date deadlines" not in text  # one language


@pytest.mark.parametrize(("args", "lang"), [(["--lang", "en"], "zh_CN.UTF-8"), ([], "en_US.UTF-8")])
def test_help_in_english(args: list[str], lang: str) -> None:
    text = _tzcheck("audit", "-h", *args, lang=lang).stdout
    assert text.startswith("Usage: tzcheck audit [OPTIONS] PATH...")
    assert "--as-of DATE" in text and "the date deadlines are judged at" in text and "判断期限" not in text


@pytest.mark.parametrize(("args", "words"), [
    (["audit"], ["缺少参数 路径", "Missing argument"]),
    (["audit", "x.xlsx", "--format", "jsn"], ["“jsn”不是可选值", "did you mean json?"]),
    (["audit", "x.xlsx", "--formt", "json"], ["没有这个选项:--formt", "--format"]),
    (["audit", "x.xlsx", "--jobs", "0"], ["应不小于 1"]),
    (["audit", "x.xlsx", "--fail-on"], ["选项 --fail-on 需要一个值"]),
    (["audti"], ["没有这个命令:audti", "did you mean audit?"]),
    (["explain", "TZ999"], ["没有这条规则", "did you mean"]),
    (["explain", "comment-windw"], ["did you mean comment-window?"]),
    (["duties", "民政局"], ["未知单位", "did you mean 区民政局?"]),
])
def test_usage_errors_in_both_languages_with_a_suggestion(args: list[str], words: list[str]) -> None:
    done = _tzcheck(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert all(w in done.stderr for w in words), done.stderr
    assert "╭" not in done.stderr  # no box around the message


def test_version_flags_and_nothing_heavy_imported() -> None:
    for flag in ("--version", "-V"):
        done = _tzcheck(flag)
        assert done.returncode == 0 and done.stdout == f"tzcheck {__import__('tongzhou_check').__version__}\n"
    timed = subprocess.run([sys.executable, "-X", "importtime", "-m", "tongzhou_check", "--version"],
                           capture_output=True, text=True, cwd=ROOT, check=False)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in timed.stderr.splitlines() if "|" in line}
    assert not imported & {"pandas", "numpy", "typer", "rich", "openpyxl", "python_calamine"}, imported
