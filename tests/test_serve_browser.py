"""The desk in a real browser: Debian's chromium driven by Playwright against `tzcheck serve` on 127.0.0.1. A clerk
signs in, drops the 区民政局 sample on the page, sees the finding at 公开清单!E9, downloads the annotated copy; the
office sees the dashboard. No Content-Security-Policy violation on any page.

The browser must start: when it cannot, this test fails (never skips). Screenshots of each page go to the test's
directory, and to docs/ when TZCHECK_SCREENSHOTS=1 (how docs/serve-*.png are made).
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from helpers import ROOT
from serve_helpers import PASSWORD, SAMPLE, Server, add_user

CHROMIUM = os.environ.get("TZCHECK_CHROMIUM", "/usr/bin/chromium")

DROP = """([name, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const file = new File([bytes], name, {type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"});
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const zone = document.getElementById("drop");
  for (const type of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: transfer}));
  }
}"""


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])  # fails if it can't
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                          locale="zh-CN")
            yield context.new_page()
        finally:
            browser.close()


def shot(page, tmp_path: Path, name: str) -> None:
    target = tmp_path / f"serve-{name}.png"
    page.screenshot(path=str(target), full_page=True)
    if os.environ.get("TZCHECK_SCREENSHOTS") == "1":
        shutil.copy(target, ROOT / "docs" / target.name)


def sign_in(page, url: str, name: str) -> None:
    page.goto(url + "/")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=已登录")


def test_a_clerk_drops_the_sample_and_the_office_sees_it(tmp_path: Path, browser_page) -> None:
    page = browser_page
    data = tmp_path / "data"
    add_user(data, "民政局填报员", "--agency", "区民政局")
    add_user(data, "公开办", "--admin")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    server = Server(data, "--workers", "1").start()
    try:
        page.goto(server.url + "/")
        assert page.locator("h1").inner_text() == "登录"
        shot(page, tmp_path, "login")
        sign_in(page, server.url, "民政局填报员")
        assert page.locator("#drop").is_visible()
        shot(page, tmp_path, "upload")

        payload = base64.b64encode(SAMPLE.read_bytes()).decode()
        page.evaluate(DROP, [SAMPLE.name, payload])  # the drop handler submits the form
        page.wait_for_url("**/submissions/*")
        page.wait_for_selector("text=公开清单!E9", timeout=60_000)  # the page updated itself when the audit ended
        row = page.locator("tr[data-cell='公开清单!E9']")
        assert "TZ101" in row.inner_text() and "公开依据" in row.inner_text()
        assert page.locator("td.fault[title='公开清单!E9']").count() == 1  # highlighted in the preview
        assert page.locator("#verdict").inner_text() == "未通过"
        shot(page, tmp_path, "report")

        with page.expect_download() as download:
            page.click("#annotated")
        saved = tmp_path / "annotated.xlsx"
        download.value.save_as(saved)
        assert download.value.suggested_filename.endswith("批注版.xlsx")
        book = openpyxl.load_workbook(saved)
        comment = book["公开清单"]["E9"].comment
        assert comment is not None and "TZ101" in comment.text

        page.click("button:has-text('退出')")
        page.wait_for_selector("input[name=password]")
        sign_in(page, server.url, "公开办")
        page.click("text=各单位报送情况")
        page.wait_for_selector("table.dashboard")
        if page.locator("select[name=year]").input_value() != "2018":
            page.select_option("select[name=year]", "2018")
            page.click("button:has-text('筛选')")
        agency = page.locator("tr[data-agency='mzj']")
        assert "未通过" in agency.inner_text() and "18" in agency.inner_text()
        assert "未报送" in page.locator("tr[data-agency='jw']").inner_text()
        shot(page, tmp_path, "office")
        page.click("tr[data-agency='mzj'] >> text=区民政局")
        page.wait_for_selector("svg.trend")
        shot(page, tmp_path, "agency")
    finally:
        server.stop()
    assert violations == []
