"""Read a response body ourselves: decode it step by step, never past the size cap.

httpx would decode ``Content-Encoding`` for us, but a brotli or gzip bomb
inflates a 64 KiB chunk into gigabytes before any cap can look at it. Here
every decoder is asked for at most ``STEP`` bytes at a time, so the cap on the
decoded body holds while streaming and memory stays flat. A stream that ends
before its encoding says it is complete is a cut body, reported as transient,
never handed on as a shorter page.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Protocol

import brotli
import httpx

from scraper.errors import PermanentFetchError, TooLargeError, TransientFetchError

STEP = 64 * 1024
"""About the most bytes one decoder call may produce (brotli may overshoot a little)."""
MAX_ENCODINGS = 2
ACCEPT_ENCODING = "gzip, deflate, br"

Sniff = Callable[[bytes], None]
"""Looks at the first decoded bytes and raises to refuse the body."""
SNIFF_BYTES = 1024


class _Stage(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finished(self) -> bool: ...


class _Zlib:
    """gzip (``wbits=31``) or zlib-wrapped deflate; raw deflate when the wrapper is missing."""

    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._obj = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._obj.decompress(data, STEP)
            except zlib.error:
                if not self._raw_fallback or self._started:
                    raise
                self._raw_fallback = False  # servers that send "deflate" without the header
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._started = True
            data = self._obj.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < STEP:
                return

    def finished(self) -> bool:
        return self._obj.eof


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        # Pending output can remain even when can_accept_more_data() says True,
        # so drain with empty input until a call gives nothing.
        out = self._obj.process(data, output_buffer_limit=STEP)
        while out:
            yield out
            if self._obj.is_finished():
                return
            out = self._obj.process(b"", output_buffer_limit=STEP)

    def finished(self) -> bool:
        return bool(self._obj.is_finished())


_DECODERS: dict[str, Callable[[], _Stage]] = {
    "gzip": lambda: _Zlib(zlib.MAX_WBITS | 16),
    "x-gzip": lambda: _Zlib(zlib.MAX_WBITS | 16),
    "deflate": lambda: _Zlib(zlib.MAX_WBITS, raw_fallback=True),
    "br": _Brotli,
}


def _stages(header: str, url: str) -> list[_Stage]:
    """Decoders in the order to apply them (the reverse of the header's order)."""
    names = [n.strip().lower() for n in header.split(",") if n.strip()]
    names = [n for n in names if n != "identity"]
    if len(names) > MAX_ENCODINGS:
        raise PermanentFetchError(
            f"refusing {len(names)} stacked content encodings ({header})", url=url
        )
    unknown = [n for n in names if n not in _DECODERS]
    if unknown:
        raise PermanentFetchError(f"unsupported content encoding {unknown[0]!r}", url=url)
    return [_DECODERS[name]() for name in reversed(names)]


def _through(stages: list[_Stage], data: bytes) -> Iterator[bytes]:
    if not stages:
        if data:
            yield data
        return
    for piece in stages[0].feed(data):
        yield from _through(stages[1:], piece)


def declared_length(response: httpx.Response) -> int | None:
    try:
        value = int(response.headers.get("content-length", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


async def read_body(
    response: httpx.Response,
    *,
    limit: int,
    url: str,
    truncate: bool = False,
    sniff: Sniff | None = None,
) -> bytes:
    """The decoded body of ``response``, at most ``limit`` bytes.

    Over the limit: ``TooLargeError`` (refused before reading when the
    Content-Length says so), or with ``truncate`` the first ``limit`` bytes
    (robots.txt, where the RFC lets us ignore the rest). ``sniff`` sees the
    first ``SNIFF_BYTES`` decoded bytes before more is downloaded.
    """
    declared = declared_length(response)
    if declared is not None and declared > limit and not truncate:
        raise TooLargeError(
            f"Content-Length {declared} bytes is over the {limit}-byte limit", url=url
        )
    stages = _stages(response.headers.get("content-encoding", ""), url)
    if response.is_stream_consumed:  # built in memory (mock transports): httpx decoded it
        stages = []
    parts: list[bytes] = []
    size = 0
    try:
        async for raw in _raw_chunks(response):
            for piece in _through(stages, raw) if stages else (raw,):
                if sniff is not None and size < SNIFF_BYTES <= size + len(piece):
                    sniff(b"".join([*parts, piece]))
                parts.append(piece)
                size += len(piece)
                if size > limit:
                    if truncate:
                        return b"".join(parts)[:limit]
                    raise TooLargeError(f"body is over the {limit}-byte limit", url=url)
    except (zlib.error, brotli.error) as exc:
        raise PermanentFetchError(f"cannot decode the response body: {exc}", url=url) from exc
    body = b"".join(parts)
    if sniff is not None and size < SNIFF_BYTES:
        sniff(body)
    _check_complete(response, stages, declared, url)
    return body


async def _raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    if response.is_stream_consumed:
        yield response.content
    else:
        async for chunk in response.aiter_raw():
            yield chunk


def _check_complete(
    response: httpx.Response, stages: list[_Stage], declared: int | None, url: str
) -> None:
    got = response.num_bytes_downloaded
    if response.is_stream_consumed and not got:  # some mocks pre-read without counting
        got = len(response.content)
    if declared is not None and got < declared:
        raise TransientFetchError(f"truncated body: got {got} of {declared} bytes", url=url)
    if got and not all(stage.finished() for stage in stages):
        raise TransientFetchError("truncated body: the compressed stream ends early", url=url)
