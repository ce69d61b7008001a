"""`python -m tongzhou_check` and the `tzcheck` command: `--version` answered at once, without loading the
checker (pandas and the rest take a second or two); everything else runs the CLI — for `audit` or `report` of one
workbook, with that workbook's parse started first (reader/opening.py), so that it runs while the CLI loads — and
the process ends as soon as the command has (`leave`)."""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from itertools import pairwise
from pathlib import Path
from typing import NoReturn

READING = ("audit", "report")  # the commands whose inputs are read at once
NOT_AHEAD = ("--scheduler", "--max-cells", "--max-uncompressed", "--help", "-h")  # read elsewhere, or otherwise
VALUED = ("-o", "--output")  # the one option whose value may be an existing workbook (an earlier annotated copy)


def ahead_of(argv: list[str]) -> Path | None:
    """The workbook an `audit` or `report` command line names, when it names exactly one (a file, not a folder);
    None when it names none or several, or when the workbook is read elsewhere (a cluster) or under other limits."""
    if not argv or argv[0] not in READING or any(a.split("=", 1)[0] in NOT_AHEAD for a in argv):
        return None
    from tongzhou_check.reader.opening import EXCEL_SUFFIXES

    named = [Path(a) for previous, a in pairwise(argv)
             if not a.startswith("-") and previous not in VALUED and a.lower().endswith(EXCEL_SUFFIXES)]
    files = [p for p in named if p.is_file()]
    return files[0] if len(files) == 1 == len(named) else None


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from tongzhou_check import __version__

        sys.stdout.write(f"tzcheck {__version__}\n")
        return
    workbook = ahead_of(sys.argv[1:])
    if workbook is not None:
        from tongzhou_check.reader.opening import read_ahead

        read_ahead(workbook)
    from tongzhou_check.cli import main as run

    try:
        run()
    except SystemExit as done:
        leave(done.code)
    leave(0)


def leave(code: object) -> NoReturn:
    """End the process once the command has ended and its output is flushed, without tearing the interpreter
    down: freeing every object of a big report one by one (200,000 findings: 0.2 s) changes nothing anyone sees.
    mypy ends the same way (`util.hard_exit`). Under a profiler or a tracer (cProfile, pyinstrument, coverage),
    which write their results as the interpreter exits, the process exits the usual way."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): the message, and status 1, as Python does
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe (`| head`): nothing more can be written anyway
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
