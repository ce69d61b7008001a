"""Whole processes side by side: the bare pandas read, and `tzcheck audit` of one or more checkouts, alternating.

    python bench/compare.py bench/out/bench-100000.xlsx                 # this checkout
    python bench/compare.py WORKBOOK --checkout old=/tmp/old --checkout new=.

Each checkout runs as `python -m tongzhou_check audit WORKBOOK --as-of 2018-12-31 --format json --fail-on never`
with PYTHONPATH set to it (so an old commit in a `git worktree` needs no install of its own). The runs alternate
(read, old, new, read, old, new …) so that a shared, noisy machine treats all alike; the best of --repeat counts,
and each is printed as a ratio to the bare read.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

READ = "import pandas; pandas.read_excel({path!r}, sheet_name=None, engine='calamine')"


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--checkout", action="append", default=[], metavar="NAME=DIR",
                        help="a source tree to run (default: this one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    checkouts = [c.split("=", 1) for c in args.checkout] or [["this", str(Path(__file__).resolve().parent.parent)]]
    path = str(args.workbook.resolve())
    runs = {"read": ([sys.executable, "-c", READ.format(path=path)], dict(os.environ))}
    for name, tree in checkouts:
        env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())}
        runs[name] = ([sys.executable, "-m", "tongzhou_check", "audit", path, "--as-of", "2018-12-31",
                       "--format", "json", "--fail-on", "never"], env)
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeat):
        for name, (command, env) in runs.items():
            best[name] = min(best[name], _time(command, env))
    print(f"workbook  {path}")
    for name, seconds in best.items():
        ratio = "" if name == "read" else f"   {seconds / best['read']:.2f}× the bare read"
        print(f"{name:8}  {seconds:7.2f} s{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
