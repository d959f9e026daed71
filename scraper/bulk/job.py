"""One task: the pages of one WARC file (or byte range) to one output shard.

This is the function both engines run, in a local process or on a Dask
worker, so their results are identical. A shard is written under a private
temporary name and renamed into place, then its ``.done`` marker (the task's
report, as JSON) is written last: a task that finds the marker returns the
stored report without reading its input, so a rerun skips finished shards,
and a task killed halfway leaves only a temporary file that its retry clears.
"""

from __future__ import annotations

import glob
import json
import os
import socket
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from scraper import api
from scraper.deadline import PageTimeout, Watchdog
from scraper.errors import ScraperError
from scraper.models import Article
from scraper.rules import RuleBook
from scraper.sinks import JsonlSink, RejectSink, Sink
from scraper.warc import MAX_PAGE_BYTES, Page, Skipped, read_archive

Format = Literal["jsonl", "parquet"]


@dataclass(frozen=True)
class Task:
    """A file, or the records of ``[start, end)`` of it; ``shard`` names the output."""

    path: str
    shard: str
    start: int = 0
    end: int | None = None


@dataclass(frozen=True)
class Options:
    out: str
    format: Format = "jsonl"
    timeout: float = 30.0
    max_bytes: int = MAX_PAGE_BYTES
    rules: RuleBook | None = None


@dataclass
class ShardReport:
    """What one task did; also the content of the shard's ``.done`` marker."""

    shard: str
    input: str
    start: int = 0
    end: int | None = None
    records: int = 0
    articles: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    worker: str = ""
    reused: bool = False  # found complete from an earlier run: nothing was read

    @classmethod
    def from_json(cls, text: str) -> ShardReport:
        return cls(**json.loads(text))


def shard_files(out: Path, shard: str, fmt: Format) -> tuple[Path, Path, Path]:
    """The articles, the rejects and the marker of a shard."""
    return out / f"{shard}.{fmt}", out / f"{shard}.rejects.jsonl", out / f"{shard}.done"


def write_shard(task: Task, options: Options) -> ShardReport:
    """Extract the task's pages into its shard, unless the shard is complete already."""
    out = Path(options.out)
    articles_path, rejects_path, marker = shard_files(out, task.shard, options.format)
    if marker.exists():
        report = ShardReport.from_json(marker.read_text(encoding="utf-8"))
        report.reused = True
        return report
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(glob.escape(f".{task.shard}.tmp-") + "*"):  # of an attempt that died
        stale.unlink(missing_ok=True)
    worker = f"{socket.gethostname()}-{os.getpid()}"
    tmp = f".{task.shard}.tmp-{worker}"
    tmp_articles = out / f"{tmp}.{options.format}"
    tmp_rejects = out / f"{tmp}.rejects.jsonl"
    report = ShardReport(task.shard, task.path, task.start, task.end, worker=worker)
    started, cpu = time.monotonic(), time.process_time()
    sink = _article_sink(tmp_articles, options.format)
    rejects = RejectSink(tmp_rejects)
    try:
        _extract_into(task, options, sink, rejects, report)
    finally:
        sink.close()
        rejects.close()
    if not tmp_articles.exists():
        _write_empty(tmp_articles, options.format)
    tmp_rejects.touch()
    report.seconds = round(time.monotonic() - started, 3)
    report.cpu_seconds = round(time.process_time() - cpu, 3)
    os.replace(tmp_articles, articles_path)
    os.replace(tmp_rejects, rejects_path)
    tmp_marker = out / f"{tmp}.done"
    tmp_marker.write_text(json.dumps(asdict(report)), encoding="utf-8")
    os.replace(tmp_marker, marker)
    return report


def _extract_into(
    task: Task, options: Options, sink: Sink, rejects: RejectSink, report: ShardReport
) -> None:
    skipped: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    dog = Watchdog()
    try:
        items = read_archive(Path(task.path), task.start, task.end, max_bytes=options.max_bytes)
        for item in items:
            report.records += 1
            if isinstance(item, Skipped):
                skipped[item.reason] += 1
                continue
            if isinstance(item, Page):
                outcome = extract_page(item, options, dog)
                if isinstance(outcome, Article):
                    sink.write(outcome)
                    report.articles += 1
                    continue
                stage, reason, detail = outcome
            else:
                stage, reason, detail = "read", item.reason, item.detail
            rejected[f"{stage}:{reason}"] += 1
            rejects.write(
                {"file": task.path, "offset": item.offset, "url": item.url}
                | {"stage": stage, "reason": reason, "detail": detail}
            )
    finally:
        dog.close()
    report.skipped = dict(sorted(skipped.items()))
    report.rejected = dict(sorted(rejected.items()))


def extract_page(page: Page, options: Options, dog: Watchdog) -> Article | tuple[str, str, str]:
    """The page's Article, or ``(stage, reason, detail)``; bounded by ``options.timeout``."""
    try:
        with dog.limit(options.timeout):
            found = api.explain(page.content, page.url, charset=page.charset, rules=options.rules)
            article = api.article_of(found)
    except ScraperError as exc:
        return "extract", exc.reason, str(exc)
    except PageTimeout:
        return "extract", "timeout", f"extraction took over {options.timeout:g}s"
    except Exception as exc:  # a bug on one page must not lose the rest of the file
        return "extract", "crash", f"{type(exc).__name__}: {exc}"[:500]
    return article.model_copy(update={"fetched_at": iso_date(page.date)})


def iso_date(value: str | None) -> str | None:
    """A WARC-Date as the runs write ``fetched_at``: UTC, seconds, ``Z``."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _article_sink(path: Path, fmt: Format) -> Sink:
    if fmt == "parquet":
        from scraper.sinks.parquet import ParquetSink  # pyarrow only when asked for

        return ParquetSink(path)
    return JsonlSink(path)


def _write_empty(path: Path, fmt: Format) -> None:
    """A shard with no articles still exists, so every input has its output."""
    if fmt == "parquet":
        from scraper.sinks.parquet import write_empty

        write_empty(path)
    else:
        path.touch()
