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


# 2. Numbers and dates out of range ---------------------------------------------------------------------------

APPLICATION = ["申请编号", "申请人类型", "收到日期", "答复日期", "不计算期限工作日", "办理结果"]


@pytest.mark.parametrize("days", [1e308, 1e20, "99999999999999999999999", 3651])
def test_a_day_count_past_what_it_can_mean_is_tz006(tmp_path: Path, days: object) -> None:
    path = tmp_path / "区民政局-2018.xlsx"
    from helpers import write_xlsx

    write_xlsx(path, {"依申请公开": [APPLICATION, ["2018-001", "自然人", "2018-09-03", "2018-09-20", days, "予以公开"],
                                   ["2018-002", "自然人", "2018-09-03", "2018-09-20", 3, "予以公开"]]})
    result, report = audit_json(path)
    assert result.code == 1
    assert_clean(result)
    found = [f for f in report["findings"] if f["rule"] == "TZ006"]
    assert [(f["sheet"], f["cell"]) for f in found] == [("依申请公开", "E2")]
    assert "应为 0 至 3650 的整数" in found[0]["message"]
    appendix = run("report", str(path), "--year", "2018")
    assert appendix.code == 0
    assert_clean(appendix)


@pytest.mark.parametrize("args", [("--days", "999999999"), ("--add", "999999999"), ("--days", "-999999999")])
def test_workdays_refuses_a_count_past_the_calendar(args: tuple[str, str]) -> None:
    result = run("workdays", "2018-09-28", *args)
    assert result.code == 2
    assert_clean(result)


# 3. Loaders that caught too little ---------------------------------------------------------------------------

def _pack_with(tmp_path: Path, name: str, content: bytes) -> Path:
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "tongzhou-2018", pack)
    (pack / name).write_bytes(content)
    return pack


def _alias_bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


