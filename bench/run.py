"""Benchmark: the audit's cost against pandas reading the same workbook with calamine.

The spec's budget: auditing a workbook may cost at most 1.5x the time
`pandas.read_excel(path, sheet_name=None, engine="calamine")` takes to read it (target: 100,000 rows).

    python bench/run.py                      # bench/out/bench-100000.xlsx, generated if missing
    python bench/run.py --rows 10000         # bench/out/bench-10000.xlsx
    python bench/run.py PATH --repeat 5 --max-ratio 1.5

Both timings run in this one process, interleaved, best of --repeat; the rule pack is loaded once,
outside the timing.
The CLI is then timed once end to end (interpreter start, imports, pack loading, audit, JSON output).
Exit status: 0 within budget, 1 when audit/read exceeds --max-ratio, 2 on a usage or run error
(including a workbook in which the audit recognises no records).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_workbook  # the generator next to this file

AS_OF = dt.date(2018, 12, 31)


def best_of(repeat: int, runs: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, Any]]:
    """Each run's fastest time (perf_counter seconds) over `repeat` rounds, and its last result.

    The runs are interleaved round by round (read, audit, read, audit, …) so that both see the same
    machine conditions; garbage is collected before each timed call, outside the timing.
    """
    best: dict[str, tuple[float, Any]] = {name: (float("inf"), None) for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            gc.collect()
            started = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - started
            best[name] = (min(best[name][0], elapsed), result)
            del result
    return best


def _tzcheck() -> list[str]:
    """The CLI next to this interpreter (the venv's entry point), else `python -m tongzhou_check`."""
    script = Path(sys.executable).with_name("tzcheck")
    if script.exists():
        return [str(script)]
    found = shutil.which("tzcheck")
    return [found] if found else [sys.executable, "-m", "tongzhou_check"]


def time_cli(path: Path) -> tuple[float, int]:
    command = [*_tzcheck(), "audit", str(path), "--as-of", AS_OF.isoformat(), "--format", "json",
               "--fail-on", "never"]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
    return elapsed, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time the audit against pandas.read_excel(engine='calamine') on one workbook.")
    parser.add_argument("path", nargs="?", type=Path,
                        help="workbook (default bench/out/bench-ROWS.xlsx; generated when missing)")
    parser.add_argument("--rows", type=int, default=make_workbook.DEFAULT_ROWS,
                        help="records to generate when the workbook is missing (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the best counts (default 3)")
    parser.add_argument("--max-ratio", type=float, default=1.5,
                        help="fail (exit 1) when audit/read exceeds this (default 1.5)")
    parser.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI timing")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")

    path: Path = args.path or make_workbook.default_out(args.rows)
    if not path.exists():
        print(f"generating {path} ({args.rows} rows) …", flush=True)
        make_workbook.write_workbook(path, args.rows)

    import pandas as pd

    from tongzhou_check.engine import audit
    from tongzhou_check.pack import load_pack

    pack = load_pack()  # once, outside the timing
    timed = best_of(args.repeat, {
        "read": lambda: pd.read_excel(path, sheet_name=None, engine="calamine"),
        "audit": lambda: audit([(path, str(path))], pack, AS_OF),
    })
    read_s, audit_s, report = timed["read"][0], timed["audit"][0], timed["audit"][1]
    del timed

    summary = report.summary()
    ratio = audit_s / read_s if read_s else float("inf")
    by_rule = Counter(f.rule for f in report.findings)
    print(f"workbook   {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"rows       {summary['rows']}")
    print(f"read       {read_s:8.3f} s   pandas.read_excel(sheet_name=None, engine='calamine'), "
          f"best of {args.repeat}")
    print(f"audit      {audit_s:8.3f} s   tongzhou_check.engine.audit, in-process, best of {args.repeat}")
    print(f"ratio      {ratio:8.3f}     audit/read (budget {args.max_ratio:g})")
    print(f"findings   {summary['findings']}   "
          + ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())))
    cli_rc = 0
    if not args.no_cli:
        cli_s, cli_rc = time_cli(path)
        print(f"cli        {cli_s:8.3f} s   tzcheck audit … --format json > /dev/null, once (exit {cli_rc})")
    if cli_rc != 0:
        print("FAIL: the CLI run failed", file=sys.stderr)
        return 2
    if not summary["rows"]:  # an unrecognised sheet audits in no time: never a pass
        print("FAIL: the audit recognised no records in this workbook", file=sys.stderr)
        return 2
    if ratio > args.max_ratio:
        print(f"FAIL: audit/read {ratio:.3f} exceeds {args.max_ratio:g}", file=sys.stderr)
        return 1
    print(f"OK: audit/read {ratio:.3f} within {args.max_ratio:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
