"""The Dask engine on a LocalCluster of two worker processes: the same shards as the local
engine, and a worker killed mid-task costs nothing but time."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.bulk import Options, Outcome, ShardReport, plan, run_dask, run_local
from scraper.cli import cli
from tests.unit.warc.archives import article_pages, responses, write_warc

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port: 8787 may be taken
        silence_logs=logging.CRITICAL,
    ) as cluster:
        yield cluster.scheduler_address


def build(folder: Path, name: str, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.warc.gz"
    write_warc(path, ["warcinfo", *responses(article_pages()) * copies])
    return path


def shard_texts(out: Path) -> dict[str, bytes]:
    """Every shard file (articles and rejects) by name; the markers hold timings, not data."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.endswith(".done")}


def test_dask_writes_the_shards_the_local_engine_writes(tmp_path: Path, scheduler: str) -> None:
    inputs = [str(build(tmp_path / "in", f"crawl-{n}", 1)) for n in range(4)]
    local = tmp_path / "local"
    assert all(isinstance(o, ShardReport) for o in run_local(plan(inputs), Options(str(local)), 1))
    remote = tmp_path / "dask"
    args = ["--warc", *inputs, "--engine", "dask", "--scheduler", scheduler, "--out", str(remote)]
    result = CliRunner().invoke(cli, ["extract", *args])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("extract completed: tasks 4 (reused 0, failed 0)")
    assert shard_texts(remote) == shard_texts(local)
    assert len(shard_texts(remote)) == 8

    again = CliRunner().invoke(cli, ["extract", *args])
    assert again.stdout.startswith("extract completed: tasks 4 (reused 4, failed 0)")


def test_a_worker_killed_mid_task_has_its_task_rerun_and_the_shard_written_once(
    tmp_path: Path, scheduler: str
) -> None:
    big = build(tmp_path / "in", "big", 20)  # a few seconds of work
    inputs = [str(big), str(build(tmp_path / "in", "small", 1))]
    out = tmp_path / "out"
    outcomes: list[Outcome] = []
    runner = threading.Thread(
        target=lambda: outcomes.extend(run_dask(plan(inputs), Options(str(out)), scheduler))
    )
    runner.start()
    killed = _kill_worker_writing(out, "big")
    runner.join(timeout=120)

    assert not runner.is_alive()
    reports = {o.shard: o for o in outcomes if isinstance(o, ShardReport)}
    assert sorted(reports) == ["big", "small"], outcomes  # no task failed
    assert not reports["big"].worker.endswith(f"-{killed}")  # another attempt wrote it
    records = [json.loads(line) for line in (out / "big.jsonl").read_text().splitlines()]
    assert len(records) == reports["big"].articles
    counts = Counter(r["url"] for r in records)
    assert set(counts.values()) == {20}  # every page of the 20 copies, none twice more
    assert sorted(p.name for p in out.iterdir()) == [
        "big.done",
        "big.jsonl",
        "big.rejects.jsonl",
        "small.done",
        "small.jsonl",
        "small.rejects.jsonl",
    ]  # fmt: skip  (the dead attempt's temporary file is gone)
    local = tmp_path / "local"
    list(run_local(plan([str(big)]), Options(str(local)), 1))
    assert (out / "big.jsonl").read_bytes() == (local / "big.jsonl").read_bytes()


def _kill_worker_writing(out: Path, shard: str) -> int:
    """SIGKILL the worker process whose temporary shard file has some articles in it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for tmp in out.glob(f".{shard}.tmp-*.jsonl"):
            if tmp.exists() and tmp.stat().st_size > 0:
                pid = int(tmp.name.rsplit(".", 1)[0].rsplit("-", 1)[1])
                os.kill(pid, signal.SIGKILL)
                return pid
        time.sleep(0.01)
    raise AssertionError("the task never started writing its shard")


def test_the_default_scheduler_is_a_local_cluster_of_worker_processes(tmp_path: Path) -> None:
    archive = build(tmp_path / "in", "crawl", 1)
    out = tmp_path / "out"
    args = ["--warc", str(archive), "--engine", "dask", "--workers", "1", "--out", str(out)]
    result = CliRunner().invoke(cli, ["extract", *args])
    assert result.exit_code == 0, result.stderr
    marker = json.loads((out / "crawl.done").read_text())
    assert marker["articles"] == len((out / "crawl.jsonl").read_text().splitlines()) > 0
    assert not marker["worker"].endswith(f"-{os.getpid()}")  # extracted in a worker process
