"""Bad input: a clear finding or error, never a traceback, and the input file is never modified."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import openpyxl
import pytest
from helpers import AS_OF, audit_json, cli, write_xlsx
from msoffcrypto.format.ooxml import OOXMLFile

GOOD = [["收到日期", "处理日期"], ["2018-09-03", "2018-09-04"]]


def _encrypted(path: Path, tmp_path: Path) -> Path:
    plain = write_xlsx(tmp_path / "plain.xlsx", {"网民纠错": GOOD})
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    plain.unlink()
    return path


def _corrupt(path: Path, tmp_path: Path) -> Path:
    write_xlsx(path, {"网民纠错": GOOD})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a truncated download
    return path


BAD_FILES = {
    "empty.xlsx": (lambda p, t: p.write_bytes(b"") and p, "文件为空"),
    "random.xlsx": (lambda p, t: p.write_bytes(os.urandom(4096)) and p, "不是 Excel 工作簿"),
    "truncated.xlsx": (_corrupt, "已损坏"),
    "password.xlsx": (_encrypted, "设有打开密码"),
    "text.xlsx": (lambda p, t: p.write_text("序号,名称\n1,a\n", encoding="utf-8") and p, "不是 Excel 工作簿"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_unreadable_file_is_one_tz001_finding(name: str, tmp_path: Path) -> None:
    make, words = BAD_FILES[name]
    path = tmp_path / name
    make(path, tmp_path)
    code, out, err = cli("audit", str(path), "--as-of", AS_OF)
    assert code == 1
    assert "Traceback" not in out + err
    report = audit_json(path)
    (finding,) = report["findings"]
    assert (finding["rule"], finding["sheet"], finding["cell"]) == ("TZ001", None, None)
    assert words in finding["message"]
    assert report["files"][0]["status"] == "unreadable"


def test_a_directory_reports_every_file_even_when_some_are_unreadable(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a-网民纠错.xlsx", {"网民纠错": GOOD})
    (tmp_path / "b-broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    write_xlsx(tmp_path / "c-网民纠错.xlsx", {"网民纠错": [*GOOD, ["2018-09-05", "2018-09-01"]]})
    (tmp_path / "~$a-网民纠错.xlsx").write_bytes(b"lock")  # Office lock files are skipped
    (tmp_path / "notes.txt").write_text("not a workbook")
    report = audit_json(tmp_path)
    names = [Path(f["path"]).name for f in report["files"]]
    assert names == ["a-网民纠错.xlsx", "b-broken.xlsx", "c-网民纠错.xlsx"]
    assert [(Path(f["file"]).name, f["rule"]) for f in report["findings"]] == [
        ("b-broken.xlsx", "TZ001"), ("c-网民纠错.xlsx", "TZ008")
    ]


def test_protected_sheets_are_read_normally(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"网民纠错": GOOD})
    book = openpyxl.load_workbook(path)
    book["网民纠错"].protection.sheet = True
    book["网民纠错"].protection.password = "x"
    book.security.lockStructure = True
    book.save(path)
    assert audit_json(path)["findings"] == []


def test_workbook_with_no_recognised_sheet_fails(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"杂项": [["本工作簿说明"], ["随便", "写写"]]})  # 说明: instructions
    report = audit_json(path)
    assert [f["rule"] for f in report["findings"]] == ["TZ012", "TZ002"]  # file-level findings first
    code, _, _ = cli("audit", str(path), "--as-of", AS_OF)
    assert code == 1


@pytest.mark.parametrize("args", [["no-such-file.xlsx"], ["{empty}"], ["{empty}/*.xlsx"]])
def test_nothing_to_audit_exits_2(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x")
    code, out, err = cli("audit", *[a.format(empty=tmp_path / "empty") for a in args])
    assert code == 2
    assert "Traceback" not in out + err
    assert "nothing to audit" in err or "no such file" in err


def test_inputs_are_byte_identical_after_an_audit(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a-意见征集.xlsx", {"意见征集": [["决策事项"], ["x"]]})
    write_xlsx(tmp_path / "b-网民纠错.xlsx", {"网民纠错": GOOD})
    (tmp_path / "c.csv").write_text("收到日期,处理日期\n2018-09-03,x\n", encoding="gb18030")
    (tmp_path / "d.xlsx").write_bytes(os.urandom(100))
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    for fmt in ("table", "json"):
        cli("audit", str(tmp_path), "--as-of", AS_OF, "--format", fmt)
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert before == after


def test_report_lists_unreadable_files_in_every_format(tmp_path: Path) -> None:
    """The appendix over a directory of bad files: each is a row of 附表1, nothing crashes, nothing is written back."""
    for name, (make, _) in BAD_FILES.items():
        make(tmp_path / name, tmp_path)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    out_dir = tmp_path.parent / f"{tmp_path.name}-out"
    out_dir.mkdir()
    targets = [out_dir / f"appendix{suffix}" for suffix in (".xlsx", ".html", ".md")]
    code, _, err = cli("report", str(tmp_path), "--year", "2018", *[a for t in targets for a in ("-o", str(t))])
    assert code == 0, err
    text = targets[2].read_text("utf-8")
    assert text.count("(无法读取)") == len(BAD_FILES)
    assert all(t.stat().st_size > 0 for t in targets)
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()} == before
