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


Outcome = FileResult | ReadError


def _on_worker(name: str, batch: list[Task]) -> list[Outcome]:
    """A batch of files audited in turn on a worker, with the work its plugin holds; a file that raises is its own
    outcome, never its batch's."""
    work = _distributed().get_worker().plugins[name].work
    outcomes: list[Outcome] = []
    for task in batch:
        try:
            outcomes.append(work(task))
        except Exception as exc:
            log.warning("%s: 内部错误 / internal error: %s: %s", task[2], type(exc).__name__, exc)
            outcomes.append(ReadError("internal", f"{type(exc).__name__}: {exc}"))
    return outcomes


def _everywhere(task: Task) -> Task:
    """A task as every worker can read it: a local path made absolute (the workers' folder is not ours)."""
    index, source, shown, agency = task
    return (index, source if is_url(source) else os.path.abspath(source), shown, agency)


def batch_size(files: int, workers: int) -> int:
    """Files per task: enough tasks to keep every worker busy to the end (8 a worker), at most 16 files each.

    A task costs the scheduler a few milliseconds whatever it holds (bench/scale.py: docs/benchmark.md); a small
    workbook's audit costs ~25 ms, so one file a task spends a fifth of the work on scheduling and keeps a
    scheduler of a national run (~1,000 tasks/s) the bottleneck.
    """
    return max(1, min(16, files // (8 * max(1, workers))))


@dataclass
class DaskRunner:
    """An engine runner (`engine.Runner`) on a Dask client: files in small batches, results as they finish.

    A batch whose worker keeps dying is split into one task a file, so the file that kills them is found and
    reported alone (TZ001) and the others are audited.
    """

    client: Any  # distributed.Client
    batch: int | None = None  # files per task; None: batch_size() for the cluster's workers

    def __call__(self, work: Work, tasks: Sequence[Task]) -> Iterator[tuple[Task, Outcome]]:
        distributed = _distributed()
        name = f"tzcheck-{uuid.uuid4().hex}"
        self.client.register_plugin(_plugin_class()(work), name=name)
        size = self.batch or batch_size(len(tasks), len(self.client.scheduler_info().get("workers", ())))
        ready = [_everywhere(t) for t in tasks]
        batches = [ready[i:i + size] for i in range(0, len(ready), size)]
        pending: dict[Any, list[Task]] = {}

        def submit(batch: list[Task]) -> Any:
            future = self.client.submit(_on_worker, name, batch, key=f"{name}-{batch[0][0]}-{len(batch)}",
                                        pure=False)
            pending[future] = batch
            return future

        running = distributed.as_completed([submit(b) for b in batches])
        try:
            for future in running:
                batch = pending.pop(future)
                try:
                    outcomes = future.result()
                except distributed.KilledWorker:
                    if len(batch) > 1:  # find the file that kills its workers: one task each
                        for task in batch:
                            running.add(submit([task]))
                        continue
                    log.warning("%s: 检查此文件的工作进程每次都异常终止 / its worker died every time it was audited",
                                batch[0][2])
                    outcomes = [ReadError("crashed")]
                except Exception as exc:  # the task's own failure (a lost result, say): its files, not the run
                    log.warning("%s…: 内部错误 / internal error: %s: %s", batch[0][2], type(exc).__name__, exc)
                    outcomes = [ReadError("internal", f"{type(exc).__name__}: {exc}")] * len(batch)
                future.release()
                yield from zip(batch, outcomes, strict=True)
        finally:
            for future in pending:
                future.cancel()
            self.client.unregister_worker_plugin(name)


__all__ = ["ENV", "ClusterError", "DaskRunner", "Runner", "batch_size", "check_address", "connect"]
