"""Clean a whole JSONL corpus, field by field, streaming, on every core.

Datasets of pages saved long ago hold one record per line with the page (text
or HTML) in one field. Records are read lazily and cleaned in a process pool
in order, so memory stays flat and the output lines up with the input; a bad
record (unreadable, a page the extractor fails on or runs too long on) is
reported with its line number and never stops the rest.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Literal

from scraper import api
from scraper.deadline import PageTimeout, Watchdog
from scraper.errors import ScraperError
from scraper.workers import cores, quiet_worker

Format = Literal["text", "html"]


@dataclass(frozen=True)
class CorpusJob:
    """How to read a record and what to write for it."""

    field: str
    input_format: Format = "text"
    url_field: str | None = "url"
    in_place: bool = False  # write the input record with ``field`` replaced by the clean body
    timeout: float = 30.0  # seconds one record may take to clean


@dataclass
class CorpusResult:
    line: int
    output: str | None = None
    error: str | None = None


def clean_record(job: CorpusJob, line_no: int, line: str) -> CorpusResult:
    """One input line to one output line, or the reason it could not be cleaned."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return CorpusResult(line_no, error=f"invalid JSON: {exc.msg}")
    if not isinstance(record, dict):
        return CorpusResult(line_no, error="not a JSON object")
    value = record.get(job.field)
    if not isinstance(value, str):
        what = "missing" if value is None else f"not a string ({type(value).__name__})"
        return CorpusResult(line_no, error=f"field {job.field!r} is {what}")
    url = record.get(job.url_field) if job.url_field else None
    url = url if isinstance(url, str) and url else None
    try:
        with _watchdog().limit(job.timeout):
            if job.input_format == "html":
                article = api.extract(value, url=url)
            else:
                article = api.clean_text(value, url=url)
    except ScraperError as exc:
        return CorpusResult(line_no, error=str(exc))
    except PageTimeout:
        return CorpusResult(line_no, error=f"timed out: cleaning took over {job.timeout:g} s")
    except Exception as exc:  # a bug met on one record must not end the corpus
        return CorpusResult(line_no, error=f"internal error: {type(exc).__name__}: {exc}")
    output: dict[str, Any]
    if job.in_place:
        output = {**record, job.field: article.body}
    else:
        output = article.model_dump(mode="json")
    return CorpusResult(line_no, output=json.dumps(output, ensure_ascii=False))


_dogs: dict[int, Watchdog] = {}


def _watchdog() -> Watchdog:
    """One watchdog thread per process: a forked pool process does not inherit the thread."""
    pid = os.getpid()
    if pid not in _dogs:
        _dogs[pid] = Watchdog()
    return _dogs[pid]


def _work(args: tuple[CorpusJob, int, str]) -> CorpusResult:
    return clean_record(*args)


def clean_corpus(
    lines: Iterable[str], job: CorpusJob, *, workers: int | None = None
) -> Iterator[CorpusResult]:
    """Results in input order; blank lines are skipped (and not counted)."""
    tasks = ((job, no, line) for no, line in enumerate(lines, 1) if line.strip())
    workers = workers if workers is not None else cores()
    if workers <= 1:
        yield from map(_work, tasks)
        return
    # forkserver/spawn would re-import per worker; fork shares the loaded modules
    context = get_context("fork") if hasattr(os, "fork") else get_context()
    with context.Pool(workers, initializer=quiet_worker) as pool:
        yield from pool.imap(_work, tasks, chunksize=32)
