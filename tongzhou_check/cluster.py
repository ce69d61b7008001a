"""Audits on a Dask cluster: `--scheduler tcp://host:8786` (an existing one) or `--scheduler local:4` (started here).

The engine hands a runner its bound work (the pack, the dates, the calendar: one picklable callable) and the tasks
(one per file: its index, path or URL, name as shown, agency). The work reaches every worker once, as a worker
plugin — so a worker the cluster restarts gets it too — and each task carries only its file's name: workers read
the files themselves (a shared filesystem, or fsspec URLs), and only results come back. A worker that dies
mid-file has its files run elsewhere (the scheduler reschedules them); a file that kills every worker it is given
(or whose task keeps failing) comes back as the reason it could not be audited, which the engine reports as TZ001
for that file alone. dask[distributed] is the `cluster` extra; it is imported only when a scheduler is named.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tongzhou_check.engine import FileResult, Runner, Task, Work
from tongzhou_check.reader import ReadError
from tongzhou_check.sources import is_url

ENV = "TZCHECK_SCHEDULER"
_LOCAL = re.compile(r"^local(?::(\d+))?$")
ALLOWED_FAILURES = 2  # a file is tried on three workers before it counts as the one killing them (local clusters)
log = logging.getLogger(__name__)


class ClusterError(Exception):
    """The scheduler cannot be reached or started, or Dask is not installed (exit 2)."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError("使用 --scheduler 需要安装 Dask(pip install 'tzcheck[cluster]')/ "
                           "--scheduler needs Dask: pip install 'tzcheck[cluster]'") from None
    return distributed


def check_address(text: str) -> str:
    """`local`, `local:N` or a scheduler address (`tcp://host:8786`, `tls://…`); anything else is refused."""
    text = text.strip()
    if _LOCAL.match(text) or re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text):
        if text.startswith("local:") and int(text[6:]) < 1:
            raise ClusterError(f"本机集群至少需要1个工作进程 / a local cluster needs at least one worker: {text}")
        return text
    raise ClusterError(f"调度器地址应为 tcp://主机:端口 或 local:N / a scheduler is tcp://host:port or local:N: {text}")


def _local_workers(text: str, cores: int) -> int | None:
    match = _LOCAL.match(text)
    if match is None:
        return None
    return int(match.group(1)) if match.group(1) else cores


@contextmanager
def connect(address: str, cores: int = 1) -> Iterator[DaskRunner]:
    """A runner on the scheduler at `address`, or on a local cluster of N worker processes it starts and stops."""
    distributed = _distributed()
    workers = _local_workers(check_address(address), cores)
    cluster = None
    try:
        if workers is not None:
            import dask

            with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                                  "distributed.scheduler.worker-saturation": 1.0}):
                cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   dashboard_address=None, silence_logs=logging.CRITICAL)
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout="15s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"无法连接调度器 / cannot reach the scheduler {address}: {exc}") from None
    try:
        yield DaskRunner(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@functools.cache
def _plugin_class() -> type:
    class AuditWork(_distributed().WorkerPlugin):
        """The bound audit, installed once on every worker (and on every worker that joins later)."""

        def __init__(self, work: Work) -> None:
            self.work = work

    return AuditWork


def _on_worker(name: str, task: Task) -> FileResult:
    """One file's audit on a worker, with the work its plugin holds."""
    return _distributed().get_worker().plugins[name].work(task)


def _everywhere(task: Task) -> Task:
    """A task as every worker can read it: a local path made absolute (the workers' folder is not ours)."""
    index, source, shown, agency = task
    return (index, source if is_url(source) else os.path.abspath(source), shown, agency)


@dataclass
class DaskRunner:
    """An engine runner (`engine.Runner`) on a Dask client: one task per file, results as they finish."""

    client: Any  # distributed.Client
    retries: int = 1  # a task that raised is tried once more (another worker, a passing fault)

    def __call__(self, work: Work, tasks: Sequence[Task]) -> Iterator[tuple[Task, FileResult | ReadError]]:
        distributed = _distributed()
        name = f"tzcheck-{uuid.uuid4().hex}"
        self.client.register_plugin(_plugin_class()(work), name=name)
        futures = self.client.map(_on_worker, [name] * len(tasks), [_everywhere(t) for t in tasks],
                                  key=[f"{name}-{t[0]}" for t in tasks], pure=False, retries=self.retries)
        pending = dict(zip(futures, tasks, strict=True))
        try:
            for future in distributed.as_completed(futures):
                task = pending.pop(future)
                yield task, _outcome(future, task, distributed)
                future.release()
        finally:
            for future in pending:
                future.cancel()
            self.client.unregister_worker_plugin(name)


def _outcome(future: Any, task: Task, distributed: Any) -> FileResult | ReadError:
    try:
        return future.result()
    except distributed.KilledWorker:
        log.warning("%s: its worker died every time it was audited", task[2])
        return ReadError("crashed")
    except Exception as exc:  # the task's own failure, after its retries: this file, not the run
        log.warning("%s: %s: %s", task[2], type(exc).__name__, exc)
        return ReadError("internal", f"{type(exc).__name__}: {exc}")


__all__ = ["ENV", "ClusterError", "DaskRunner", "Runner", "check_address", "connect"]
