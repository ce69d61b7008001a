"""Whole processes side by side: the bare pandas read, and `tzcheck audit` of one or more checkouts, alternating.

    python bench/compare.py bench/out/bench-100000.xlsx                 # this checkout, --format json
    python bench/compare.py WORKBOOK --checkout old=/tmp/old --checkout new=. --format json,sarif,table

Each checkout runs as `python -m tongzhou_check audit WORKBOOK --as-of 2018-12-31 --format F --fail-on never`
run in it with PYTHONPATH set to it (so an old commit in a `git worktree` needs no install of its own), stdout to
/dev/null.
The runs alternate (read, old, new, read, old, new …) so that a shared, noisy machine treats all alike; the best
time of --repeat counts, and each is printed as a ratio to the bare read, with its peak RSS (the child's own, from
os.wait4) as a ratio to the read's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

READ = "import pandas; pandas.read_excel({path!r}, sheet_name=None, engine='calamine')"


def _run(command: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one child process, run in `cwd` (`python -m` puts it first on sys.path)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--checkout", action="append", default=[], metavar="NAME=DIR",
                        help="a source tree to run (default: this one)")
    parser.add_argument("--format", default="json", help="comma-separated output formats (default json)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    checkouts = [c.split("=", 1) for c in args.checkout] or [["this", str(Path(__file__).resolve().parent.parent)]]
    path = str(args.workbook.resolve())
    runs = {"read": ([sys.executable, "-c", READ.format(path=path)], dict(os.environ), os.getcwd())}
    for name, tree in checkouts:
        root = str(Path(tree).resolve())
        env = {**os.environ, "PYTHONPATH": root}
        # as `pip install` leaves a package: compiled, so no run pays for compiling (PYTHONDONTWRITEBYTECODE
        # would otherwise make every run compile the sources again)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(root) / "tongzhou_check")], check=True)
        for fmt in args.format.split(","):
            runs[f"{name} {fmt}"] = ([sys.executable, "-m", "tongzhou_check", "audit", path, "--as-of", "2018-12-31",
                                      "--format", fmt, "--fail-on", "never"], env, root)
    best = dict.fromkeys(runs, float("inf"))
    peak = dict.fromkeys(runs, 0.0)
    for _ in range(args.repeat):
        for name, (command, env, cwd) in runs.items():
            seconds, rss = _run(command, env, cwd)
            best[name], peak[name] = min(best[name], seconds), max(peak[name], rss)
    print(f"workbook  {path}")
    for name, seconds in best.items():
        ratio = "" if name == "read" else f"  {seconds / best['read']:5.2f}×  RSS {peak[name] / peak['read']:4.2f}×"
        print(f"{name:14} {seconds:7.2f} s  {peak[name]:7.0f} MB{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
