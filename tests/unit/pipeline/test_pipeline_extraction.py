"""The extraction pool: outcomes as values, a slow page cut off, a dead process replaced."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
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
