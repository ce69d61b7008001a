"""A district's submissions: N copies of one workbook audited as a directory, `--jobs 1` against the default.

    python bench/district.py bench/out/bench-10000.xlsx --files 100

Whole processes (`python -m tongzhou_check audit DIR --as-of 2018-12-31 --format json --fail-on never`), the
two alternating, best of --repeat; prints each time and default/serial.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tzcheck-district-") as folder:
        for i in range(args.files):
            shutil.copyfile(args.workbook, Path(folder) / f"单位{i:03d}.xlsx")
        base = [sys.executable, "-m", "tongzhou_check", "audit", folder, "--as-of", "2018-12-31", "--format", "json",
                "--fail-on", "never"]
        runs = {"--jobs 1": [*base, "--jobs", "1"], "default": base}
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(args.repeat):
            for name, command in runs.items():
                best[name] = min(best[name], _time(command))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{args.files} × {args.workbook.name}, {cores} cores")
    for name, seconds in best.items():
        print(f"{name:9} {seconds:7.2f} s")
    print(f"default/serial {best['default'] / best['--jobs 1']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
