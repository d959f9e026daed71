"""Real `scraper run` processes: killed with SIGKILL mid-run, and started twice at once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.run.conftest import Gazette, article_lines
from tests.integration.run.site import Site

ARTICLES = 48
RUN = [sys.executable, "-m", "scraper", "run"]


@pytest.fixture
def slow_gazette(site: Site) -> Gazette:
    """Many articles, each answered after a pause, so that a run lasts a few seconds."""
    paper = Gazette(site)
    for number in range(ARTICLES):
        paper.add(f"story-{number:02d}")
    site.set_delay(0.15, prefix="/news/")
    return paper


def start_run(config_path: Path, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [*RUN, "--config", str(config_path), "--data", str(data_dir)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool dies with it
        )


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def line_count(data_dir: Path) -> int:
    files = (data_dir / "articles").glob("*.jsonl")
    return sum(path.read_bytes().count(b"\n") for path in files)


def test_killed_runs_resume_with_every_article_exactly_once(
    config_path: Path, data_dir: Path, slow_gazette: Gazette, tmp_path: Path
) -> None:
    log = tmp_path / "runs.log"
    for threshold in (1, 12, 30):  # kill -9 three times, each later in the dataset
        process = start_run(config_path, data_dir, log)
        wait_for(lambda t=threshold, p=process: line_count(data_dir) >= t or p.poll() is not None)
        assert process.poll() is None, log.read_text()
        kill_group(process)

    final = start_run(config_path, data_dir, log)
    assert final.wait(timeout=120) == 0, log.read_text()

    lines = article_lines(data_dir)  # fails on a torn line
    records = [json.loads(line) for line in lines]
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls)) == ARTICLES
    assert len({r["id"] for r in records}) == ARTICLES
    with sqlite3.connect(data_dir / "state.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (ARTICLES,)


def test_a_second_run_on_the_same_data_exits_at_once(
    config_path: Path, data_dir: Path, slow_gazette: Gazette, tmp_path: Path
) -> None:
    slow_gazette.site.set_delay(1.0, prefix="/news/")  # the first run lasts several seconds
    first = start_run(config_path, data_dir, tmp_path / "first.log")
    try:
        wait_for(lambda: line_count(data_dir) >= 1)
        started = time.monotonic()
        second = subprocess.run(
            [*RUN, "--config", str(config_path), "--data", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        took = time.monotonic() - started
        assert first.poll() is None, "the first run ended too soon to test the lock"
    finally:
        kill_group(first)
    assert second.returncode == 75
    assert second.stdout == ""
    [message] = second.stderr.splitlines()
    assert message.startswith("error: another scraper run is using")
    assert f"pid {first.pid}" in message
    assert took < 10
