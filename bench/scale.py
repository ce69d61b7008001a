"""A district-year on one machine and on a Dask cluster: N workbooks audited serially, with --jobs, and on Dask.

    python bench/scale.py --files 500 --rows 2000      # the district-year of docs/benchmark.md
    python bench/scale.py --files 500 --rows 20        # tiny files: what a task costs the scheduler

One generated workbook (`bench/make_workbook.py --rows R`) copied N times into a folder, then whole processes of
`python -m tongzhou_check audit DIR --as-of 2018-12-31 --format json --fail-on never`, alternating, best of
--repeat:
- `serial`    `--jobs 1`
- `jobs`      `--jobs W` (W = --workers, default 2)
- `local`     `--scheduler local:W`: a LocalCluster started and stopped by the command (its start-up included)
- `cluster`   `--scheduler tcp://…` of a `dask scheduler` and W `dask worker --nthreads 1` processes started here
              once, before timing (what an office's standing cluster costs per run)
The reports of all four must be byte-identical (checked on the first round). Prints seconds, files/s, the ratio to
serial and the per-file cost (serial seconds / N).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from make_workbook import default_out, write_workbook  # noqa: E402


def _time(command: list[str], out: Path) -> float:
    start = time.perf_counter()
    with out.open("wb") as fh:
        done = subprocess.run(command, stdout=fh, stderr=subprocess.DEVNULL, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}")
    return time.perf_counter() - start


@contextmanager
def _standing_cluster(workers: int, folder: Path) -> Iterator[str]:
    """A scheduler and `workers` single-threaded worker processes, as an office would run them."""
    info = folder / "scheduler.json"
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", "0",
                                  "--dashboard-address", ":0", "--scheduler-file", str(info)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs = [scheduler]
    try:
        for _ in range(200):
            if info.exists() and info.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                       "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    workbook = default_out(args.rows)
    if not workbook.exists():
        workbook.parent.mkdir(parents=True, exist_ok=True)
        write_workbook(workbook, args.rows)
    with tempfile.TemporaryDirectory(prefix="tzcheck-scale-") as tmp:
        folder = Path(tmp) / "district"
        folder.mkdir()
        for i in range(args.files):
            shutil.copyfile(workbook, folder / f"单位{i:04d}-2018.xlsx")
        base = [sys.executable, "-m", "tongzhou_check", "audit", str(folder), "--as-of", "2018-12-31",
                "--format", "json", "--fail-on", "never"]
        with _standing_cluster(args.workers, Path(tmp)) as address:
            runs = {
                "serial": [*base, "--jobs", "1"],
                "jobs": [*base, "--jobs", str(args.workers)],
                "local": [*base, "--scheduler", f"local:{args.workers}"],
                "cluster": [*base, "--scheduler", address],
            }
            best = dict.fromkeys(runs, float("inf"))
            for round_ in range(args.repeat):
                for name, command in runs.items():
                    best[name] = min(best[name], _time(command, Path(tmp) / f"{name}.json"))
                if round_ == 0:
                    reports = {name: (Path(tmp) / f"{name}.json").read_bytes() for name in runs}
                    if len(set(reports.values())) != 1:
                        raise SystemExit("the reports differ: " + ", ".join(f"{k} {len(v)} B" for k, v in
                                                                            reports.items()))
    print(f"{args.files} workbooks × {args.rows} rows, {args.workers} workers; reports byte-identical")
    for name, seconds in best.items():
        print(f"{name:8} {seconds:8.2f} s  {args.files / seconds:7.1f} files/s  {seconds / best['serial']:.2f}× serial")
    print(f"per file (serial): {best['serial'] / args.files * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
