"""Stream the pages out of WARC (and ARC) files, one record at a time.

warcio parses the records; this module decides which of them are pages
(HTML ``response`` records with status 200) and keeps reading past damage.
A corrupt gzip member or an unparsable record makes warcio stop, so the
reader looks for the next record start after it (the next gzip member that
opens with a WARC header, or the next ``WARC/1.x`` line in an uncompressed
file) and carries on from there; the damage is one ``Rejected`` item. The
same search lets a task start at any byte offset of a ``.warc.gz``: a
record belongs to the byte range its first byte falls in, so ranges split a
file into disjoint sets of records. ARC files are read, but not resynced
(their records have no marker to find): damage ends an ARC file.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

GZIP_MAGIC = b"\x1f\x8b\x08"
_PLAIN_START = re.compile(rb"\n(WARC/1\.[01]\r?\n)")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GENERIC_TYPES = ("", "application/octet-stream", "text/plain", "unknown/unknown")
_HTML_HEAD = re.compile(rb"<(?:!doctype\s+html|html|head|body|title|meta)[\s>/]", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SCAN_CHUNK = 1 << 20
_READ_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    zlib.error,
    EOFError,
    ValueError,
)

MAX_PAGE_BYTES = 10_000_000
"""Largest payload read (after decompression), as the fetcher's default cap."""


@dataclass(frozen=True)
class Page:
    """An HTML response: the payload with its transfer and content encodings undone."""

    offset: int
    url: str
    date: str | None
    content: bytes
    charset: str | None


@dataclass(frozen=True)
class Skipped:
    """A record that is not a page (a request, metadata, a 404, an image): counted, not kept."""

    offset: int
    reason: str


@dataclass(frozen=True)
class Rejected:
    """A record (or a stretch of the file) that could not be read: reported with the reason."""

    offset: int
    reason: str
    detail: str
    url: str | None = None


Item = Page | Skipped | Rejected


def _resyncable(head: bytes) -> tuple[bool, bool]:
    """Whether the file is gzipped, and whether damage can be skipped (gzip or plain WARC)."""
    gz = head.startswith(GZIP_MAGIC[:2])
    return gz, gz or head.startswith(b"WARC/")


def read_archive(
    path: Path, start: int = 0, end: int | None = None, *, max_bytes: int = MAX_PAGE_BYTES
) -> Iterator[Item]:
    """Every record whose first byte lies in ``[start, end)``, as a Page, Skipped or Rejected.

    ``start`` > 0 begins at the first record start at or after it (gzip and plain
    WARC files only). The payload digest is checked when the record has one.
    """
    with path.open("rb") as fh:
        gz, resyncable = _resyncable(fh.read(8))
        position = start if start == 0 else _next_start(fh, start, gz)
        last = -1  # where the last record yielded starts
        while position is not None and (end is None or position < end):
            fh.seek(position)
            iterator = ArchiveIterator(fh, arc2warc=True, check_digests=True)
            try:
                for record in iterator:
                    offset = iterator.offset
                    if end is not None and offset >= end:
                        return
                    yield _item(record, offset, max_bytes)
                    last = offset
                fh.seek(iterator.offset)
                if fh.read(64).strip():  # warcio stops quietly inside a cut-off header
                    yield Rejected(iterator.offset, "truncated", "the file ends inside a record")
                return
            except _READ_ERRORS as exc:
                bad = iterator.offset
                yield Rejected(bad, "corrupt", _message(exc))
                if not resyncable:
                    return
                # A damaged header can make warcio read past good records before it fails:
                # look again from the last record it gave, not from where it failed.
                position = _next_start(fh, max(last, position) + 1, gz)
                if position == bad:
                    position = _next_start(fh, bad + 1, gz)


def _item(record: Any, offset: int, max_bytes: int) -> Item:
    """The page a record holds, or why it is none; reads the record to its end."""
    if record.rec_type != "response":
        return Skipped(offset, f"record:{record.rec_type}")
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    if http is None or not url.lower().startswith(("http://", "https://")):
        return Skipped(offset, "record:response_not_http")
    status = http.get_statuscode()
    if status != "200":
        return Skipped(offset, f"status:{status}")
    content_type = (http.get_header("Content-Type") or "").strip().lower()
    media = content_type.split(";", 1)[0].strip()
    if media not in _HTML_TYPES and media not in _GENERIC_TYPES:
        return Skipped(offset, "not_html")
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return Rejected(offset, "too_large", f"payload over {max_bytes} bytes", url)
    while record.raw_stream.read(_SCAN_CHUNK):  # the rest of the block, for the checks below
        pass
    if record.raw_stream.limit > 0:
        missing = record.raw_stream.limit
        return Rejected(offset, "truncated", f"record ends {missing} bytes early", url)
    checker = record.digest_checker
    if checker is not None and checker.passed is False:
        return Rejected(offset, "digest_mismatch", "; ".join(checker.problems), url)
    if media not in _HTML_TYPES and not _HTML_HEAD.search(content[:2048]):
        return Skipped(offset, "not_html")
    date = record.rec_headers.get_header("WARC-Date")
    match = _CHARSET.search(content_type)
    return Page(offset, url, date, content, match.group(1) if match else None)


def _message(exc: BaseException) -> str:
    """The error without the garbage warcio quotes from the bytes where a header should be."""
    text = " ".join(str(exc).split(", first line:")[0].split())
    return f"{type(exc).__name__}: {text}"[:300]


def _next_start(fh: IO[bytes], offset: int, gz: bool) -> int | None:
    """The offset of the first record start at or after ``offset``, or None at the end."""
    if not gz:
        return _next_plain_start(fh, offset)
    found = _find(fh, GZIP_MAGIC, offset)
    while found is not None and not _opens_warc_member(fh, found):
        found = _find(fh, GZIP_MAGIC, found + 1)
    return found


def _find(fh: IO[bytes], needle: bytes, offset: int) -> int | None:
    while True:
        fh.seek(offset)
        chunk = fh.read(_SCAN_CHUNK + len(needle) - 1)
        if len(chunk) < len(needle):
            return None
        found = chunk.find(needle)
        if found >= 0:
            return offset + found
        offset += _SCAN_CHUNK


def _opens_warc_member(fh: IO[bytes], offset: int) -> bool:
    """Whether a gzip member starts at ``offset`` and holds a WARC header (or an ARC line)."""
    fh.seek(offset)
    head = fh.read(4096)
    try:
        text = zlib.decompressobj(zlib.MAX_WBITS + 16).decompress(head, 64)
    except zlib.error:
        return False
    return text.startswith(b"WARC/") or re.match(rb"[a-z]+://\S+ \d", text) is not None


def _next_plain_start(fh: IO[bytes], offset: int) -> int | None:
    position = max(0, offset - 1)  # a match may begin with the newline before the offset
    while True:
        fh.seek(position)
        chunk = fh.read(_SCAN_CHUNK + 16)
        if not chunk:
            return None
        for match in _PLAIN_START.finditer(chunk):
            found = position + match.start(1)
            if found >= offset:
                return found
        if len(chunk) <= 16:
            return None
        position += _SCAN_CHUNK
