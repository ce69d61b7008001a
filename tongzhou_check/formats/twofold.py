"""Writing a long sequence of byte runs with both cores: the second half made by a forked copy of this process.

A report of 100,000 findings is about a second of Python work to write (a SARIF result is a dozen nested objects),
all of it after the audit, while the machine's other core waits. Where a copy can be forked (`forked`), the copy
makes the second half of the runs while this process writes the first half to the output; this process then
copies the copy's bytes after it. The bytes are those of writing every run in turn; if the copy fails, this
process makes its half itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from typing import BinaryIO

from tongzhou_check.forked import beside, can_fork

MIN_RUNS = 4  # fewer runs than this (40,000 findings) are made here: forking costs ~10 ms


def write_runs(runs: Sequence[Callable[[], bytes]], out: BinaryIO) -> None:
    """Write each run's bytes in order."""
    if len(runs) < MIN_RUNS or not can_fork():
        _write(runs, out)
        return
    half = (len(runs) + 1) // 2
    with beside(lambda spool: _write(runs[half:], spool)) as theirs:
        _write(runs[:half], out)
        made = theirs()
        if made is None:
            _write(runs[half:], out)
        else:
            shutil.copyfileobj(made, out, 1 << 20)


def _write(runs: Sequence[Callable[[], bytes]], out: BinaryIO) -> None:
    for run in runs:
        out.write(run())
