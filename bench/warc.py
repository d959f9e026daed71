"""Issue 7's figures: bulk extraction of WARC files, one process against Dask with two workers,
and the memory of a worker that streams one large WARC file.

The WARC files are built with warcio, in a temporary directory (never in the repository),
from the benchmark pages (aeb-dev and traf-dev HTML), URLs made up per page. Both contenders
run the same task function (``scraper.bulk.write_shard``) over the same files into fresh
output directories, in alternating rounds, so that load from other work on the machine hits
both alike; the figures are medians over rounds, with wall time and CPU seconds.

    python bench/warc.py                       # 8 files, 3 rounds, then the 1 GB file (~6 min)
    python bench/warc.py --big-mb 0            # throughput only (~2 min)
    python bench/warc.py --rounds 5 --json out.json --check
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from metrics import DEFAULT_DATA
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.bulk import Options, ShardReport, Task, plan, run_dask, write_shard
from scraper.bulk.engines import NO_PROFILER, local_cluster

RATIO_TARGET = 1.8
RSS_TARGET_MB = 300.0


def load_pages(data: Path) -> list[bytes]:
    paths = sorted((data / "aeb-dev" / "html").glob("*.html.gz"))
    paths += sorted((data / "traf-dev" / "html").glob("*.html.gz"))
    return [gzip.decompress(p.read_bytes()) for p in paths]


def _records(pages: list[bytes], start: int) -> Iterator[tuple[str, bytes]]:
    number = start
    while True:
        for body in pages:
            yield f"https://bench{number % 97}.example/news/{number}.html", body
            number += 1


def write_warc(
    path: Path, pages: list[bytes], *, count: int = 0, size: int = 0, first: int = 0
) -> int:
    """``count`` response records (or records until the file holds ``size`` bytes); gzipped
    per record when the name ends in .gz. Returns the number of records."""
    written = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for url, body in _records(pages, first):
            if (count and written >= count) or (size and fh.tell() >= size):
                break
            head = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ]
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders("200 OK", head, protocol="HTTP/1.1"),
            )
            writer.write_record(record)
            written += 1
    return written


def serial(tasks: list[Task], out: Path) -> tuple[float, float, list[ShardReport]]:
    """Every task in this process, one after another: the single-process reference."""
    wall, cpu = time.perf_counter(), time.process_time()
    reports = [write_shard(task, Options(str(out))) for task in tasks]
    return time.perf_counter() - wall, time.process_time() - cpu, reports


def on_dask(tasks: list[Task], out: Path, scheduler: str) -> tuple[float, float, list[ShardReport]]:
    wall = time.perf_counter()
    outcomes = list(run_dask(tasks, Options(str(out)), scheduler))
    elapsed = time.perf_counter() - wall
    reports = [o for o in outcomes if isinstance(o, ShardReport)]
    if len(reports) != len(tasks):
        raise SystemExit(f"dask: {len(tasks) - len(reports)} tasks failed: {outcomes}")
    return elapsed, sum(r.cpu_seconds for r in reports), reports


def first_difference(tasks: list[Task], one: Path, other: Path) -> str:
    """The first record that two runs wrote differently, and the fields that differ."""
    for task in tasks:
        mine = (one / f"{task.shard}.jsonl").read_text(encoding="utf-8").splitlines()
        theirs = (other / f"{task.shard}.jsonl").read_text(encoding="utf-8").splitlines()
        if len(mine) != len(theirs):
            return f"{task.shard}: {len(mine)} records against {len(theirs)}"
        for a, b in zip(mine, theirs, strict=True):
            if a != b:
                x, y = json.loads(a), json.loads(b)
                fields = {k: (str(x[k])[:80], str(y[k])[:80]) for k in x if x[k] != y.get(k)}
                return f"{task.shard}: {x['url']}: {fields}"
    return ""


def _warm() -> None:
    import scraper.bulk.job  # noqa: F401


def _peak_rss_kb() -> int:
    """VmHWM, the peak resident set of this process image. Not ru_maxrss: it survives exec,
    so a worker spawned from this process would report this process's peak as its own."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class RssSampler:
    """The resident memory of some processes, sampled every ``every`` seconds."""

    def __init__(self, pids: list[int], every: float = 0.25) -> None:
        import psutil  # comes with distributed

        self._procs = [psutil.Process(pid) for pid in pids]
        self._every = every
        self.samples: list[tuple[float, list[int]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.perf_counter()
        while not self._stop.wait(self._every):
            rss = [p.memory_info().rss for p in self._procs]
            self.samples.append((time.perf_counter() - start, rss))

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--files", type=int, default=8, help="WARC files for the throughput run")
    parser.add_argument("--per-file", type=int, default=120, help="records per file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes")
    parser.add_argument("--big-mb", type=int, default=1000, help="size of the large WARC (0: skip)")
    parser.add_argument("--range-mb", type=int, default=0, help="cut the large file into ranges")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    import dask
    import distributed

    figures: dict[str, Any] = {}
    pages = load_pages(args.data)
    with tempfile.TemporaryDirectory(prefix="bench-warc-") as tmp:
        work = Path(tmp)
        inputs = []
        for n in range(args.files):
            path = work / f"bench-{n:05d}.warc.gz"
            write_warc(path, pages, count=args.per_file, first=n * args.per_file)
            inputs.append(str(path))
        tasks = plan(inputs)
        records = args.files * args.per_file
        size_mb = sum(Path(p).stat().st_size for p in inputs) / 1e6
        print(f"{args.files} WARC files, {records} records, {size_mb:.0f} MB (gzip)", flush=True)

        started = time.perf_counter()
        dask.config.set(NO_PROFILER)  # as run_dask starts its LocalCluster
        cluster = local_cluster(args.workers)
        client = distributed.Client(cluster)
        client.run(_warm)  # imports once, as a long run would
        figures["dask_start_s"] = round(time.perf_counter() - started, 2)

        write_shard(tasks[0], Options(str(work / "warm")))  # this process imports too
        loads: list[float] = []  # the machine is shared: say how busy it was
        one: list[tuple[float, float]] = []
        many: list[tuple[float, float]] = []
        for round_no in range(args.rounds):
            out = work / f"serial-{round_no}"
            wall, cpu, reports = serial(tasks, out)
            one.append((wall, cpu))
            articles = sum(r.articles for r in reports)
            out_dask = work / f"dask-{round_no}"
            wall_d, cpu_d, _ = on_dask(tasks, out_dask, cluster.scheduler_address)
            many.append((wall_d, cpu_d))
            same = not (diff := first_difference(tasks, out, out_dask))
            if diff:
                print(f"  shards differ: {diff}", flush=True)
            loads.append(os.getloadavg()[0])
            print(
                f"round {round_no + 1} (load {loads[-1]:.1f}): "
                f"one process {wall:.1f} s ({cpu:.1f} CPU s), "
                f"dask x{args.workers} {wall_d:.1f} s ({cpu_d:.1f} CPU s in tasks), "
                f"ratio {wall / wall_d:.2f}; articles {articles}, identical shards {same}",
                flush=True,
            )
            shutil.rmtree(out)
            shutil.rmtree(out_dask)
        if one:  # --rounds 0: the large file's memory only
            figures |= throughput(one, many, records, loads)
        if args.big_mb:
            figures |= big_file(work, pages, args, client, cluster.scheduler_address)
        client.close()
        cluster.close()

    print(json.dumps(figures, indent=2))
    ok = (
        figures.get("ratio_median", 0) >= RATIO_TARGET
        and figures.get("worker_peak_rss_mb", 0) < RSS_TARGET_MB
    )
    print(
        f"targets: dask/one-process throughput {figures.get('ratio_median', '-')} "
        f"(>= {RATIO_TARGET}); "
        f"peak RSS per worker {figures.get('worker_peak_rss_mb', '-')} MB (< {RSS_TARGET_MB:.0f})"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    if args.check and not ok:
        sys.exit(1)


def throughput(
    one: list[tuple[float, float]],
    many: list[tuple[float, float]],
    records: int,
    loads: list[float],
) -> dict[str, Any]:
    """The rounds' figures: wall and CPU seconds of one process against the cluster."""
    one_wall = statistics.median(w for w, _ in one)
    many_wall = statistics.median(w for w, _ in many)
    ratios = [a[0] / b[0] for a, b in zip(one, many, strict=True)]
    return {
        "records": records,
        "one_process_records_per_s": round(records / one_wall, 1),
        "one_process_cpu_s_per_record": round(statistics.median(c for _, c in one) / records, 4),
        "dask_records_per_s": round(records / many_wall, 1),
        "ratio_median": round(one_wall / many_wall, 2),
        "ratio_best_of_rounds": round(min(w for w, _ in one) / min(w for w, _ in many), 2),
        # CPU seconds per wall second: the cores each side got from a shared machine
        "one_process_cores_obtained": round(statistics.median(c / w for w, c in one), 2),
        "dask_cores_obtained": round(statistics.median(c / w for w, c in many), 2),
        "dask_cpu_per_record_over_one_process": round(
            sum(c for _, c in many) / sum(c for _, c in one), 3
        ),
        "ratio_min": round(min(ratios), 2),
        "ratio_max": round(max(ratios), 2),
        "peak_rss_this_process_mb": round(_peak_rss_kb() / 1024, 1),
        "load_average_1min": loads,
        "cores": os.cpu_count(),
    }


def big_file(
    work: Path, pages: list[bytes], args: argparse.Namespace, client: Any, scheduler: str
) -> dict[str, Any]:
    """One large file on the cluster; every worker's RSS sampled while it streams."""
    path = work / "big-00000.warc.gz"
    count = write_warc(path, pages, size=args.big_mb * 1_000_000, first=10_000_000)
    size_mb = path.stat().st_size / 1e6
    tasks = plan([str(path)], args.range_mb * 1_000_000)
    print(f"large file: {size_mb:.0f} MB, {count} records, {len(tasks)} task(s)", flush=True)
    client.restart()  # fresh workers: their peak RSS is this run's
    pids = list(client.run(os.getpid).values())
    with RssSampler(pids) as sampler:
        wall, _, reports = on_dask(tasks, work / "big-out", scheduler)
    peaks = client.run(_peak_rss_kb)
    rss = [max(s[1][i] for s in sampler.samples) / 2**20 for i in range(len(pids))]
    busy = [s for s in sampler.samples if s[0] > 1]
    quarter = max(1, len(busy) // 4)
    early = max(max(r) for _, r in busy[:quarter]) / 2**20 if busy else 0
    late = max(max(r) for _, r in busy[-quarter:]) / 2**20 if busy else 0
    return {
        "big_file_mb": round(size_mb),
        "big_file_records": count,
        "big_file_articles": sum(r.articles for r in reports),
        "big_file_output_mb": round(
            sum(p.stat().st_size for p in (work / "big-out").glob("*.jsonl")) / 1e6
        ),
        "big_file_wall_s": round(wall, 1),
        "big_file_records_per_s": round(count / wall, 1),
        "worker_peak_rss_mb": round(max(peaks.values()) / 1024, 1),
        "worker_peak_rss_sampled_mb": [round(r, 1) for r in rss],
        "worker_rss_first_quarter_mb": round(early, 1),
        "worker_rss_last_quarter_mb": round(late, 1),
    }


if __name__ == "__main__":
    main()
