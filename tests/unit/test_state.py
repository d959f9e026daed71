"""The state database and the run lock: what the next run relies on."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from scraper.errors import LockedError
from scraper.state import ArticleRow, DocumentRow, PageStatus, RunLock, State


@pytest.fixture
def state(tmp_path: Path) -> Iterator[State]:
    with closing(State(tmp_path / "state.sqlite")) as db:
        yield db


def test_pages_remember_outcome_lastmod_and_validators(state: State) -> None:
    state.put_page("k", "https://x.example/a", "src", PageStatus.ARTICLE, lastmod="2024-05-01",
                   etag='"e1"', last_modified="Wed, 01 May 2024 09:00:00 GMT")  # fmt: skip
    state.put_page("k", "https://x.example/a", "src", PageStatus.ARTICLE)  # keeps what it knew
    row = state.page("k")
    assert row is not None
    assert (row.status, row.lastmod, row.etag) == (PageStatus.ARTICLE, "2024-05-01", '"e1"')
    assert state.page("other") is None


def test_transient_failures_are_retried_a_bounded_number_of_times(state: State) -> None:
    for _ in range(3):
        state.put_page("k", "https://x.example/a", "src", PageStatus.RETRY, reason="transient")
    assert [r.attempts for r in state.pages_to_retry(max_attempts=5)] == [3]
    assert state.pages_to_retry(max_attempts=3) == []
    state.put_page("k", "https://x.example/a", "src", PageStatus.ARTICLE)
    assert state.pages_to_retry(max_attempts=5) == []


def test_articles_by_key_and_by_content_hash(state: State) -> None:
    state.put_article(ArticleRow("key", "id1", "hash1", 1))
    state.put_article(ArticleRow("key", "id1", "hash2", 2))
    assert state.article("key") == ArticleRow("key", "id1", "hash2", 2)
    assert state.article_with_hash("hash2") == ArticleRow("key", "id1", "hash2", 2)
    assert state.article_with_hash("hash1") is None


def test_nothing_is_kept_until_commit(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with closing(State(path)) as db:
        db.put_document("https://x.example/feed", DocumentRow('"e"', None, None))
        db.put_committed_bytes("articles/a.jsonl", 10)
        db.commit()
        db.put_committed_bytes("articles/a.jsonl", 99)  # never committed
    with closing(State(path)) as db:
        assert db.document("https://x.example/feed").etag == '"e"'
        assert db.document("https://x.example/unknown") == DocumentRow()
        assert db.committed_bytes("articles/a.jsonl") == 10


def test_second_lock_on_one_data_dir_is_refused_with_the_holder(tmp_path: Path) -> None:
    refused = pytest.raises(LockedError, match=r"another scraper run is using .* \(pid \d+\)")
    with RunLock(tmp_path), refused:
        RunLock(tmp_path).acquire()
    with RunLock(tmp_path):  # released: the next run may start
        pass


def test_a_killed_holder_does_not_leave_the_lock_behind(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from scraper.state import RunLock;"
        f"RunLock(Path({str(tmp_path)!r})).acquire(); print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(LockedError):
            RunLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 5
    while True:
        try:
            with RunLock(tmp_path):
                break
        except LockedError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
