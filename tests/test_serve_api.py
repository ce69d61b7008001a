"""The desk's routes through httpx's client (the app in-process, its worker pool real): sign-in, uploads good, bad
and hostile, access across agencies, CSRF, the size cap, security headers, escaping and masking."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import docx
import jsonschema
import openpyxl
import pytest
from fastapi.testclient import TestClient
from helpers import REPORT_SCHEMA, ROOT
from serve_helpers import (
    PASSWORD,
    SAMPLE,
    add_user,
    bearer,
    csrf_of,
    page_csrf,
    sign_in,
    upload,
    wait_done,
)
from sqlalchemy import select

from tongzhou_check.serve.app import create_app
from tongzhou_check.serve.config import ServeSettings
from tongzhou_check.serve.db import FAILED, Submission

CAP = 1024 * 1024  # the tests' upload cap


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    data = tmp_path_factory.mktemp("desk")
    tokens = {"mzj": add_user(data, "民政局填报员", "--agency", "区民政局"),
              "jw": add_user(data, "教委填报员", "--agency", "区教委"),
              "office": add_user(data, "公开办", "--admin")}
    settings = ServeSettings(data=data, max_upload=CAP, workers=2)
    app = create_app(settings)
    with TestClient(app) as client:
        yield SimpleNamespace(client=client, tokens=tokens, data=data, app=app)


@pytest.fixture(scope="module")
def sample_done(desk: SimpleNamespace) -> dict:
    """区民政局's sample, uploaded once through the API and audited."""
    response = upload(desk.client, desk.tokens["mzj"], SAMPLE)
    assert response.status_code == 202, response.text
    assert response.json()["status"] in ("queued", "auditing", "done")
    body = wait_done(desk.client, desk.tokens["mzj"], response.json()["id"])
    assert body["status"] == "done", body
    return body


def _rows(desk: SimpleNamespace) -> list[Submission]:
    with desk.app.state.tz.sessions() as db:
        return list(db.scalars(select(Submission)))


def test_users_add_prints_the_token_alone_on_its_last_line_and_refuses_duplicates(tmp_path: Path) -> None:
    from helpers import cli

    token = add_user(tmp_path, "clerk", "--agency", "区教委")
    assert token.startswith("tzk_")
    code, out, err = cli("serve", "users", "add", "clerk", "--agency", "区教委", "--password", PASSWORD,
                         "--data", str(tmp_path))
    assert code == 2 and "用户已存在" in err and "Traceback" not in out + err
    code, out, err = cli("serve", "users", "add", "x", "--agency", "不存在的局", "--password", PASSWORD,
                         "--data", str(tmp_path))
    assert code == 2 and "未知单位" in err
    code, out, err = cli("serve", "users", "add", "y", "--password", PASSWORD, "--data", str(tmp_path))
    assert code == 2 and "--agency" in err
    # no password given and no terminal: one is generated and printed, the token still last
    code, out, _ = cli("serve", "users", "add", "z", "--agency", "区教委", "--data", str(tmp_path))
    assert code == 0 and "密码 / password:" in out and out.strip().splitlines()[-1].startswith("tzk_")


