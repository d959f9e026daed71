"""The archive a run writes: record pairs with digests, headers that fit the stored body."""

from __future__ import annotations

from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.errors import StateError
from scraper.models import FetchResult
from scraper.sinks.warc import WarcSink
from scraper.warc import Page, read_archive

KINDS = ("response", "request")
BODY = b"<html><head><title>Harbour</title></head><body><p>" + b"Ferry news. " * 400 + b"</p>"


def fetched(n: int, body: bytes = BODY) -> FetchResult:
    return FetchResult(
        url=f"https://example.org/news/{n}?utm_source=x",
        final_url=f"https://example.org/news/{n}",
        status=200,
        headers={
            "content-type": "text/html; charset=utf-8",
            "content-encoding": "gzip",
            "transfer-encoding": "chunked",
            "content-length": "123",
            "etag": '"abc"',
        },
        content=body,
        fetched_at=f"2024-05-01T09:00:0{n}Z",
    )


def records(path: Path) -> list[tuple[str, str | None, object]]:
    out = []
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh, check_digests=True)
        for record in iterator:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            record.content_stream().read()
            out.append((record.rec_type, uri, record.digest_checker.passed))
    return out


def test_each_page_is_a_response_and_a_request_with_checked_digests(tmp_path: Path) -> None:
    sink = WarcSink(tmp_path / "warc", user_agent="scraper-test/1")
    for n in range(3):
        sink.write(fetched(n))
    sink.close()
    [path] = sink.files
    assert path.name.endswith(".warc.gz") and path.parent == tmp_path / "warc"
    assert list((tmp_path / "warc").iterdir()) == [path]  # the .open file was renamed
    found = records(path)
    assert found[0][:2] == ("warcinfo", None)
    pairs = found[1:]
    expected = [(kind, f"https://example.org/news/{n}") for n in range(3) for kind in KINDS]
    assert [(kind, uri) for kind, uri, _ in pairs] == expected
    assert all(passed is True for _, _, passed in pairs)  # block and payload digests present


def test_the_response_head_fits_the_decompressed_body(tmp_path: Path) -> None:
    sink = WarcSink(tmp_path)
    sink.write(fetched(1))
    sink.close()
    with sink.files[0].open("rb") as fh:
        response = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
        http = response.http_headers
        assert http.get_header("Content-Encoding") is None
        assert http.get_header("Transfer-Encoding") is None
        assert http.get_header("Content-Length") == str(len(BODY))
        assert http.get_header("ETag") == '"abc"'
        assert response.rec_headers.get_header("WARC-Date") == "2024-05-01T09:00:01Z"
        assert response.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        assert response.content_stream().read() == BODY


def test_pages_read_back_as_they_were_fetched(tmp_path: Path) -> None:
    sink = WarcSink(tmp_path)
    sink.write(fetched(4))
    sink.close()
    [page] = [i for i in read_archive(sink.files[0]) if isinstance(i, Page)]
    assert (page.url, page.date, page.content, page.charset) == (
        "https://example.org/news/4",
        "2024-05-01T09:00:04Z",
        BODY,
        "utf-8",
    )


def test_files_rotate_by_size(tmp_path: Path) -> None:
    sink = WarcSink(tmp_path, rotate_bytes=len(BODY) // 10)  # compresses ~40:1; ~4 pages a file
    for n in range(9):
        sink.write(fetched(n))
    sink.close()
    assert len(sink.files) >= 2
    assert sorted(tmp_path.iterdir()) == sink.files
    urls = [i.url for path in sink.files for i in read_archive(path) if isinstance(i, Page)]
    assert urls == [f"https://example.org/news/{n}" for n in range(9)]


def test_a_run_that_writes_nothing_leaves_no_file(tmp_path: Path) -> None:
    sink = WarcSink(tmp_path / "warc")
    sink.close()
    assert sink.files == []
    assert not (tmp_path / "warc").exists()


def test_an_unwritable_directory_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "warc"
    blocker.write_text("a file where the directory should be")
    sink = WarcSink(blocker)
    sink.write(fetched(1))
    with pytest.raises(StateError, match="cannot write the archive"):
        sink.close()


def test_two_sinks_in_one_second_keep_each_others_files(tmp_path: Path) -> None:
    files = []
    for n in range(2):
        sink = WarcSink(tmp_path)
        sink.write(fetched(n))
        sink.close()
        files += sink.files
    assert sorted(tmp_path.iterdir()) == sorted(files)
    assert len(set(files)) == 2
