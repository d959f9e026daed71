"""Bytes to text: the declared charset first, then detection.

Pages lie about their charset less often than detectors guess wrong, so a
declaration (HTTP header, BOM, ``<meta charset>``) wins when it decodes cleanly.
"""

from __future__ import annotations

import codecs
import gzip
import re

from charset_normalizer import from_bytes

from scraper.errors import DecodeError, EmptyInputError, NotHTMLError

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of formats people feed us by mistake.
_BINARY_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"\x7fELF": "executable",
    b"RIFF": "RIFF media file",
}
# Labels browsers map to a superset (WHATWG Encoding Standard).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "sjis": "shift_jis",
}


def _normalise_label(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def maybe_gunzip(data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DecodeError(f"corrupt gzip data: {exc}") from exc
    return data


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes; raise a clear error for empty, binary or undecodable input."""
    if not data.strip():
        raise EmptyInputError("empty input")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise NotHTMLError(f"not HTML: looks like a {what}")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    head = data[:4096]
    if b"\x00" in head:
        raise NotHTMLError("not HTML: binary data (NUL bytes)")
    match = _META_CHARSET.search(data[:16384])
    labels = [declared, match.group(1).decode("ascii", "ignore") if match else None]
    candidates = [name for label in labels if label and (name := _normalise_label(label))]
    candidates.append("utf-8")
    for enc in candidates:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise DecodeError("cannot decode bytes: no charset declared and none detected")
    text = data.decode(best.encoding, errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise DecodeError(f"cannot decode bytes: too many invalid sequences for {best.encoding}")
    return text
