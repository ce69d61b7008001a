"""What a person reads on a terminal or in a CI log: the table at 80 columns (no slug, wrapped at punctuation,
no line opening with closing punctuation), one line per finding when stdout is not a terminal, the summary line
and --statistics."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from helpers import AS_OF, ROOT, cli

from tongzhou_check.linebreak import CLOSING, OPENING, cells, wrap

SAMPLES = ROOT / "sample_lists"
CONCISE = re.compile(r"^(?P<file>[^:]+\.xlsx)(:(?P<sheet>[^!:]+)(!(?P<cell>[A-Z]+[0-9]+))?)?: "
                     r"(?P<rule>TZ[0-9]{3}) (?P<severity>错误|警告|提示|已豁免) (?P<message>.+) \[(?P<slug>[a-z0-9-]+) .+\]$")


def _tzcheck(*args: str, columns: int = 80) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "tongzhou_check", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def _message_lines(table: str) -> list[str]:
    """The text of the message column, line by line, of every findings table."""
    return [line.split("│")[5].strip() for line in table.splitlines() if line.startswith("│")]


def test_the_table_at_80_columns() -> None:
    table = _tzcheck("audit", str(SAMPLES), "--as-of", AS_OF, "--format", "table")
    lines = table.splitlines()
    summary = lines[-1]
    assert summary.startswith("共检查 3 个文件") and summary.endswith("已豁免 1。")  # the summary, never wrapped
    assert all(cells(line) <= 80 for line in lines[:-1])
    messages = _message_lines(table)
    assert messages and not [m for m in messages if m[:1] in CLOSING]
    assert not [m for m in messages if m[-1:] in OPENING]
    assert "opinion-counts" not in table and "TZ205" in table  # narrow: the rule's id, not its slug
    assert len(lines) < 250  # 40 findings (309 lines before: messages squeezed to a few characters)
    wide = _tzcheck("audit", str(SAMPLES), "--as-of", AS_OF, "--format", "table", columns=140)
    assert "opinion-counts" in wide and all(cells(line) <= 140 for line in wide.splitlines()[:-1])


def test_a_number_or_a_masked_id_is_never_split() -> None:
    table = _tzcheck("audit", str(SAMPLES), "--as-of", AS_OF, "--format", "table")
    for evidence in ("110199********103X", "110199********104X", "158****1234", "2018-12-31"):
        assert evidence in table


@pytest.mark.parametrize(("text", "width"), [
    ("该事项公开属性为“不公开”,但「公开依据」为空。依申请公开、不予公开的事项须逐项写明依据。", 20),
    ("征求意见期 2018-04-25 至 2018-05-02,按开始当日不计入计算共 4 个工作日,少于 5 个工作日。", 17),
    ("“采纳意见数” (5) exceeds “收到意见数” (3).", 9),
    ("「采纳意见数」(5)大于「收到意见数」(3)。", 11),
])
def test_wrapped_lines_fit_and_never_open_with_closing_punctuation(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cells(line) <= width for line in lines)
    assert not [line for line in lines[1:] if line[:1] in CLOSING]
    assert not [line for line in lines[:-1] if line[-1:] in OPENING]


def test_one_line_per_finding_when_stdout_is_not_a_terminal() -> None:
    piped = _tzcheck("audit", str(SAMPLES), "--as-of", AS_OF)  # no --format: concise, since stdout is a pipe
    lines = piped.splitlines()
    findings = [m for m in map(CONCISE.match, lines) if m]
    assert len(findings) == 39
    assert lines[-1].startswith("共检查 3 个文件、14 个工作表")
    assert lines[-2] == "审计年度 2018(检查基准日所在年度),检查基准日 2018-12-31(由 --as-of 指定):3 个文件"
    g = next(m for m in findings if m["cell"] == "H8" and m["sheet"] == "意见征集")
    assert (g["rule"], g["severity"], g["slug"]) == ("TZ205", "错误", "opinion-counts")
    assert g["message"] == "「采纳意见数」(5)大于「收到意见数」(3)。"
    assert piped == cli("audit", str(SAMPLES), "--as-of", AS_OF, "--format", "concise")[1]


def test_concise_counts_what_it_leaves_out_like_the_table(tmp_path) -> None:
    from helpers import write_xlsx

    rows = [["收到日期", "处理日期"], *(["2018-09-05", "2018-09-04"] for _ in range(60))]
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": rows})
    out = cli("audit", str(path), "--as-of", AS_OF, "--format", "concise")[1]
    assert out.count(": TZ008 ") == 50 and f"{path.as_posix()}:网民纠错: 本表另有 10 个问题未列出:TZ008 10 个。" in out
    out = cli("audit", str(path), "--as-of", AS_OF, "--format", "concise", "--show-all")[1]
    assert out.count(": TZ008 ") == 60 and "未列出" not in out


def test_statistics_count_findings_per_rule() -> None:
    for fmt in ("concise", "table"):
        code, out, _ = cli("audit", str(SAMPLES), "--as-of", AS_OF, "--format", fmt, "--statistics")
        assert code == 1
        head = out.index("各规则问题数(不含已豁免):")
        block = out[head:].splitlines()[1:-1]
        assert block[0].split()[:2] == ["3", "TZ120"]  # most first, then by rule
        assert ["3", "TZ402", "personal-info-exposed", "个人信息未去标识化"] in [line.split() for line in block]
        assert sum(int(line.split()[0]) for line in block) == 38  # 39 findings, one waived
    english = cli("audit", str(SAMPLES), "--as-of", AS_OF, "--statistics", "--lang", "en")[1]
    assert "Findings per rule (not counting waived ones):" in english
    assert "各规则问题数" not in cli("audit", str(SAMPLES), "--as-of", AS_OF)[1]
