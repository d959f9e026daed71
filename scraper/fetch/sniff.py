"""Notice binary content early, whatever the Content-Type says.

Servers label PDFs, images and archives ``text/html`` often enough that the
header alone is not trusted: the first decoded bytes are checked before the
rest is downloaded, so a 10 MB PDF costs one kilobyte, not ten megabytes.
"""

from __future__ import annotations

from collections.abc import Callable

from scraper.errors import NotHTMLFetchError

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF media file (WebP, WAV, AVI)"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00", "a media file (MP4, QuickTime, ...)"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(head: bytes) -> str | None:
    """What binary format ``head`` (the first bytes of a body) starts with, or None for text."""
    start = head.lstrip(b"\t\n\r ")
    for magic, what in _MAGIC:
        if start.startswith(magic):
            return what
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        return "binary data (NUL bytes)"
    return None


def refuse_binary(url: str) -> Callable[[bytes], None]:
    """A sniff callback for ``read_body`` that refuses binary bodies of ``url``."""

    def sniff(head: bytes) -> None:
        what = binary_kind(head)
        if what is not None:
            raise NotHTMLFetchError(f"not HTML: the body is {what}", url=url)

    return sniff
