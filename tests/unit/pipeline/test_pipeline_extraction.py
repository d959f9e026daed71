"""The extraction pool: outcomes as values, a slow page cut off, a dead process replaced."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scraper.errors import ExtractionPoolError
from scraper.models import Article
from scraper.pipeline.extraction import (
    MAX_RESTARTS,
    ExtractFailure,
    ExtractionPool,
    sweep_stale_pages,
)
from scraper.pipeline.stats import RunStats
from tests.conftest import REPO

PAGE = (
    REPO / "tests" / "fixtures" / "html" / "telesur-example__us-venezuela-assembly.html"
).read_bytes()


def kill_a_worker(pool: ExtractionPool) -> None:
    pool.warm()
    pid = pool.pids()[0]
    os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def test_articles_and_failures_come_back_as_values() -> None:
    async def scenario() -> list[Article | ExtractFailure]:
        pool = ExtractionPool(1, timeout=30)
        try:
            return [
                await pool.extract(PAGE, "https://x.example/a", None),
                await pool.extract(b"\x00\x01binary", "https://x.example/b", None),
            ]
        finally:
            pool.close()

    article, failure = asyncio.run(scenario())
    assert isinstance(article, Article) and article.word_count > 100
    assert isinstance(failure, ExtractFailure) and not failure.broken


def test_a_page_over_the_time_limit_is_cut_off() -> None:
    async def scenario() -> Article | ExtractFailure:
        pool = ExtractionPool(1, timeout=0.001)
        try:
            return await pool.extract(PAGE * 20, "https://x.example/a", None)
        finally:
            pool.close()

    outcome = asyncio.run(scenario())
    assert outcome == ExtractFailure("timeout", "extraction took over 0.001s", broken=True)


def test_a_dead_process_is_replaced_and_its_page_retried_later() -> None:
    async def scenario() -> list[Article | ExtractFailure]:
        pool = ExtractionPool(1, timeout=30)
        try:
            kill_a_worker(pool)
            caught = await pool.extract(PAGE, "https://x.example/a", None)
            return [caught, await pool.extract(PAGE, "https://x.example/a", None)]
        finally:
            pool.close()

    caught, after = asyncio.run(scenario())
    assert isinstance(caught, ExtractFailure) and caught.retry
    assert isinstance(after, Article)


def test_a_pool_that_keeps_dying_ends_the_run() -> None:
    async def scenario() -> None:
        pool = ExtractionPool(1, timeout=30)
        try:
            for _ in range(MAX_RESTARTS + 1):
                kill_a_worker(pool)
                await pool.extract(PAGE, "https://x.example/a", None)
        finally:
            pool.close()

    with pytest.raises(ExtractionPoolError, match="died 6 times"):
        asyncio.run(scenario())


def test_page_folders_of_killed_runs_are_swept(tmp_path: Path) -> None:

    dead = tmp_path / "scraper-pages-999999999-abc"
    dead.mkdir()
    (dead / "1.html").write_bytes(b"<html>")
    alive = tmp_path / f"scraper-pages-{os.getpid()}-def"
    alive.mkdir()
    other = tmp_path / "something-else"
    other.mkdir()
    assert sweep_stale_pages(tmp_path) == 1
    assert not dead.exists()
    assert alive.exists() and other.exists()


def test_what_was_removed_from_the_text_is_counted_by_reason() -> None:
    async def scenario() -> ExtractionPool:
        pool = ExtractionPool(1, timeout=30)
        try:
            await pool.extract(PAGE, "https://x.example/a", None)
            return pool
        finally:
            pool.close()

    removed = asyncio.run(scenario()).removed
    # the sample page's share bar, related box and comment widget are inside its container
    assert removed["preclean:related_box"] >= 1
    assert removed["preclean:class:share"] >= 1
    assert removed["preclean:class:comentarios"] >= 1
    stats = RunStats(removed=removed)
    line = stats.removed_line()
    assert line is not None and line.startswith("removed from the text: ")
    assert stats.as_dict()["removed"] == dict(removed.most_common())


ABANDONED = """
import asyncio, os, sys
from scraper.pipeline.extraction import ExtractionPool
pool = ExtractionPool(2, 30, fork_now=True)  # no other thread, no event loop: forked now
pids = pool.pids()
outcome = asyncio.run(pool.extract(open(sys.argv[1], "rb").read(), "https://x.example/a", None))
print(type(outcome).__name__, *pids, flush=True)
os._exit(0)  # gone as after kill -9: nothing stopped, nothing closed
"""
PAGE_PATH = REPO / "tests" / "fixtures" / "html" / "telesur-example__us-venezuela-assembly.html"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_forked_processes_extract_and_leave_when_their_parent_dies(tmp_path: Path) -> None:
    printed = tmp_path / "pids"  # a file, not a pipe: processes left behind must not hold it
    with printed.open("w") as out:
        command = [sys.executable, "-c", ABANDONED, str(PAGE_PATH)]
        subprocess.run(command, stdout=out, timeout=60, cwd=REPO, check=True)
    outcome, *pids = printed.read_text().split()
    assert outcome == "Article"
    assert len(pids) == 2, "the processes start with the pool"
    deadline = time.monotonic() + 10
    try:
        while any(_running(int(pid)) for pid in pids):
            assert time.monotonic() < deadline, "extraction processes outlived their parent"
            time.sleep(0.05)
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)


def test_with_another_thread_running_nothing_is_forked() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pool = ExtractionPool(1, timeout=30, fork_now=True)
        assert pool.pids() == []  # left to the forkserver, when the first page comes
        pool.close()
    finally:
        stop.set()
        thread.join()
