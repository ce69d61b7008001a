"""Audits on a real Dask cluster (`distributed.LocalCluster`, two worker processes): the same report as a serial
run, byte for byte, with workers killed mid-run, a file that kills every worker it reaches, and fsspec URLs."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dask
import distributed
import fsspec
import hostile
import pytest
from helpers import AS_OF, ROOT, cli, write_xlsx

from tongzhou_check.cluster import DaskRunner
from tongzhou_check.engine import audit
from tongzhou_check.formats import STREAMS
from tongzhou_check.inputs import expand
from tongzhou_check.model import Report
from tongzhou_check.pack import load_pack

SAMPLES = sorted((ROOT / "sample_lists").glob("*.xlsx"))
HEADERS = ["信息名称", "发布单位", "形成日期", "公开日期", "公开渠道", "信息类别", "重点领域", "正文"]


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,  # a file is tried twice, not three times
                          "distributed.scheduler.worker-saturation": 1.0}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        yield client


def _log(path: Path, seed: int) -> Path:
    """A publication log of 12–30 rows, some of them faulty in ways that differ from file to file."""
    rng = random.Random(seed)
    rows: list[list[object]] = [[f"通州区某局2018年信息发布登记({seed})"], [], HEADERS]
    for n in range(rng.randint(12, 30)):
        made = dt.date(2018, 1, 2) + dt.timedelta(days=rng.randint(0, 300))
        published = made + dt.timedelta(days=rng.choice([1, 3, 5, 45]))  # 45 days: past 20 working days
        unit = "" if rng.random() < 0.1 else "区民政局"
        text = "申请人身份证号110101199003074477" if rng.random() < 0.05 else "为深入贯彻落实区委区政府工作部署"
        if rng.random() < 0.05:
            published = made - dt.timedelta(days=2)
        rows.append([f"关于开展第{seed}-{n}号工作的通知", unit, made, published, "政府网站", "通知公告", "社会救助",
                     text])
    return write_xlsx(path, {"信息发布登记": rows})


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The samples and 200 generated workbooks, in one folder."""
    folder = tmp_path_factory.mktemp("district")
    made = [_log(folder / f"单位{i:03d}-2018.xlsx", i) for i in range(200)]
    return [*SAMPLES, *made]


def _killer(path: Path) -> Path:
    """A workbook that aborts calamine past the reader's cheap checks (tests/hostile.py)."""
    return hostile.dense_range_liar(path)


def _run(files: list[tuple[object, str]], **options: object) -> Report:
    return audit(files, load_pack(), dt.date.fromisoformat(AS_OF), **options)


def _bytes(report: Report, name: str = "json") -> bytes:
    out = io.BytesIO()
    STREAMS[name](report, "zh", out)
    return out.getvalue()


def _paths(paths: list[Path]) -> list[tuple[object, str]]:
    return [(p, p.as_posix()) for p in paths]


def test_a_district_on_the_cluster_is_the_serial_report_byte_for_byte(client: distributed.Client,
                                                                     district: list[Path]) -> None:
    seen: list[str] = []
    serial = _run(_paths(district), jobs=1)
    clustered = _run(_paths(district), runner=DaskRunner(client), progress=seen.append)
    assert sorted(seen) == sorted(p.as_posix() for p in district)  # the progress counts every file once
    assert [f.path for f in clustered.files] == [p.as_posix() for p in district]
    assert len(serial.findings) > 400  # the generated files do hold faults
    assert _bytes(clustered) == _bytes(serial)
    assert _bytes(clustered, "sarif") == _bytes(serial, "sarif")


def test_a_worker_killed_mid_run_loses_nothing(client: distributed.Client, district: list[Path]) -> None:
    files = _paths(district[:80])
    serial = _run(files, jobs=1)
    client.wait_for_workers(2, timeout=300)  # a worker to kill and one to go on
    finished: list[str] = []
    killed: list[str] = []

    def kill_one(shown: str) -> None:
        finished.append(shown)
        if len(finished) == 5:  # 75 files still to go
            worker = sorted(client.scheduler_info()["workers"])[0]
            killed.append(worker)
            with contextlib.suppress(Exception):  # the worker is gone before it can answer
                client.run(os._exit, 1, workers=[worker])

    clustered = _run(files, runner=DaskRunner(client), progress=kill_one)
    assert killed, "no worker was killed"
    assert len(finished) == len(files)
    assert _bytes(clustered) == _bytes(serial)


