"""WARC files built with warcio from the fixture pages, and ways to damage them."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import PageFixture, page_fixtures

DATE = "2024-05-01T09:00:00Z"
_REQUEST = b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"


@dataclass(frozen=True)
class Response:
    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    encoding: str | None = None  # "gzip": the body is stored compressed, as sent
    date: str = DATE


def article_pages() -> list[PageFixture]:
    """The fixture pages that are articles and have a URL."""
    return [p for p in page_fixtures() if p.url and p.expected.get("is_article", True)]


def responses(pages: Iterable[PageFixture]) -> list[Response]:
    return [Response(str(p.url), p.html_path.read_bytes()) for p in pages]


def write_warc(path: Path, items: Iterable[Response | str], *, gz: bool = True) -> list[int]:
    """One response record per Response, a request (or ``str``: that record type) otherwise.
    Returns the offset of every record written."""
    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for item in items:
            offsets.append(fh.tell())
            if isinstance(item, str):
                payload = _REQUEST if item == "request" else b"k: v\r\n"
                record = writer.create_warc_record(
                    "http://example.org/", item, payload=io.BytesIO(payload), length=len(payload)
                )
                writer.write_record(record)
                continue
            body = gzip.compress(item.body) if item.encoding == "gzip" else item.body
            headers = [("Content-Type", item.content_type), ("Content-Length", str(len(body)))]
            if item.encoding:
                headers.append(("Content-Encoding", item.encoding))
            http = StatusAndHeaders(item.status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                item.url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": item.date},
            )
            writer.write_record(record)
    return offsets


def damage(path: Path, offset: int, length: int = 64) -> None:
    """Overwrite ``length`` bytes from ``offset`` with zeros."""
    data = bytearray(path.read_bytes())
    data[offset : offset + length] = bytes(length)
    path.write_bytes(bytes(data))


def break_member(path: Path, offset: int) -> None:
    """Make the gzip member at ``offset`` undecodable: its first deflate block gets the
    reserved block type, so zlib fails on its first byte, the same way every time."""
    data = bytearray(path.read_bytes())
    data[offset + 10] = 0b111  # BFINAL=1, BTYPE=11 (reserved); 10: the gzip header's length
    path.write_bytes(bytes(data))