LOADER_CASES = {
    "pack binary": ("--rules", "pack.yaml", b"\xff\xfe\x00binary\x80", "not UTF-8"),
    "pack deep": ("--rules", "pack.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, "nesting depth"),
    "pack alias bomb": ("--rules", "pack.yaml", _alias_bomb(), "alias bomb"),
    "rule alias bomb": ("--rules", "rules/TZ001.yaml", _alias_bomb(), "alias bomb"),
    "config binary": ("--config", "tzcheck.toml", b"\xff\xfe\x00\x80", "not UTF-8"),
    "config deep": ("--config", "tzcheck.toml", b"a = " + b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "config empty pattern": ("--config", "tzcheck.toml", '[agencies]\n"" = "区教委"\n'.encode(), "agencies"),
    "calendar binary": ("--calendar", "cal.yaml", b"\xff\xfe\x00\x80", "not UTF-8"),
    "calendar year": ("--calendar", "cal.yaml", b"years:\n  99999:\n    holidays: []\n", "1900"),
    "calendar bomb": ("--calendar", "cal.yaml", _alias_bomb(), "alias bomb"),
    "baseline binary": ("--baseline", "base.json", b"\xff\xfe\x00\x80", "not UTF-8"),
    "baseline deep": ("--baseline", "base.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(LOADER_CASES))
def test_a_broken_settings_file_is_exit_2_naming_it(tmp_path: Path, case: str) -> None:
    option, name, content, said = LOADER_CASES[case]
    if option == "--rules":
        target, value = tmp_path / "pack" / name, _pack_with(tmp_path, name, content)
    else:
        target = value = tmp_path / name
        target.write_bytes(content)
    result = run("audit", "sample_lists/区教委-2018.xlsx", "--as-of", AS_OF, option, str(value), timeout=60)
    assert result.code == 2
    assert_clean(result, str(target), said)
    assert result.seconds < 30 and result.peak_mb < PEAK_MB


@pytest.mark.parametrize("option", ["--calendar", "--config", "--baseline"])
def test_a_settings_path_that_is_not_a_file_is_exit_2(option: str, tmp_path: Path) -> None:
    for target in ("/dev/zero", str(tmp_path)):
        result = run("audit", "sample_lists/区教委-2018.xlsx", "--as-of", AS_OF, option, target, timeout=30)
        assert result.code == 2
        assert_clean(result, target)


# 7. Paths out of a pack --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [("kinds", "/etc/passwd"), ("rules", "../../../../etc"),
                                              ("duties", "../duties.yaml"), ("calendar", "/etc/hostname")])
def test_a_pack_names_files_inside_its_folder_only(tmp_path: Path, field: str, value: str) -> None:
    pack = _pack_with(tmp_path, "README-unused.txt", b"")
    manifest = pack / "pack.yaml"
    lines = manifest.read_text("utf-8").splitlines()
    lines = [line for line in lines if not line.startswith(f"{field}:")] + [f"{field}: {value}"]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("audit", "sample_lists/区教委-2018.xlsx", "--as-of", AS_OF, "--rules", str(pack), timeout=30)
    assert result.code == 2
    assert_clean(result, f"$.{field}", "inside the pack's folder")
    assert "root:" not in result.out + result.err


def test_a_schema_error_quotes_a_short_masked_excerpt(tmp_path: Path) -> None:
    pack = _pack_with(tmp_path, "kinds.yaml", ("身份证号110101199003074477 " + "很长的内容" * 200).encode())
    result = run("audit", "sample_lists/区教委-2018.xlsx", "--as-of", AS_OF, "--rules", str(pack), timeout=30)
    assert result.code == 2
    assert_clean(result, "kinds.yaml")
    assert "110101199003074477" not in result.err and len(result.err) < 600


# 8. Merges beyond the data -----------------------------------------------------------------------------------

@pytest.mark.parametrize("merges", [["A20:F20"], ["H1:J30"], ["A3:F3", "A40:F41", "Z1:AB2"]])
def test_merged_ranges_past_the_cells_are_cut_to_them(tmp_path: Path, merges: list[str]) -> None:
    from helpers import write_xlsx

    path = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"意见征集": [
        ["序号", "征集事项", "起始日期", "截止日期", "收到意见数", "采纳意见数"],
        [1, "关于某事项的意见征集", "2018-03-01", "2018-03-10", 3, 1]]}, merges={"意见征集": merges})
    result, report = audit_json(path)
    assert result.code in (0, 1)
    assert_clean(result)
    assert report["files"][0]["status"] == "ok"
    assert report["summary"]["rows"] >= 1


# 4. Rich markup in what users type ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("audit", "sample_lists/区教委-2018.xlsx", "--agency", "[/x]"),
    ("audit", "sample_lists/[bold]不存在[/].xlsx"),
    ("explain", "[/red]"),
    ("duties", "[link=x]"),
    ("audit", "sample_lists/区教委-2018.xlsx", "--as-of", "[/]"),
])
def test_user_text_in_an_error_is_printed_as_typed(args: tuple[str, ...]) -> None:
    result = run(*args, timeout=30)
    assert result.code == 2
    assert_clean(result, "tzcheck:")
    assert "MarkupError" not in result.err
    typed = next(a for a in args[1:] if "[" in a)
    assert typed.replace("sample_lists/", "").split(".xlsx")[0] in result.err


def test_a_configuration_value_with_markup_is_printed_as_typed(tmp_path: Path) -> None:
    config = tmp_path / "tzcheck.toml"
    config.write_text('agency = "[/red]不存在"\n', encoding="utf-8")
    result = run("audit", "sample_lists/区教委-2018.xlsx", "--config", str(config), timeout=30)
    assert result.code == 2
    assert_clean(result, "[/red]不存在")


# 5. Control characters never reach a terminal ----------------------------------------------------------------

