"""What a run fetched, archived as WARC: ``DATA/warc/*.warc.gz``, rotated by size.

Each fetched page becomes a ``response`` record and a ``request`` record
(``WARC-Concurrent-To`` links them), each one gzip member, with block and
payload digests (warcio computes them). A file is written as
``NAME.warc.gz.open`` and renamed when it is closed (at rotation or at the
end of the run), the convention crawlers use, so ``DATA/warc/*.warc.gz``
only ever matches complete files; the ``.open`` file of a killed run is
still readable.

What the archive holds is the page as the pipeline saw it, not the bytes on
the wire: the fetcher hands on bodies already decompressed, so the response
record's HTTP headers drop ``Content-Encoding`` and ``Transfer-Encoding`` and
carry the decompressed ``Content-Length``; the request record is rebuilt from
the URL and the run's User-Agent (the fetcher does not keep the request it
sent). Records are compressed and written by a thread of their own, so the
fetching loop only hands a page over.
"""

from __future__ import annotations

import io
import os
import queue
import threading
import zlib
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper._version import __version__
from scraper.errors import StateError
from scraper.models import FetchResult

ROTATE_BYTES = 1_000_000_000
"""A new file after about 1 GB, the size of a Common Crawl file."""

_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}
_QUEUE = 64


def response_headers(result: FetchResult) -> StatusAndHeaders:
    """The HTTP head of the response as it fits the decompressed body it is stored with."""
    try:
        reason = HTTPStatus(result.status).phrase
    except ValueError:
        reason = ""
    headers = [(k, v) for k, v in result.headers.items() if k.lower() not in _DROPPED]
    headers.append(("Content-Length", str(len(result.content))))
    return StatusAndHeaders(f"{result.status} {reason}".strip(), headers, protocol="HTTP/1.1")


def request_headers(url: str, user_agent: str | None) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc)]
    if user_agent:
        headers.append(("User-Agent", user_agent))
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)


class _GzipMembers:
    """Each record one gzip member, as warcio's own wrapper writes them, at zlib level 6:
    level 9 (warcio's) costs about 1.6 times the CPU for under 1% smaller files of HTML."""

    def __init__(self, out: IO[bytes], level: int = 6) -> None:
        self._out = out
        self._level = level
        self._member: zlib._Compress | None = None

    def write(self, data: bytes) -> None:
        if self._member is None:
            self._member = zlib.compressobj(self._level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._out.write(self._member.compress(data))

    def flush(self) -> None:
        """warcio calls this at the end of each record: the member ends here."""
        if self._member is not None:
            self._out.write(self._member.flush())
            self._member = None
        self._out.flush()


class WarcSink:
    """Fetched pages into rotating WARC files in ``directory``; ``close`` finishes the last."""

    def __init__(
        self,
        directory: Path,
        *,
        user_agent: str | None = None,
        rotate_bytes: int = ROTATE_BYTES,
        prefix: str = "scraper",
    ) -> None:
        self.directory = directory
        self.files: list[Path] = []
        """The archive files closed so far, in order."""
        self.pages = 0
        """Pages archived so far."""
        self._user_agent = user_agent
        self._rotate = rotate_bytes
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self._stem = f"{prefix}-{stamp}-{os.getpid()}"
        self._number = 0
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._error: BaseException | None = None
        self._queue: queue.Queue[FetchResult | None] = queue.Queue(_QUEUE)
        self._thread = threading.Thread(target=self._drain, name="warc-writer", daemon=True)
        self._thread.start()

    def write(self, result: FetchResult) -> None:
        """Queue one fetched page (blocks while the writer is ``_QUEUE`` pages behind)."""
        self._raise_error()
        self._queue.put(result)

    def close(self) -> None:
        """Write what is queued and finish the last file; raises StateError if writing failed."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise StateError(f"{self.directory}: cannot write the archive: {self._error}")

    def _drain(self) -> None:
        while (result := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._record(result)
                except (OSError, ValueError) as exc:
                    self._error = exc
        try:
            self._finish()
        except OSError as exc:
            self._error = self._error or exc

    def _record(self, result: FetchResult) -> None:
        writer = self._open()
        when = {"WARC-Date": result.fetched_at}
        response = writer.create_warc_record(
            result.final_url,
            "response",
            payload=io.BytesIO(result.content),
            length=len(result.content),
            http_headers=response_headers(result),
            warc_headers_dict=when,
        )
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        request = writer.create_warc_record(
            result.final_url,
            "request",
            http_headers=request_headers(result.final_url, self._user_agent),
            warc_headers_dict={**when, "WARC-Concurrent-To": response_id},
        )
        writer.write_record(response)
        writer.write_record(request)
        self.pages += 1
        assert self._fh is not None
        self._fh.flush()
        if self._fh.tell() >= self._rotate:
            self._finish()

    def _open(self) -> WARCWriter:
        if self._writer is not None:
            return self._writer
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._free_path()
        self._fh = path.open("xb")
        self._writer = WARCWriter(_GzipMembers(self._fh), gzip=False)
        info = {"software": f"scraper/{__version__}", "format": "WARC File Format 1.0"}
        self._writer.write_record(self._writer.create_warcinfo_record(path.name[:-5], info))
        return self._writer

    def _free_path(self) -> Path:
        """The next ``STEM-NNNNN.warc.gz.open`` that names no file yet: two sinks started in
        the same second by one process (a library user, the tests) must not overwrite files."""
        while True:
            name = f"{self._stem}-{self._number:05d}.warc.gz"
            self._number += 1
            taken = (self.directory / name).exists() or (self.directory / f"{name}.open").exists()
            if not taken:
                return self.directory / f"{name}.open"

    def _finish(self) -> None:
        if self._fh is None:
            return
        self._fh.close()
        opened = Path(self._fh.name)
        final = opened.with_name(opened.name.removesuffix(".open"))
        os.replace(opened, final)
        self.files.append(final)
        self._fh = self._writer = None
