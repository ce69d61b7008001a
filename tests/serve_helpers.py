"""Helpers of the desk's tests: accounts made with the real CLI, sign-in through the real form, waiting for audits."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from helpers import ROOT, cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_lists" / "区民政局-2018.xlsx"
PASSWORD = "correct-horse-42"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_user(data: Path, name: str, *options: str) -> str:
    """`tzcheck serve users add`: the API token, alone on the last line."""
    code, out, err = cli("serve", "users", "add", name, "--password", PASSWORD, "--data", str(data), *options)
    assert code == 0, out + err
    token = out.strip().splitlines()[-1]
    assert re.fullmatch(r"tzk_[A-Za-z0-9_-]{40,}", token), out
    return token


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html[:2000]
    return found.group(1)


def sign_in(client: Any, name: str, password: str = PASSWORD) -> httpx.Response:
    """Sign in through the login form (its CSRF cookie and field); returns the POST's response."""
    client.cookies.clear()
    page = client.get("/login")
    assert page.status_code == 200
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf_of(page.text)},
                       follow_redirects=False)


def page_csrf(client: Any) -> str:
    """The signed-in session's CSRF token, from the home page's forms."""
    home = client.get("/")
    assert home.status_code == 200
    return csrf_of(home.text)


def wait_done(client: Any, token: str, submission_id: int, timeout: float = 90) -> dict:
    """Poll the API until the submission is done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/v1/submissions/{submission_id}", headers=bearer(token)).json()
        if body["status"] in ("done", "failed"):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.2)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(client: Any, token: str, path: Path, name: str | None = None, **fields: str) -> httpx.Response:
    with path.open("rb") as fh:
        return client.post("/api/v1/submissions", headers=bearer(token), data=fields,
                           files={"file": (name or path.name, fh, "application/octet-stream")})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m tongzhou_check serve` in its own process group (its worker processes with it)."""

    def __init__(self, data: Path, *options: str) -> None:
        self.data, self.options = data, options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        log = (self.data / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tongzhou_check", "serve", "--data", str(self.data), "--port", str(self.port),
             *self.options], stdout=log, stderr=log, start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, (self.data / "server.log").read_text("utf-8", "replace")
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: the server and its workers, no chance to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
