"""Writing a long sequence of byte runs with both cores: the second half made by a forked copy of this process.

A report of 100,000 findings is about a second of Python work to write (a SARIF result is a dozen nested objects),
all of it after the audit, while the machine's other core waits. On Linux the process forks once: the copy shares
every finding with it (copy-on-write, nothing sent) and makes the second half of the runs into an anonymous file
(memfd) while this process writes the first half to the output; this process then copies the file after it. The
bytes are those of writing every run in turn; if the copy fails, this process makes its half itself. Elsewhere (no
fork: Windows; macOS, where a forked process may not use every system library), in a process with other
threads, and for few runs, the runs are made here, in turn.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import BinaryIO

MIN_RUNS = 4  # fewer runs than this (40,000 findings) are made here: forking costs ~10 ms


def write_runs(runs: Sequence[Callable[[], bytes]], out: BinaryIO) -> None:
    """Write each run's bytes in order."""
    # a process with other threads (a server's) is not forked: a lock one of them holds would stay locked in the copy
    if len(runs) < MIN_RUNS or not sys.platform.startswith("linux") or threading.active_count() > 1:
        for run in runs:
            out.write(run())
        return
    half = (len(runs) + 1) // 2
    with open(os.memfd_create("tzcheck-runs"), "w+b") as spool:  # memory, not a file on disk
        pid = os.fork()
        if pid == 0:  # the copy: its half into the file, then gone without running this process's exit handlers
            code = 1
            try:
                for run in runs[half:]:
                    spool.write(run())
                spool.flush()
                code = 0
            finally:
                os._exit(code)
        try:
            for run in runs[:half]:
                out.write(run())
        except BaseException:  # the output closed (a pipe to `head`), an interrupt: the copy's half is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            spool.seek(0)
            shutil.copyfileobj(spool, out, 1 << 20)
        else:
            for run in runs[half:]:
                out.write(run())
