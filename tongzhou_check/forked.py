"""Work made by a forked copy of this process on the machine's other core, while this process goes on.

Most of an audit is Python, one core at a time. On Linux a process can fork: the copy shares everything this
process holds (copy-on-write, nothing sent), makes its part into an anonymous file (memfd), and ends; this process
then reads the file. The engine shares a big workbook's checks this way, and the JSON and SARIF writers the runs of
a big report. Elsewhere (no fork: Windows; macOS, where a forked process may not use every system library), and in
a process with other threads (a lock one of them holds would stay locked in the copy: a server's, a progress
bar's), nothing is forked and the caller makes everything itself.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO


def can_fork() -> bool:
    """Whether this process may fork a copy to work beside it: on Linux, with no thread but this one."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


@contextmanager
def beside(make: Callable[[BinaryIO], None]) -> Iterator[Callable[[], BinaryIO | None]]:
    """Run `make(file)` in a forked copy of this process while the `with` block runs here. The block's value,
    called, waits for the copy and gives its file from the start (to be read within the block), or None when the
    copy failed (then the caller makes that part itself). Leaving the block before that (an error, an interrupt)
    kills the copy."""
    with open(os.memfd_create("tzcheck"), "w+b") as spool:  # memory, not a file on disk
        pid = os.fork()
        if pid == 0:  # the copy: its part into the file, then gone without running this process's exit handlers
            code = 1
            try:
                make(spool)
                spool.flush()
                code = 0
            finally:
                os._exit(code)
        waited = False

        def made() -> BinaryIO | None:
            nonlocal waited
            _, status = os.waitpid(pid, 0)
            waited = True
            if os.waitstatus_to_exitcode(status) != 0:
                return None
            spool.seek(0)
            return spool

        try:
            yield made
        finally:
            if not waited:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
