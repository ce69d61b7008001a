"""The desk as it runs: `tzcheck serve` in a real uvicorn process on 127.0.0.1 — 20 concurrent uploads recorded
once each, and the server killed (SIGKILL) mid-upload and mid-audit, then restarted: nothing lost, the interrupted
audit failed with its reason and retriable."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from helpers import ROOT
from serve_helpers import SAMPLE, Server, add_user, bearer

BENCH = ROOT / "bench"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    token = add_user(tmp_path, "民政局填报员", "--agency", "区民政局")
    running = Server(tmp_path, "--workers", "2").start()
    try:
        yield running, token
    finally:
        running.stop()


def post(url: str, token: str, path: Path) -> httpx.Response:
    with path.open("rb") as fh:
        return httpx.post(url + "/api/v1/submissions", headers=bearer(token), files={"file": (path.name, fh)},
                          timeout=60)


def wait(url: str, token: str, sid: int, timeout: float = 120, until: tuple[str, ...] = ("done", "failed")) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = httpx.get(f"{url}/api/v1/submissions/{sid}", headers=bearer(token), timeout=30).json()
        if body["status"] in until:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


def rows(data: Path) -> list[sqlite3.Row]:
    db = sqlite3.connect(data / "tzcheck.db")
    db.row_factory = sqlite3.Row
    try:
        return db.execute("SELECT * FROM submissions ORDER BY id").fetchall()
    finally:
        db.close()


def test_the_server_binds_loopback_and_answers_html_with_a_csp(server: tuple[Server, str]) -> None:
    running, _ = server
    response = httpx.get(running.url + "/")
    assert response.status_code == 200 and "content-security-policy" in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    log = (running.data / "server.log").read_text("utf-8")
    assert f"http://127.0.0.1:{running.port}" in log


def test_twenty_concurrent_uploads_are_each_recorded_once(server: tuple[Server, str]) -> None:
    running, token = server
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: post(running.url, token, SAMPLE), range(20)))
    assert [r.status_code for r in responses] == [202] * 20
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == 20
    bodies = [wait(running.url, token, sid) for sid in ids]
    assert {b["status"] for b in bodies} == {"done"}
    assert {(b["errors"], b["warnings"], b["findings"]) for b in bodies} == {(18, 2, 22)}
    recorded = rows(running.data)
    assert sorted(r["id"] for r in recorded) == sorted(ids)  # once each, nothing else
    assert {r["status"] for r in recorded} == {"done"} and {r["attempts"] for r in recorded} == {1}
    sha = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert {r["sha256"] for r in recorded} == {sha}
    stored = list((running.data / "files").rglob(f"{sha}.xlsx"))
    assert len(stored) == 1 and stored[0].read_bytes() == SAMPLE.read_bytes()  # content-addressed: kept once


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20,000-row publication log: its audit and annotated copy take seconds, long enough to kill mid-audit."""
    out = tmp_path_factory.mktemp("big") / "区民政局-2018-发布登记.xlsx"
    subprocess.run([sys.executable, str(BENCH / "make_workbook.py"), "--rows", "20000", "--out", str(out)],
                   check=True, capture_output=True)
    return out


def test_killed_mid_audit_and_restarted_the_submission_is_failed_and_retriable(
        tmp_path: Path, big_workbook: Path) -> None:
    token = add_user(tmp_path, "民政局填报员", "--agency", "区民政局")
    running = Server(tmp_path, "--workers", "1").start()
    try:
        done = post(running.url, token, SAMPLE).json()["id"]
        wait(running.url, token, done)
        big = post(running.url, token, big_workbook).json()["id"]
        queued = post(running.url, token, SAMPLE).json()["id"]  # behind it: the one worker is busy
        assert wait(running.url, token, big, 60, until=("auditing",))["status"] == "auditing"
        running.kill()
        before = {r["id"]: r["status"] for r in rows(tmp_path)}
        assert before == {done: "done", big: "auditing", queued: "queued"}
        running.start()  # the same data directory
        after = {r["id"]: dict(r) for r in rows(tmp_path)}
        assert after[done]["status"] == "done"  # nothing lost
        for sid in (big, queued):
            assert after[sid]["status"] == "failed" and "restarted" in after[sid]["reason"]
        listed = httpx.get(f"{running.url}/api/v1/submissions/{big}", headers=bearer(token)).json()
        assert listed["status"] == "failed" and "重启" in listed["reason"]
        stored = tmp_path / "files" / after[big]["sha256"][:2] / f"{after[big]['sha256']}.xlsx"
        assert stored.read_bytes() == big_workbook.read_bytes()
        retried = httpx.post(f"{running.url}/api/v1/submissions/{queued}/retry", headers=bearer(token))
        assert retried.status_code == 202
        body = wait(running.url, token, queued)
        assert body["status"] == "done" and body["errors"] == 18 and body["attempts"] == 1
    finally:
        running.stop()


def test_killed_mid_upload_nothing_is_recorded_and_the_database_is_intact(tmp_path: Path) -> None:
    token = add_user(tmp_path, "民政局填报员", "--agency", "区民政局")
    running = Server(tmp_path, "--workers", "1").start()
    try:
        first = post(running.url, token, SAMPLE).json()["id"]
        wait(running.url, token, first)
        data = SAMPLE.read_bytes()
        head = (b"--bnd\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.xlsx\"\r\n"
                b"Content-Type: application/octet-stream\r\n\r\n")
        body = head + data + b"\r\n--bnd--\r\n"
        with socket.create_connection(("127.0.0.1", running.port)) as sock:
            sock.sendall(b"POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         + f"Authorization: Bearer {token}\r\n".encode()
                         + b"Content-Type: multipart/form-data; boundary=bnd\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[: len(body) // 2])
            time.sleep(0.5)
            running.kill()  # mid-upload
        running.start()
        recorded = rows(tmp_path)
        assert [(r["id"], r["status"]) for r in recorded] == [(first, "done")]
        assert not list((tmp_path / "tmp").glob("upload-*"))
        again = post(running.url, token, SAMPLE)  # the desk goes on
        assert again.status_code == 202 and wait(running.url, token, again.json()["id"])["status"] == "done"
    finally:
        running.stop()


def test_an_audit_past_its_time_limit_fails_and_its_worker_is_stopped(tmp_path: Path, big_workbook: Path) -> None:
    token = add_user(tmp_path, "民政局填报员", "--agency", "区民政局")
    running = Server(tmp_path, "--workers", "1", "--audit-timeout", "2").start()
    try:
        sid = post(running.url, token, big_workbook).json()["id"]
        body = wait(running.url, token, sid, 60)
        assert body["status"] == "failed" and "检查超时" in body["reason"] and "2 s" in body["reason"]
        assert httpx.get(running.url + "/").status_code == 200  # the desk goes on
        time.sleep(1)
        children = subprocess.run(["ps", "-o", "stat=,args=", "--ppid", str(running.process.pid)],
                                  capture_output=True, text=True).stdout.splitlines()
        workers = [line for line in children if "spawn_main" in line and not line.startswith("Z")]
        assert workers == []  # the stuck worker was killed; the next audit starts a new one
    finally:
        running.stop()