def test_audit_start_up_does_not_import_the_web_stack() -> None:
    code = ("import sys, tongzhou_check.cli; "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'sqlalchemy', 'starlette', 'alembic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_root_is_html_with_a_strict_content_security_policy(desk: SimpleNamespace) -> None:
    response = desk.client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # no inline script: only <script src=…>
    assert 'name="password"' in response.text


def test_sign_in_sets_an_httponly_strict_session_cookie(desk: SimpleNamespace) -> None:
    client = desk.client
    wrong = sign_in(client, "民政局填报员", "not-the-password")
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    response = sign_in(client, "民政局填报员")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "tzcheck_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = client.get("/")
    assert "报送工作簿" in home.text and "民政局填报员" in home.text
    english = client.get("/?lang=en")
    assert "Submit a workbook" in english.text
    client.get("/?lang=zh")


def test_login_without_its_csrf_token_is_refused(desk: SimpleNamespace) -> None:
    client = desk.client
    client.cookies.clear()
    client.get("/login")
    response = client.post("/login", data={"name": "民政局填报员", "password": PASSWORD, "csrf": "forged"},
                           follow_redirects=False)
    assert response.status_code == 403 and "tzcheck_session" not in response.headers.get("set-cookie", "")


def test_login_attempts_are_rate_limited(tmp_path: Path) -> None:
    add_user(tmp_path, "clerk", "--agency", "区教委")
    app = create_app(ServeSettings(data=tmp_path, login_attempts=3, login_window=60))
    with TestClient(app) as client:
        for _ in range(3):
            assert sign_in(client, "clerk", "wrong-password").status_code == 401
        blocked = sign_in(client, "clerk")  # even the right password, while the window lasts
        assert blocked.status_code == 429 and "登录失败次数过多" in blocked.text


def test_api_needs_a_token(desk: SimpleNamespace, sample_done: dict) -> None:
    client = desk.client
    client.cookies.clear()
    assert client.get(f"/api/v1/submissions/{sample_done['id']}").status_code == 401
    assert client.get(f"/api/v1/submissions/{sample_done['id']}", headers=bearer("tzk_forged")).status_code == 401
    with SAMPLE.open("rb") as fh:
        response = client.post("/api/v1/submissions", files={"file": (SAMPLE.name, fh)})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_the_api_report_is_the_cli_json_report(desk: SimpleNamespace, sample_done: dict, tmp_path: Path) -> None:
    report = sample_done["report"]
    jsonschema.validate(report, REPORT_SCHEMA)
    assert sample_done["passed"] is False and sample_done["errors"] == report["summary"]["errors"] > 0
    cells = {f"{f['sheet']}!{f['cell']}" for f in report["findings"] if f["cell"]}
    assert "公开清单!E9" in cells
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    cli = subprocess.run([sys.executable, "-m", "tongzhou_check", "audit", SAMPLE.name, "--as-of", "2018-12-31",
                          "--agency", "mzj", "--format", "json"], cwd=tmp_path, capture_output=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert cli.returncode == 1, cli.stderr
    assert json.loads(cli.stdout) == report
    english = desk.client.get(f"/api/v1/submissions/{sample_done['id']}?lang=en",
                              headers=bearer(desk.tokens["mzj"])).json()["report"]
    assert any("publication basis" in f["message"] or "basis" in f["message"] for f in english["findings"])
    openapi = desk.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/submissions" in openapi["paths"] and "/api/v1/submissions/{submission_id}" in openapi["paths"]


def test_another_agency_gets_404_for_a_submission_its_file_and_its_annotated_copy(
        desk: SimpleNamespace, sample_done: dict) -> None:
    client, sid = desk.client, sample_done["id"]
    assert client.get(f"/api/v1/submissions/{sid}", headers=bearer(desk.tokens["jw"])).status_code == 404
    assert sign_in(client, "教委填报员").status_code == 303
    for path in (f"/submissions/{sid}", f"/submissions/{sid}/file", f"/submissions/{sid}/annotated",
                 f"/submissions/{sid}/report.json"):
        assert client.get(path).status_code == 404, path
    assert str(sid) not in [row for row in client.get("/").text.split('href="/submissions/')[1:]]
    assert client.get("/office").status_code == 403  # only the office sees the dashboard
    assert client.get("/office/appendix.md?year=2018").status_code == 403
    listed = client.get("/api/v1/submissions", headers=bearer(desk.tokens["jw"])).json()
    assert all(s["id"] != sid for s in listed)
    # the owner and the office see it
    assert client.get(f"/api/v1/submissions/{sid}", headers=bearer(desk.tokens["office"])).status_code == 200
    assert sign_in(client, "民政局填报员").status_code == 303
    annotated = client.get(f"/submissions/{sid}/annotated")
    assert annotated.status_code == 200 and annotated.content.startswith(b"PK")
    assert client.get(f"/submissions/{sid}/file").content == SAMPLE.read_bytes()


def test_the_report_page_shows_findings_by_sheet_with_previews(desk: SimpleNamespace, sample_done: dict) -> None:
    client = desk.client
    assert sign_in(client, "民政局填报员").status_code == 303
    html = client.get(f"/submissions/{sample_done['id']}").text
    assert "公开清单!E9" in html and "TZ101" in html and "五(三)" in html and "公开依据" in html
    assert 'class="fault" title="公开清单!E9"' in html  # the preview marks the cell at fault
    assert "110199********104X" in html and "11019919530714104X" not in html  # masked, as every output
    assert "批注版" in html and sample_done["sha256"] in html


def test_a_form_upload_without_the_csrf_token_is_refused_and_nothing_recorded(desk: SimpleNamespace) -> None:
    client = desk.client
    assert sign_in(client, "民政局填报员").status_code == 303
    before = len(_rows(desk))
    with SAMPLE.open("rb") as fh:
        response = client.post("/submissions", data={"csrf": "forged"}, files={"file": (SAMPLE.name, fh)},
                               follow_redirects=False)
    assert response.status_code == 403 and "表单已过期" in response.text
    with SAMPLE.open("rb") as fh:  # the API with a session cookie needs the token too
        response = client.post("/api/v1/submissions", files={"file": (SAMPLE.name, fh)})
    assert response.status_code == 403
    assert len(_rows(desk)) == before


def test_a_form_upload_with_the_token_is_audited(desk: SimpleNamespace) -> None:
    client = desk.client
    assert sign_in(client, "民政局填报员").status_code == 303
    with SAMPLE.open("rb") as fh:
        response = client.post("/submissions", data={"csrf": page_csrf(client)},
                               files={"file": (SAMPLE.name, fh)}, follow_redirects=False)
    assert response.status_code == 303
    sid = int(response.headers["location"].rsplit("/", 1)[1])
    assert wait_done(client, desk.tokens["mzj"], sid)["status"] == "done"
    html = client.get(f"/submissions/{sid}").text
    assert "与上次报送相比" in html and "仍存在" in html  # the same findings as the earlier submission


def test_a_resubmission_shows_what_was_fixed(desk: SimpleNamespace, sample_done: dict, tmp_path: Path) -> None:
    fixed = tmp_path / "区民政局-2018-修改.xlsx"
    book = openpyxl.load_workbook(SAMPLE)
    book["公开清单"]["E9"] = "《政府信息公开条例》第十四条"
    book.save(fixed)
    response = upload(desk.client, desk.tokens["mzj"], fixed)
    body = wait_done(desk.client, desk.tokens["mzj"], response.json()["id"])
    assert body["errors"] == sample_done["errors"] - 1
    assert sign_in(desk.client, "民政局填报员").status_code == 303
    html = desk.client.get(f"/submissions/{body['id']}").text
    assert "已改正 1" in html and "新问题 0" in html and "公开清单!E9" not in html.split("已改正 1")[0]


@pytest.mark.parametrize(("name", "content", "status", "words"), [
    ("清单.txt", b"hello", 415, "只接受"),
    ("清单.xlsx", b"", 400, "文件为空"),
    ("清单.xlsx", b"<html>not a workbook</html>", 415, "不是 .xlsx 工作簿"),
    ("清单.csv", b"\x00\x01binary", 415, "不是 CSV"),
    ("../../etc/清单", b"PK\x03\x04", 415, "只接受"),
])
def test_bad_uploads_are_refused_with_a_message(desk: SimpleNamespace, name: str, content: bytes, status: int,
                                                words: str) -> None:
    before = len(_rows(desk))
    response = desk.client.post("/api/v1/submissions", headers=bearer(desk.tokens["mzj"]),
                                files={"file": (name, content)})
    assert response.status_code == status and words in response.json()["detail"]
    assert len(_rows(desk)) == before


def test_malformed_multipart_bodies_are_400(desk: SimpleNamespace) -> None:
    headers = bearer(desk.tokens["mzj"])
    broken = desk.client.post("/api/v1/submissions", content=b"--xyz\r\nContent-Disposition: form-data\r\n\r\ngarbage",
                              headers={**headers, "Content-Type": "multipart/form-data; boundary=xyz"})
    assert broken.status_code == 400
    no_boundary = desk.client.post("/api/v1/submissions", content=b"abc",
                                   headers={**headers, "Content-Type": "multipart/form-data"})
    assert no_boundary.status_code == 400
    no_file = desk.client.post("/api/v1/submissions", data={"as_of": "2018-12-31"}, headers=headers)
    assert no_file.status_code == 400 and "file" in no_file.json()["detail"]
    many = desk.client.post("/api/v1/submissions", headers=headers,
                            files=[("file", ("a.xlsx", b"PK\x03\x04")), ("file", ("b.xlsx", b"PK\x03\x04"))])
    assert many.status_code == 400
    bad_date = upload(desk.client, desk.tokens["mzj"], SAMPLE, as_of="2018-13-45")
    assert bad_date.status_code == 400


def test_the_size_cap_refuses_big_uploads_and_keeps_nothing(desk: SimpleNamespace) -> None:
    before = len(_rows(desk))
    big = b"PK\x03\x04" + os.urandom(CAP + 10)
    response = desk.client.post("/api/v1/submissions", headers=bearer(desk.tokens["mzj"]),
                                files={"file": ("big.xlsx", big)})
    assert response.status_code == 413 and "大小上限" in response.json()["detail"]

    def chunked() -> Iterator[bytes]:  # no Content-Length: refused once the body passes the cap
        boundary = b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n\r\n"
        yield boundary + b"PK\x03\x04"
        for _ in range(CAP // 65536 + 4):
            yield os.urandom(65536)
        yield b"\r\n--b0undary--\r\n"

    response = desk.client.post("/api/v1/submissions", content=chunked(),
                                headers={**bearer(desk.tokens["mzj"]),
                                         "Content-Type": "multipart/form-data; boundary=b0undary"})
    assert response.status_code == 413
    just_under = b"PK\x03\x04" + os.urandom(CAP - 100)  # under the cap, framing and all
    response = desk.client.post("/api/v1/submissions", headers=bearer(desk.tokens["mzj"]),
                                files={"file": ("under.xlsx", just_under)})
    assert response.status_code == 202  # under the cap: accepted (and unreadable, below)
    assert len(_rows(desk)) == before + 1
    assert not list((desk.data / "tmp").glob("upload-*"))


def test_a_hostile_or_damaged_workbook_is_a_could_not_read_result(desk: SimpleNamespace, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    data = SAMPLE.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    response = upload(desk.client, desk.tokens["mzj"], damaged)
    assert response.status_code == 202
    body = wait_done(desk.client, desk.tokens["mzj"], response.json()["id"])
    assert body["status"] == "done" and body["report"]["files"][0]["status"] == "unreadable"
    (finding,) = body["report"]["findings"]
    assert finding["rule"] == "TZ001" and "已损坏" in finding["message"]
    assert sign_in(desk.client, "民政局填报员").status_code == 303
    page = desk.client.get(f"/submissions/{body['id']}")
    assert page.status_code == 200 and "无法读取该文件" in page.text


def test_cell_text_is_escaped_and_personal_information_masked(desk: SimpleNamespace, tmp_path: Path) -> None:
    hostile = tmp_path / "区民政局-2018-脚本.xlsx"
    book = openpyxl.load_workbook(SAMPLE)
    book["公开清单"]["D12"] = "<script>alert('x')</script>"
    book.save(hostile)
    response = upload(desk.client, desk.tokens["mzj"], hostile)
    body = wait_done(desk.client, desk.tokens["mzj"], response.json()["id"])
    assert any("<script>" in f["message"] for f in body["report"]["findings"])  # the JSON report says it as is
    assert sign_in(desk.client, "民政局填报员").status_code == 303
    html = desk.client.get(f"/submissions/{body['id']}").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "11019919530714104X" not in html and "15800001234" not in html
    assert "158****1234" in html


def test_a_failed_submission_can_be_retried(desk: SimpleNamespace, sample_done: dict) -> None:
    tz = desk.app.state.tz
    response = upload(desk.client, desk.tokens["mzj"], SAMPLE)
    sid = response.json()["id"]
    wait_done(desk.client, desk.tokens["mzj"], sid)
    with tz.sessions.begin() as db:  # as a crash would leave it
        db.get(Submission, sid).status = FAILED
    assert sign_in(desk.client, "民政局填报员").status_code == 303
    page = desk.client.get(f"/submissions/{sid}").text
    assert "重新检查" in page
    retried = desk.client.post(f"/submissions/{sid}/retry", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert retried.status_code == 303
    body = wait_done(desk.client, desk.tokens["mzj"], sid)
    assert body["status"] == "done" and body["attempts"] == 2 and body["report"] == sample_done["report"]
    not_failed = desk.client.post(f"/api/v1/submissions/{sid}/retry", headers=bearer(desk.tokens["mzj"]))
    assert not_failed.status_code == 409


def test_the_office_dashboard_and_the_annual_appendix(desk: SimpleNamespace, sample_done: dict) -> None:
    client = desk.client
    assert sign_in(client, "公开办").status_code == 303
    html = client.get("/office?year=2018").text
    assert "区民政局" in html and "区教委" in html and "未报送" in html and "<svg" in html
    only_missing = client.get("/office?year=2018&status=missing").text
    assert 'data-agency="mzj"' not in only_missing and 'data-agency="jw"' in only_missing
    trend = client.get("/office/agencies/mzj").text
    assert "错误数趋势" in trend and "<polyline" in trend
    markdown = client.get("/office/appendix.md?year=2018")
    assert markdown.status_code == 200 and "附表1" in markdown.text and "区民政局" in markdown.text
    workbook = client.get("/office/appendix.xlsx?year=2018")
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
    word = client.get("/office/appendix.docx?year=2018")
    assert word.status_code == 200 and word.headers["content-type"].startswith("application/vnd.openxmlformats")
    captions = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs if p.style.name == "Caption"]
    assert [c[:3] for c in captions] == ["附表1", "附表2", "附表3", "附表4", "附表5"]
    assert client.get("/office/appendix.pdf?year=2018").status_code == 404
    assert client.get("/office/appendix.md?year=2011").status_code == 404
    template = client.get("/template.xlsx")
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_upload_cap_sizes_and_bad_options_are_usage_errors(tmp_path: Path) -> None:
    from helpers import cli

    from tongzhou_check.serve.cli import parse_size

    assert [parse_size(t) for t in ("50M", "50MB", "512K", "1G", "50", "1000B")] == [
        50 << 20, 50 << 20, 512 << 10, 1 << 30, 50 << 20, 1000]
    for args in (["--max-upload", "lots"], ["--lang", "fr"], ["--db", "bogus://x"]):
        code, out, err = cli("serve", "--data", str(tmp_path), *args)
        assert code == 2 and "Traceback" not in out + err, args