UNSEEN = ("\x1b", "\x07", "\u202e", "\x9b")


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx_with_controls(path: Path) -> Path:
    """Cells holding ESC, BEL and C1 as Excel writes them (`_x001B_`), in a sheet named with an RTL override."""
    headers = ["序号", "征集事项", "起始日期", "截止日期", "收到意见数", "采纳意见数"]
    head = "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(headers))
    row = (_cell("A2", "1") + _cell("B2", "关于_x001B_[2J某事项_x009B_") + _cell("C2", "2018-03-01")
           + _cell("D2", "2018-03-02") + _cell("E2", "十_x001B_]0;title_x0007_二") + _cell("F2", "1"))
    package = hostile.package(path, f'<worksheet xmlns="{hostile.MAIN}"><sheetData><row r="1">{head}</row>'
                                    f'<row r="2">{row}</row></sheetData></worksheet>')
    with zipfile.ZipFile(package) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("意见征集".encode(), "意见\u202e征集".encode())
    with zipfile.ZipFile(package, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("fmt", ["table", "concise", "markdown", "html", "github", "json", "sarif", "junit"])
def test_control_characters_are_shown_escaped_in_every_format(tmp_path: Path, fmt: str) -> None:
    xlsx = _xlsx_with_controls(tmp_path / "ctrl.xlsx")
    csv = tmp_path / "esc\x1b[2J-意见征集.csv"
    csv.write_bytes("序号,征集事项,起始日期,截止日期,收到意见数,采纳意见数\n"
                    "1,\x1b]0;pwned\x07关于\u202e某事项,2018-03-01,2018-03-02,x\x1b[31m,1\n".encode())
    result = run("audit", str(xlsx), str(csv), "--as-of", AS_OF, "--format", fmt, "-o", str(tmp_path / "r.txt"))
    assert result.code == 1
    for text in (result.out, result.err, (tmp_path / "r.txt").read_text("utf-8")):
        assert not any(ch in text for ch in UNSEEN), fmt
    assert "\\x1b" in result.out + result.err
    assert_clean(result)


# 6. Paths that are not regular files -------------------------------------------------------------------------

def test_a_fifo_a_device_and_a_loop_are_notes_not_hangs(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "管道.xlsx")
    (tmp_path / "零.xlsx").symlink_to("/dev/zero")
    (tmp_path / "环.xlsx").symlink_to(tmp_path / "环.xlsx")
    (tmp_path / "好.xlsx").write_bytes((ROOT / "sample_lists" / "区教委-2018.xlsx").read_bytes())
    result = run("audit", str(tmp_path / "管道.xlsx"), str(tmp_path / "零.xlsx"), str(tmp_path / "好.xlsx"),
                 "--as-of", AS_OF, "--format", "json", timeout=30)
    assert result.code == 0
    assert_clean(result, "管道.xlsx", "零.xlsx", "不是普通文件")
    assert [f["path"] for f in json.loads(result.out)["files"]] == [str(tmp_path / "好.xlsx")]
    globbed = run("audit", f"{tmp_path}/*.xlsx", "--as-of", AS_OF, "--format", "concise", timeout=30)
    assert globbed.code == 0
    assert_clean(globbed, "环.xlsx")
    alone = run("audit", str(tmp_path / "环.xlsx"), "--as-of", AS_OF, timeout=30)
    assert alone.code == 2
    assert_clean(alone, "环.xlsx")


def test_an_output_that_is_the_input_by_another_name_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "区教委-2018.xlsx"
    source.write_bytes((ROOT / "sample_lists" / "区教委-2018.xlsx").read_bytes())
    before = sha256(source)
    os.link(source, tmp_path / "硬链接.json")
    (tmp_path / "软链接.json").symlink_to(source)
    (tmp_path / "环.json").symlink_to(tmp_path / "环.json")
    for target, said in (("硬链接.json", "overwrite an input"), ("软链接.json", "overwrite an input"),
                         ("环.json", "symbolic link")):
        result = run("audit", str(source), "--as-of", AS_OF, "-o", str(tmp_path / target), timeout=30)
        assert result.code == 2
        assert_clean(result, target, said)
    assert sha256(source) == before


def test_an_annotated_copy_openpyxl_cannot_open_says_why(tmp_path: Path) -> None:
    xlsx = _xlsx_with_controls(tmp_path / "最小.xlsx")
    result = run("audit", str(xlsx), "--as-of", AS_OF, "-o", str(tmp_path / "批注.xlsx"), timeout=60)
    assert result.code == 2
    assert_clean(result, "最小.xlsx", "openpyxl 无法读取此工作簿", "cannot read it", "File contains no valid workbook")
