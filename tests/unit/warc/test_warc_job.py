"""One task, as either engine runs it: a shard per input, written once, skipped when done."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scraper.bulk import Options, Task, plan, shard_files, write_shard
from scraper.bulk.job import extract_page, iso_date
from scraper.deadline import Watchdog
from scraper.errors import ScraperError
from scraper.warc import Page
from tests.conftest import assert_valid_record
from tests.unit.warc.archives import (
    DATE,
    Response,
    article_pages,
    break_member,
    responses,
    write_warc,
)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Five article pages, a request record, a 404, and a damaged member in the middle."""
    path = tmp_path / "in" / "crawl-00001.warc.gz"
    path.parent.mkdir()
    pages = responses(article_pages()[:6])
    missing = Response("https://example.org/gone", b"<html></html>", status="404 Not Found")
    offsets = write_warc(path, [*pages[:3], "request", missing, *pages[3:]])
    break_member(path, offsets[4])  # the 404 record's member
    return path


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_shard_holds_an_article_per_html_response_and_a_reject_per_bad_record(
    archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = write_shard(Task(str(archive), "crawl-00001"), Options(str(out)))
    articles_path, rejects_path, marker = shard_files(out, "crawl-00001", "jsonl")
    records = lines(articles_path)
    expected = [p.url for p in article_pages()[:6]]
    assert [r["url"] for r in records] == expected
    assert all(r["fetched_at"] == DATE and r["version"] is None for r in records)
    for record in records:
        assert_valid_record(record)
    rejects = lines(rejects_path)
    assert rejects and all(r["reason"] == "corrupt" and r["file"] == str(archive) for r in rejects)
    assert report.articles == 6 and report.skipped["record:request"] == 1
    assert report.rejected == {"read:corrupt": len(rejects)}
    assert report.records == 6 + sum(report.skipped.values()) + len(rejects)
    assert json.loads(marker.read_text())["articles"] == 6
    assert sorted(p.name for p in out.iterdir()) == [
        "crawl-00001.done", "crawl-00001.jsonl", "crawl-00001.rejects.jsonl"
    ]  # fmt: skip


def test_a_complete_shard_is_not_read_again(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write_shard(Task(str(archive), "crawl"), Options(str(out)))
    written = (out / "crawl.jsonl").read_bytes()
    archive.unlink()  # the rerun must not need it
    again = write_shard(Task(str(archive), "crawl"), Options(str(out)))
    assert again.reused and not first.reused
    assert (again.records, again.articles) == (first.records, first.articles)
    assert (out / "crawl.jsonl").read_bytes() == written


def test_what_a_dead_attempt_left_is_cleared_and_the_shard_written_whole(
    archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".crawl.tmp-otherhost-123.jsonl").write_text('{"half": ')
    (out / "crawl.jsonl").write_text("stale\n")  # renamed in, but the marker never came
    report = write_shard(Task(str(archive), "crawl"), Options(str(out)))
    assert len(lines(out / "crawl.jsonl")) == report.articles == 6
    assert sorted(p.name for p in out.iterdir()) == [
        "crawl.done", "crawl.jsonl", "crawl.rejects.jsonl"
    ]  # fmt: skip


def test_parquet_shards_hold_the_same_rows(archive: Path, tmp_path: Path) -> None:
    as_jsonl = tmp_path / "jsonl"
    as_parquet = tmp_path / "parquet"
    write_shard(Task(str(archive), "c"), Options(str(as_jsonl)))
    write_shard(Task(str(archive), "c"), Options(str(as_parquet), format="parquet"))
    rows = pq.read_table(as_parquet / "c.parquet").to_pylist()
    assert rows == lines(as_jsonl / "c.jsonl")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_an_input_without_articles_still_gets_its_shard(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "empty.warc.gz"
    write_warc(path, ["warcinfo", "request"])
    options = Options(str(tmp_path / "out"), format="parquet" if fmt == "parquet" else "jsonl")
    report = write_shard(Task(str(path), "empty"), options)
    articles_path, _, marker = shard_files(tmp_path / "out", "empty", options.format)
    assert report.articles == 0 and marker.exists()
    if fmt == "parquet":
        assert pq.read_table(articles_path).num_rows == 0
    else:
        assert articles_path.read_bytes() == b""


def slow_page() -> bytes:
    """About a second of extraction: 20,000 paragraphs (under the 10 MB cap)."""
    sentence = "The council met on Tuesday to discuss the harbour budget and the ferry timetable. "
    paragraph = f"<p>{sentence * 5}</p>"
    return f"<html><body><article>{paragraph * 20_000}</article></body></html>".encode()


def test_a_page_over_its_time_limit_is_rejected_and_the_file_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "slow.warc.gz"
    quick = responses(article_pages()[:2])
    write_warc(path, [quick[0], Response("https://example.org/slow", slow_page()), quick[1]])
    out = tmp_path / "out"
    report = write_shard(Task(str(path), "slow"), Options(str(out), timeout=0.25))
    assert (report.articles, report.rejected) == (2, {"extract:timeout": 1})
    [reject] = lines(out / "slow.rejects.jsonl")
    assert (reject["url"], reject["detail"]) == (
        "https://example.org/slow",
        "extraction took over 0.25s",
    )


def test_the_time_limit_holds_in_a_worker_thread_too() -> None:
    """Dask runs tasks in threads, where no SIGALRM arrives."""
    fixture = article_pages()[0]
    slow = Page(0, "https://example.org/slow", DATE, slow_page(), None)
    quick = Page(1, str(fixture.url), DATE, fixture.html_path.read_bytes(), None)
    outcomes: list[object] = []

    def work() -> None:
        dog = Watchdog()
        outcomes.append(extract_page(slow, Options("", timeout=0.25), dog))
        outcomes.append(extract_page(quick, Options("", timeout=30), dog))
        dog.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    timed_out, article = outcomes
    assert isinstance(timed_out, tuple) and timed_out[:2] == ("extract", "timeout")
    assert getattr(article, "url", None) == fixture.url


def test_warc_dates_become_fetched_at_as_runs_write_it() -> None:
    assert iso_date("2024-05-01T09:00:00Z") == "2024-05-01T09:00:00Z"
    assert iso_date("2024-05-01T11:00:00.123456+02:00") == "2024-05-01T09:00:00Z"
    assert iso_date("not a date") is None


def test_tasks_are_files_or_byte_ranges_named_after_their_input(tmp_path: Path) -> None:
    big = tmp_path / "CC-MAIN-2024-00001.warc.gz"
    write_warc(big, responses(article_pages()[:8]))
    small = tmp_path / "small.arc"
    small.write_bytes(b"filedesc://small.arc")
    size = big.stat().st_size
    tasks = plan([str(big), str(small)], range_bytes=size // 3 + 1)
    assert [(t.shard, t.start, t.end) for t in tasks] == [
        ("CC-MAIN-2024-00001.r000", 0, size // 3 + 1),
        ("CC-MAIN-2024-00001.r001", size // 3 + 1, 2 * (size // 3 + 1)),
        ("CC-MAIN-2024-00001.r002", 2 * (size // 3 + 1), None),
        ("small", 0, None),
    ]
    assert [t.shard for t in plan([str(big)])] == ["CC-MAIN-2024-00001"]


def test_two_inputs_that_would_share_a_shard_are_refused(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write_warc(tmp_path / folder / "crawl.warc.gz", ["warcinfo"])
    with pytest.raises(ScraperError, match="would write the same shard 'crawl'"):
        plan([str(tmp_path / "a" / "crawl.warc.gz"), str(tmp_path / "b" / "crawl.warc.gz")])