def test_a_file_that_kills_its_workers_is_its_own_finding(client: distributed.Client, tmp_path: Path) -> None:
    killer = _killer(tmp_path / "炸弹-2018.xlsx")
    files = _paths([SAMPLES[0], killer, *SAMPLES[1:]])
    report = _run(files, runner=DaskRunner(client, batch=4))  # one batch: split when it keeps killing workers
    by_file = {f.path: f for f in report.files}
    assert by_file[killer.as_posix()].status == "unreadable"
    found = [f for f in report.findings if f.file == killer.as_posix()]
    assert [f.rule for f in found] == ["TZ001"]
    assert "进程异常终止" in found[0].message("zh")
    others = json.loads(_bytes(report))["findings"]
    expected = json.loads(_bytes(_run(_paths(SAMPLES), jobs=1)))["findings"]
    assert [f for f in others if f["file"] != killer.as_posix()] == expected


def test_file_urls_are_read_by_the_workers(client: distributed.Client, tmp_path: Path) -> None:
    for sample in SAMPLES:
        (tmp_path / sample.name).write_bytes(sample.read_bytes())
    urls = expand([f"file://{tmp_path.as_posix()}/*.xlsx"])
    assert [shown for _, shown in urls] == [f"file://{(tmp_path / p.name).as_posix()}" for p in SAMPLES]
    clustered = _run(urls, runner=DaskRunner(client))
    assert _bytes(clustered) == _bytes(_run(urls, jobs=1))
    local = json.loads(_bytes(_run(_paths(SAMPLES), jobs=1)))["findings"]
    remote = json.loads(_bytes(clustered))["findings"]
    for finding in remote:
        finding["file"] = (ROOT / "sample_lists" / Path(finding["file"]).name).as_posix()
    assert remote == local and remote


def test_memory_urls_in_one_process() -> None:
    memory = fsspec.filesystem("memory")
    sample = ROOT / "sample_lists" / "区民政局-2018.xlsx"
    memory.pipe("/tzcheck-test/2018/区民政局-2018.xlsx", sample.read_bytes())
    memory.pipe("/tzcheck-test/2018/README.md", b"not a workbook")
    urls = expand(["memory://tzcheck-test/**/*.xlsx"])
    assert [shown for _, shown in urls] == ["memory:///tzcheck-test/2018/区民政局-2018.xlsx"]
    remote = _run(urls)
    local = _run(_paths([sample]))
    assert remote.files[0].sha256 == local.files[0].sha256
    assert remote.files[0].agency == local.files[0].agency  # named after its file, as a local copy is
    assert [(f.rule, f.cell, f.message("zh")) for f in remote.findings] == [
        (f.rule, f.cell, f.message("zh")) for f in local.findings]


def test_the_cli_audits_on_a_running_scheduler(client: distributed.Client) -> None:
    serial = cli("audit", "sample_lists/", "--as-of", AS_OF, "--format", "json", "--jobs", "1")
    address = client.scheduler.address
    assert cli("audit", "sample_lists/", "--as-of", AS_OF, "--format", "json", "--scheduler", address) == serial
    baseline = cli("report", "sample_lists/", "--year", "2018")
    assert cli("report", "sample_lists/", "--year", "2018", "--scheduler", address) == baseline
    assert baseline[0] == 0 and "附表3" in baseline[1]


def test_the_cli_starts_a_local_cluster_from_the_environment() -> None:
    args = [sys.executable, "-m", "tongzhou_check", "audit", "sample_lists/", "--as-of", AS_OF, "--format", "sarif"]
    serial = subprocess.run([*args, "--jobs", "1"], cwd=ROOT, capture_output=True, timeout=120)
    env = {**os.environ, "TZCHECK_SCHEDULER": "local:2"}
    clustered = subprocess.run(args, cwd=ROOT, capture_output=True, timeout=300, env=env)
    assert clustered.returncode == serial.returncode == 1
    assert clustered.stdout == serial.stdout


@pytest.mark.parametrize(("address", "message"), [
    ("nonsense", "调度器地址应为"),
    ("local:0", "至少需要1个工作进程"),
    ("tcp://127.0.0.1:9", "无法连接调度器"),
])
def test_a_bad_scheduler_is_a_usage_error(address: str, message: str) -> None:
    code, _, err = cli("audit", "sample_lists/", "--as-of", AS_OF, "--scheduler", address)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_a_missing_url_is_a_usage_error() -> None:
    code, _, err = cli("audit", "memory://tzcheck-test/nowhere/x.xlsx", "--as-of", AS_OF)
    assert code == 2
    assert "找不到文件或目录" in err and "memory://tzcheck-test/nowhere/x.xlsx" in err


def test_an_audit_without_a_scheduler_imports_no_dask() -> None:
    argv = ["tzcheck", "audit", "sample_lists/", "--as-of", AS_OF, "--format", "json", "--fail-on", "never"]
    code = (f"import sys; from tongzhou_check.cli import main; sys.argv = {argv!r}\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('dask', 'distributed', 'fsspec') if m in sys.modules), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(run.stdout)["findings"]
