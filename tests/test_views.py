"""What a person sees of a baseline and of the HTML pages.

Baselines (real CLI runs on workbooks written here): a file's baselined findings are one line in the table and in
concise (`基线 N 条`), listed with --show-suppressed, labelled 基线 (not 已豁免, the workbook's own waiver) in every human
format; the baseline's entries that match nothing any more are counted under their file; the summary counts 基线.

The HTML report and the appendix in Debian's chromium driven by Playwright: severity colours, short columns one line
high, the agency and year in the title, a clean workbook said in words, the appendix's failed cross-checks standing
out, and Table 三 printed on one A4 page. The browser must start: when it cannot, these tests fail (never skip).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from helpers import AS_OF, ROOT, cli, write_xlsx

CHROMIUM = os.environ.get("TZCHECK_CHROMIUM", "/usr/bin/chromium")
HEAD = ["决策事项", "承办单位", "征求意见开始日期", "征求意见截止日期", "决策依据是否公开", "收到意见数", "采纳意见数", "未采纳理由",
        "采纳情况公开日期", "豁免说明"]
OK = ["规划草案", "区发展改革委", "2018-09-03", "2018-09-14", "是", 3, 3, None, "2018-09-28", None]


def _row(name: str, **changes: object) -> list:
    row = dict(zip(HEAD, OK, strict=True))
    row["决策事项"] = name
    row.update(changes)
    return list(row.values())


def _consultation(path: Path, *rows: list) -> Path:
    return write_xlsx(path, {"意见征集": [HEAD, *rows]})


def _tzcheck(*args: str, columns: int = 120) -> tuple[int, str]:
    """The real command in a subprocess (the table needs a console of known width)."""
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "tongzhou_check", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout


@pytest.fixture
def baselined(tmp_path: Path) -> tuple[Path, Path]:
    """A workbook whose two findings (TZ202 at E2, TZ205 at G3) and its file-level ones are in a baseline, then a new
    row above them with a new violation (TZ205 at G5) and one waived by the workbook (TZ201 at D6)."""
    path = tmp_path / "区发展改革委-意见征集.xlsx"
    _consultation(path, _row("甲", 决策依据是否公开="否"), _row("乙", 收到意见数=3, 采纳意见数=5))
    baseline = tmp_path / "baseline.json"
    assert cli("baseline", "create", str(path), "-o", str(baseline), "--as-of", AS_OF)[0] == 0
    _consultation(path, _row("新增"), _row("甲", 决策依据是否公开="否"), _row("乙", 收到意见数=3, 采纳意见数=5),
                  _row("丁", 收到意见数=1, 采纳意见数=2),
                  _row("戊", 征求意见截止日期="2018-09-07", 豁免说明="TZ201: 紧急决策,经区政府批准"))
    return path, baseline


def _json(path: Path, *extra: str) -> dict:
    code, out, err = cli("audit", str(path), "--as-of", AS_OF, "--format", "json", "--fail-on", "never", *extra)
    assert code == 0, err
    return json.loads(out)


def _baselined_cells(report: dict) -> list[str]:
    return [f["cell"] for f in report["findings"] if (f["suppressed"] or {}).get("by") == "baseline" and f["cell"]]


def test_the_table_counts_a_files_baselined_findings_in_one_line(baselined: tuple[Path, Path]) -> None:
    path, baseline = baselined
    report = _json(path, "--baseline", str(baseline))
    count = report["summary"]["baselined"]
    assert sorted(_baselined_cells(report)) == ["E3", "G4"] and count >= 2  # the file-level duty findings too
    code, table = _tzcheck("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "table")
    assert code == 1  # the new TZ205 fails the gate
    assert "意见征集!G5" in table and "错误" in table  # the new finding, listed
    assert "意见征集!E3" not in table and "意见征集!G4" not in table  # the baselined ones, not one by one
    assert table.count(f"基线 {count} 条:已记录在基线中的问题不再逐条列出") == 1
    assert "--show-suppressed 列出" in table
    waived = [line for line in table.splitlines() if "意见征集!D6" in line]
    assert waived and "已豁免" in waived[0]  # the workbook's own waiver keeps its word
    summary = table.splitlines()[-1]
    assert summary.endswith(f"已豁免 1,基线 {count}。"), summary
    assert "已豁免(基线)" not in table


def test_concise_counts_them_too_and_show_suppressed_lists_them(baselined: tuple[Path, Path]) -> None:
    path, baseline = baselined
    count = _json(path, "--baseline", str(baseline))["summary"]["baselined"]
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "concise")
    lines = out.splitlines()
    assert code == 1 and not [line for line in lines if "意见征集!E3" in line or "意见征集!G4" in line]
    assert f"{path}: 基线 {count} 条:已记录在基线中的问题不再逐条列出,也不导致失败;加 --show-suppressed 列出。" in lines
    code, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "concise",
                       "--show-suppressed")
    listed = {re.search(r"!([A-Z]+[0-9]+): (TZ[0-9]{3}) (\S+)", line).groups() for line in out.splitlines()
              if re.search(r"!([A-Z]+[0-9]+): TZ", line)}
    assert {("E3", "TZ202", "基线"), ("G4", "TZ205", "基线"), ("G5", "TZ205", "错误"), ("D6", "TZ201", "已豁免")} <= listed
    assert "不再逐条列出" not in out
    _, table = _tzcheck("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "table",
                        "--show-suppressed")
    rows = [line for line in table.splitlines() if "意见征集!E3" in line or "意见征集!G4" in line]
    assert len(rows) == 2 and all("│ 基线 " in row for row in rows)
    _, english = _tzcheck("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "table",
                          "--lang", "en")
    assert f"baseline: {count} findings recorded in the baseline are not listed" in english
    assert english.splitlines()[-1].endswith(f"1 waived, {count} baseline.")


def test_stale_entries_show_under_their_file(tmp_path: Path) -> None:
    path = _consultation(tmp_path / "区发展改革委-意见征集.xlsx", _row("甲", 决策依据是否公开="否"), _row("乙"))
    baseline = tmp_path / "baseline.json"
    cli("baseline", "create", str(path), "-o", str(baseline), "--as-of", AS_OF)
    doc = json.loads(baseline.read_text("utf-8"))
    doc["findings"].append({"fingerprint": "0" * 32, "rule": "TZ201", "file": "区教委-2018.xlsx", "sheet": "意见征集",
                            "subject": None})  # a workbook not audited this time
    baseline.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    _consultation(path, _row("甲"), _row("乙"))  # TZ202 fixed
    report = _json(path, "--baseline", str(baseline))
    assert sorted(e["rule"] for e in report["baseline"]["unmatched"]) == ["TZ201", "TZ202"]  # the JSON, as before
    code, table = _tzcheck("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "table")
    text = " ".join(table.split())  # the lines as read, wherever they wrap
    assert "基线中有 1 条记录已无对应问题(TZ202 1 个):问题已改正或已变化。用 tzcheck baseline create 重新生成基线。" in text
    assert "基线中另有 1 条记录属于本次未检查的文件。" in text
    assert code == 0
    _, out, _ = cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "concise",
                    "--lang", "en")
    assert f"{path}: 1 baseline entries match no finding any more (TZ202: 1): fixed or changed." in out
    assert "1 more baseline entries belong to files not audited here." in out


def test_a_hand_edited_baseline_is_shown_masked_and_as_text(tmp_path: Path) -> None:
    path = _consultation(tmp_path / "区发展改革委-意见征集.xlsx", _row("甲"))
    baseline = tmp_path / "baseline.json"
    entries = [{"fingerprint": "0" * 32, "rule": "[bold]13812345678", "file": path.name},
               {"fingerprint": "1" * 32, "rule": ["TZ201"], "file": 7}]
    baseline.write_text(json.dumps({"version": 1, "findings": entries}), "utf-8")
    code, table = _tzcheck("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--format", "table")
    assert code == 0 and "13812345678" not in table
    assert "基线中有 1 条记录已无对应问题([bold]138****5678 1 个)" in " ".join(table.split())
    assert "基线中另有 1 条记录属于本次未检查的文件。" in table


def test_without_a_baseline_nothing_changes(tmp_path: Path) -> None:
    path = _consultation(tmp_path / "区发展改革委-意见征集.xlsx", _row("甲", 决策依据是否公开="否"))
    _, table = _tzcheck("audit", str(path), "--as-of", AS_OF, "--format", "table")
    assert "基线" not in table and re.search(r"已豁免 0。$", table.splitlines()[-1])


def test_markdown_html_and_the_annotated_copy_say_baseline(baselined: tuple[Path, Path], tmp_path: Path) -> None:
    path, baseline = baselined
    md, page, copy = tmp_path / "r.md", tmp_path / "r.html", tmp_path / "批注.xlsx"
    code, _, err = cli("audit", str(path), "--as-of", AS_OF, "--baseline", str(baseline), "--fail-on", "never",
                       "-o", str(md), "-o", str(page), "-o", str(copy))
    assert code == 0, err
    lines = md.read_text("utf-8").splitlines()
    (e3,) = [line for line in lines if line.startswith("| 意见征集!E3 |")]
    assert "| 基线 |" in e3 and "(已记录在基线中)" in e3 and "豁免理由" not in e3
    (d6,) = [line for line in lines if line.startswith("| 意见征集!D6 |")]
    assert "| 已豁免 |" in d6 and "豁免理由:紧急决策,经区政府批准" in d6
    html = page.read_text("utf-8")
    assert re.search(r'<tr class="suppressed"><th scope="row" class="short">意见征集!E3</th>.*?>基线</td>', html)
    assert "已豁免(基线)" not in html and "基线 " in html  # the summary's count
    book = openpyxl.load_workbook(copy)
    sheet = book.worksheets[0]  # the findings sheet comes first
    severity = {row[0].value: row[2].value for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert severity["意见征集!E3"] == "基线" and severity["意见征集!G5"] == "错误" and severity["意见征集!D6"] == "已豁免"


@pytest.mark.parametrize(("lang", "words"), [("zh_CN.UTF-8", "表格逐条列出基线中的问题"),
                                             ("en_US.UTF-8", "the table lists baselined findings")])
def test_help_names_show_suppressed(lang: str, words: str) -> None:
    env = {**os.environ, "COLUMNS": "200", "LANG": lang, "LC_ALL": lang, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "tongzhou_check", "audit", "-h"], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, check=False)
    assert "--show-suppressed" in done.stdout and words in done.stdout


# the HTML pages in a real browser

@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])  # fails if it can't
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 900, "height": 900}, locale="zh-CN")
    try:
        yield context.new_page()
    finally:
        context.close()


LINES = """(el) => { const range = document.createRange(); range.selectNodeContents(el);
  return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size; }"""  # lines the text takes
STYLE = "(el, name) => getComputedStyle(el)[name]"


def test_html_report_colours_severities_and_never_wraps_short_columns(tmp_path: Path, page) -> None:
    path = _consultation(tmp_path / "区发展改革委-2018.xlsx",
                         _row("甲", 决策依据是否公开="否"),  # TZ202: a warning
                         _row("乙", 收到意见数=3, 采纳意见数=5),  # TZ205: an error
                         _row("戊", 征求意见截止日期="2018-09-07", 豁免说明="TZ201: 紧急决策,经区政府批准"))  # waived
    target = tmp_path / "report.html"
    code, _, err = cli("audit", str(path), "--as-of", AS_OF, "--fail-on", "never", "-o", str(target))
    assert code == 0, err
    page.goto(target.as_uri())
    assert "区发展改革委" in page.title() and "2018年度" in page.title()
    assert page.locator("h1").inner_text() == page.title()
    rows = page.locator("tbody tr")
    severity = {rows.nth(i).locator("th").inner_text(): rows.nth(i) for i in range(rows.count())}
    error, warning, waived = severity["意见征集!G3"], severity["意见征集!E2"], severity["意见征集!D4"]
    colours = {name: (row.locator("td.severity").evaluate(STYLE, "color"), row.locator("td").first.evaluate(
        STYLE, "backgroundColor")) for name, row in (("error", error), ("warning", warning), ("waived", waived))}
    assert len({c for c, _ in colours.values()}) == 3 and len({b for _, b in colours.values()}) == 3, colours
    assert error.locator("td.severity").inner_text() == "错误" and waived.locator("td.severity").inner_text() == "已豁免"
    for row in (error, warning, waived):
        for cell in row.locator(".short").all():  # 位置, 规则, 级别, 条款: each on one line
            assert cell.evaluate(STYLE, "whiteSpace") == "nowrap"
            assert cell.evaluate(LINES) == 1, cell.inner_text()
        assert row.locator("td.wide").evaluate(LINES) >= 1
    for header in page.locator("thead th").all():  # 级别 and 条款 are not 级/别 and 条/款
        assert header.evaluate(LINES) == 1, header.inner_text()


def test_a_clean_workbook_says_so(tmp_path: Path, page) -> None:
    path = _consultation(tmp_path / "区发展改革委-2018.xlsx", _row("甲"))
    target = tmp_path / "clean.html"
    code, _, err = cli("audit", str(path), "--as-of", AS_OF, "--ignore", "TZ120,TZ121", "-o", str(target))
    assert code == 0, err
    page.goto(target.as_uri())
    assert page.locator("table").count() == 0
    clean = page.locator("p.empty")
    assert clean.inner_text() == "未发现问题" and clean.is_visible()
    assert clean.evaluate(STYLE, "color") != page.locator("body").evaluate(STYLE, "color")
    english = tmp_path / "clean-en.html"
    cli("audit", str(path), "--as-of", AS_OF, "--ignore", "TZ120,TZ121", "--lang", "en", "-o", str(english))
    page.goto(english.as_uri())
    assert page.locator("p.empty").inner_text() == "no findings" and page.title().endswith(": 区发展改革委 · 2018")


TYPES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
OUTCOMES = ["予以公开", "部分公开", "不予公开/属于国家秘密", "无法提供/本机关不掌握相关政府信息", "不予处理/重复申请",
            "其他处理/其他"]


def test_appendix_cross_checks_stand_out_and_table_3_prints_on_one_a4_page(tmp_path: Path, page) -> None:
    rows = [["申请编号", "申请人类型", "收到日期", "答复日期", "处理结果"]]
    for i in range(30):
        rows.append([f"2018-{i:03d}", TYPES[i % 6], f"2018-03-{i % 28 + 1:02d}", f"2018-04-{i % 28 + 1:02d}",
                     OUTCOMES[i % 6]])
    rows.append(["2018-900", "自然人", "2018-06-02", "2018-06-06", "已办结"])  # replied, placed nowhere: a ✗
    book = write_xlsx(tmp_path / "区民政局-2018.xlsx", {"依申请公开登记": rows})
    target = tmp_path / "appendix.html"
    code, _, err = cli("report", str(book), "--year", "2018", "-o", str(target))
    assert code == 0, err
    page.goto(target.as_uri())
    section = page.locator("section", has=page.locator("h2", has_text="附表3"))
    failed = section.locator("ul.notes li.failed")
    assert failed.count() >= 1 and "✗" in failed.first.inner_text()
    passed = section.locator("ul.notes li.passed").first
    assert "✓" in passed.inner_text()
    plain = section.locator("ul.notes li:not(.failed):not(.passed)").first
    assert failed.first.evaluate(STYLE, "color") not in {passed.evaluate(STYLE, "color"), plain.evaluate(STYLE, "color")}
    assert failed.first.evaluate(STYLE, "fontWeight") == "700"
    # print: A4, a compact font; Table 三 (its section) is never split across pages
    page.emulate_media(media="print")
    assert section.locator("td.num").first.evaluate(STYLE, "fontSize") == "10px"
    width, height = 210 / 25.4 * 96, 297 / 25.4 * 96  # an A4 page in CSS px
    margin = 12 / 25.4 * 96
    page.set_viewport_size({"width": round(width - 2 * margin), "height": round(height - 2 * margin)})
    assert section.bounding_box()["height"] <= height - 2 * margin  # it fits a page: break-inside keeps it on one
    assert section.evaluate(STYLE, "breakInside") == "avoid"
    pdf = tmp_path / "appendix.pdf"
    for offset in (0, 250, 500, 750):  # wherever on a page the table would start, it is printed whole
        section.evaluate(SPACER, offset)
        page.pdf(path=str(pdf), format="A4")
        text = _pdf_pages(pdf)
        pages = [n for n, words in enumerate(text) if "依申请公开办理情况" in words or "结转下年度继续办理" in words]
        assert len(pages) == 1, (offset, pages)
        assert "结转下年度继续办理" in text[pages[0]] and "依申请公开办理情况" in text[pages[0]]


SPACER = """(section, height) => { document.getElementById("spacer")?.remove();
  const spacer = document.createElement("div"); spacer.id = "spacer"; spacer.style.height = height + "px";
  section.before(spacer); }"""


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext; pages are separated by form feeds)."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")
