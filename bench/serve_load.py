"""A bounded load run of the submission desk: N uploads of a workbook, C at a time, against `tzcheck serve` on
127.0.0.1 — started here in a fresh data directory unless --url names a running one (loopback only). Stops by
itself: N uploads, each waited for at most --timeout seconds.

For each upload: the POST's latency (the file stored and recorded) and the time until its audit is done (what a
clerk waits for). Prints p50/p95 of both and the throughput (audits done per second over the whole run).

    python bench/serve_load.py                      # 100 uploads of the 区民政局 sample, 10 at a time
    python bench/serve_load.py -n 200 -c 20 --workers 2 --file some.xlsx
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_lists" / "区民政局-2018.xlsx"


def loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def start_server(data: Path, workers: int) -> tuple[subprocess.Popen, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    made = subprocess.run([sys.executable, "-m", "tongzhou_check", "serve", "users", "add", "bench", "--agency",
                           "区民政局", "--password", "bench-password", "--data", str(data)],
                          capture_output=True, text=True, check=True, env=env)
    token = made.stdout.strip().splitlines()[-1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (data / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "tongzhou_check", "serve", "--data", str(data), "--port",
                                str(port), "--workers", str(workers)], stdout=log, stderr=log,
                               start_new_session=True, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/", timeout=2)
            return process, url, token
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def one(url: str, token: str, path: Path, timeout: float) -> tuple[float, float, str]:
    """(POST latency, time until done, final status) of one upload."""
    headers = {"Authorization": f"Bearer {token}"}
    start = time.perf_counter()
    with path.open("rb") as fh, httpx.Client(timeout=60) as client:
        response = client.post(url + "/api/v1/submissions", headers=headers, files={"file": (path.name, fh)})
        posted = time.perf_counter() - start
        if response.status_code not in (201, 202):
            return posted, posted, f"http {response.status_code}"
        sid = response.json()["id"]
        deadline = start + timeout
        while time.perf_counter() < deadline:
            status = client.get(f"{url}/api/v1/submissions/{sid}", headers=headers).json()["status"]
            if status in ("done", "failed"):
                return posted, time.perf_counter() - start, status
            time.sleep(0.05)
    return posted, time.perf_counter() - start, "timeout"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--uploads", type=int, default=100)
    parser.add_argument("-c", "--concurrency", type=int, default=10)
    parser.add_argument("--file", type=Path, default=SAMPLE)
    parser.add_argument("--workers", type=int, default=2, help="audit processes of the server started here")
    parser.add_argument("--url", help="a running desk on 127.0.0.1 (needs --token)")
    parser.add_argument("--token")
    parser.add_argument("--timeout", type=float, default=300, help="seconds one upload is waited for")
    args = parser.parse_args()
    if not 1 <= args.uploads <= 10_000 or not 1 <= args.concurrency <= 200:
        raise SystemExit("-n must be 1–10000 and -c 1–200")
    process = None
    with tempfile.TemporaryDirectory(prefix="tzcheck-serve-load-") as tmp:
        if args.url:
            if not loopback(args.url) or not args.token:
                raise SystemExit("--url must be on 127.0.0.1 (this is a local benchmark) and needs --token")
            url, token = args.url.rstrip("/"), args.token
        else:
            process, url, token = start_server(Path(tmp), args.workers)
        try:
            one(url, token, args.file, args.timeout)  # warm-up: the worker processes load the engine and pack
            began = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                results = list(pool.map(lambda _: one(url, token, args.file, args.timeout), range(args.uploads)))
            elapsed = time.perf_counter() - began
        finally:
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
    posts = [r[0] for r in results]
    dones = [r[1] for r in results]
    statuses = {s: sum(1 for r in results if r[2] == s) for s in {r[2] for r in results}}
    size = args.file.stat().st_size
    print(f"{args.uploads} uploads of {args.file.name} ({size / 1024:.0f} KB), {args.concurrency} at a time, "
          f"server workers: {'?' if args.url else args.workers}, cores: {os.cpu_count()}")
    print(f"statuses: {statuses}")
    def ms(values: list[float], q: float) -> str:
        return f"{percentile(values, q) * 1000:.0f} ms"

    print(f"POST (stored + recorded): p50 {ms(posts, .5)}, p95 {ms(posts, .95)}")
    print(f"until done (audited):     p50 {ms(dones, .5)}, p95 {ms(dones, .95)}, "
          f"mean {statistics.mean(dones) * 1000:.0f} ms")
    print(f"throughput: {args.uploads / elapsed:.2f} audits/s ({elapsed:.1f} s in all)")
    if any(s != "done" for s in statuses):
        sys.exit(1)


if __name__ == "__main__":
    main()
