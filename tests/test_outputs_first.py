"""Outputs are checked before any work: a report file that cannot be written, an annotated copy of a workbook that
cannot be annotated, an invalid baseline — exit 2 at once, nothing audited or printed, a message in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import AS_OF, ROOT, cli, write_xlsx

SAMPLE = ROOT / "sample_lists" / "区民政局-2018.xlsx"


@pytest.fixture
def csv_book(tmp_path: Path) -> Path:
    path = tmp_path / "区民政局.csv"
    path.write_text("信息名称,发布单位,形成日期,公开日期,公开渠道\n低保名单,区民政局,2018-03-01,2018-03-02,正文\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("args", "words"), [
    (["audit", "{csv}", "-o", "{tmp}/批注.xlsx"],
     ("只有 .xlsx 和 .xlsm 工作簿可以生成批注副本", "only .xlsx and .xlsm workbooks can be annotated")),
    (["audit", "{sample}", "-o", "/nonexistent/r.json"], ("无法写入", "cannot write", "no such directory")),
    (["audit", "{sample}", "-o", "{tmp}/r.json", "-o", "{tmp}/taken.json"], ("无法写入", "is a directory")),
    (["audit", "{sample}", "{csv}", "-o", "/nonexistent/findings.xlsx"], ("无法写入", "cannot write")),
    (["audit", "{sample}", "--baseline", "{tmp}/missing.json"], ("基线文件无效", "invalid baseline")),
    (["report", "{sample}", "-o", "/nonexistent/appendix.html"], ("无法写入", "cannot write")),
    (["baseline", "create", "{sample}", "-o", "/nonexistent/b.json"], ("无法写入", "cannot write")),
])
def test_outputs_are_checked_before_the_audit(args: list[str], words: tuple[str, ...], csv_book: Path,
                                              tmp_path: Path) -> None:
    values = {"csv": str(csv_book), "sample": str(SAMPLE), "tmp": str(tmp_path)}
    (tmp_path / "taken.json").mkdir()
    code, out, err = cli(*[a.format(**values) for a in args], "--as-of", AS_OF)
    assert code == 2
    assert out == ""  # nothing was audited and printed before the error
    assert all(word in err for word in words), err
    assert "Traceback" not in err
    assert not (tmp_path / "r.json").exists()


def test_a_damaged_xlsx_still_names_itself_in_both_languages(tmp_path: Path) -> None:
    book = tmp_path / "区民政局-2018.xlsx"
    book.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _, err = cli("audit", str(book), "--as-of", AS_OF, "-o", str(tmp_path / "copy.xlsx"))
    assert code == 2 and "无法打开 / cannot be opened" in err and str(book) in err


def test_a_writable_output_is_written_after_the_audit(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "区教委-2018.xlsx", {"信息发布登记": [["信息名称", "发布单位", "形成日期", "公开日期"]]})
    code, out, err = cli("audit", str(book), "--as-of", AS_OF, "-o", str(tmp_path / "r.json"))
    assert code in (0, 1), err
    assert out and (tmp_path / "r.json").read_text("utf-8").startswith("{")
