"""Reading archives: which records are pages, and reading on past damage."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from scraper.warc import Page, Rejected, Skipped, read_archive
from tests.unit.warc.archives import (
    DATE,
    Response,
    article_pages,
    break_member,
    damage,
    responses,
    write_warc,
)

HTML = b"<!doctype html><html><head><title>T</title></head><body><p>Hello there.</p></body></html>"


def kinds(path: Path, start: int = 0, end: int | None = None) -> list[tuple[str, int, str]]:
    out = []
    for item in read_archive(path, start, end):
        reason = item.url if isinstance(item, Page) else item.reason
        out.append((type(item).__name__, item.offset, reason))
    return out


def test_html_responses_are_pages_and_everything_else_is_skipped_with_a_reason(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mixed.warc.gz"
    write_warc(
        path,
        [
            "warcinfo",
            Response("https://example.org/a", HTML, "text/html; charset=ISO-8859-1"),
            "request",
            Response("https://example.org/missing", HTML, status="404 Not Found"),
            Response("https://example.org/logo.png", b"\x89PNG....", "image/png"),
            Response("https://example.org/b", HTML, "application/octet-stream"),  # sniffed
            Response("https://example.org/c.bin", b"\x00\x01binary", "application/octet-stream"),
            Response("https://example.org/x", HTML, "application/xhtml+xml"),
            "metadata",
        ],
    )
    items = list(read_archive(path))
    assert [type(i).__name__ for i in items] == [
        "Skipped", "Page", "Skipped", "Skipped", "Skipped", "Page", "Skipped", "Page", "Skipped"
    ]  # fmt: skip
    skipped = [i.reason for i in items if isinstance(i, Skipped)]
    assert skipped == [
        "record:warcinfo", "record:request", "status:404", "not_html", "not_html",
        "record:metadata",
    ]  # fmt: skip
    first = items[1]
    assert isinstance(first, Page)
    assert (first.url, first.date, first.charset, first.content) == (
        "https://example.org/a",
        DATE,
        "iso-8859-1",
        HTML,
    )


def test_payloads_are_read_with_their_content_encoding_undone(tmp_path: Path) -> None:
    path = tmp_path / "gz.warc"
    write_warc(path, [Response("https://example.org/z", HTML, encoding="gzip")], gz=False)
    [page] = list(read_archive(path))
    assert isinstance(page, Page)
    assert page.content == HTML


def test_a_corrupt_gzip_member_is_rejected_and_the_records_after_it_are_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "damaged.warc.gz"
    pages = responses(article_pages()[:4])
    offsets = write_warc(path, pages)
    break_member(path, offsets[1])  # the second member's compressed data
    found = kinds(path)
    assert [item for item in found if item[0] == "Page"] == [
        ("Page", offsets[n], pages[n].url) for n in (0, 2, 3)
    ]
    # warcio may read the broken bytes as a (skipped) record of nonsense before it fails
    damaged = [item for item in found if item[0] != "Page"]
    assert ("Rejected", "corrupt") in [(kind, reason) for kind, _, reason in damaged]
    assert all(offsets[1] <= at < offsets[2] for _, at, _ in damaged)


def test_damage_in_an_uncompressed_warc_is_skipped_to_the_next_record(tmp_path: Path) -> None:
    path = tmp_path / "plain.warc"
    pages = responses(article_pages()[:3])
    offsets = write_warc(path, pages, gz=False)
    damage(path, offsets[1], 12)  # the second record's "WARC/1.0" line is gone
    found = kinds(path)
    assert found[0] == ("Page", offsets[0], pages[0].url)
    assert ("Rejected", offsets[1], "corrupt") in found
    assert found[-1] == ("Page", offsets[2], pages[2].url)


@pytest.mark.parametrize("cut", [60, 300, 3000])  # in the WARC header, the HTTP head, the body
def test_a_truncated_last_record_is_rejected(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "cut.warc.gz"
    pages = responses(article_pages()[:3])
    offsets = write_warc(path, pages)
    path.write_bytes(path.read_bytes()[: offsets[2] + cut])
    found = list(read_archive(path))
    assert [type(i).__name__ for i in found] == ["Page", "Page", "Rejected"]
    last = found[-1]
    assert isinstance(last, Rejected)
    assert (last.offset, last.reason) == (offsets[2], "truncated")
    assert last.url in (None, pages[2].url)


def test_a_payload_that_does_not_match_its_digest_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "flipped.warc"
    write_warc(path, [Response("https://example.org/a", HTML)], gz=False)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Hello there.", b"Hello THERE."))
    [item] = list(read_archive(path))
    assert isinstance(item, Rejected)
    assert item.reason == "digest_mismatch"


def test_a_payload_over_the_cap_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    write_warc(path, [Response("https://example.org/big", HTML + b" " * 5000)])
    [item] = list(read_archive(path, max_bytes=1000))
    assert isinstance(item, Rejected)
    assert item.reason == "too_large"


@pytest.mark.parametrize("gz", [True, False])
def test_byte_ranges_split_a_file_into_disjoint_sets_of_records(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("ranges.warc.gz" if gz else "ranges.warc")
    write_warc(path, responses(article_pages()[:9]), gz=gz)
    whole = kinds(path)
    size = path.stat().st_size
    for parts in (2, 3, 7):
        cuts = [size * i // parts for i in range(parts)] + [size]
        pieces = [kinds(path, start, end) for start, end in itertools.pairwise(cuts)]
        assert [item for piece in pieces for item in piece] == whole


def test_arc_files_are_read_too(tmp_path: Path) -> None:
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + HTML
    header = b"filedesc://old.arc 0.0.0.0 20050101000000 text/plain 3\n1 0\n\n"
    record = f"http://example.org/old 127.0.0.1 20050614070144 text/html {len(body)}\n".encode()
    path = tmp_path / "old.arc"
    path.write_bytes(header + b"\n" + record + body + b"\n")
    pages = [i for i in read_archive(path) if isinstance(i, Page)]
    assert [(p.url, p.date, p.content) for p in pages] == [
        ("http://example.org/old", "2005-06-14T07:01:44Z", HTML)
    ]
